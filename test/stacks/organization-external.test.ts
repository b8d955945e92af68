import { licenseManagerPrincipals } from "../../lib/names/license-manager";
import { accessPolicyProps } from "../../lib/access/access-scope";
import { deployPolicy, planPolicy } from "../../lib/access/policies";
import { policyActions } from "../../lib/access/render";
import { stackNames } from "../../lib/names/stacks";
import { configWith, problemsOf } from "../helpers/config";
import { onlyResource, synthesizeStacks } from "../helpers/synth";

/** The sandbox's grants share an AWS Marketplace license: AWS Marketplace's principal is the project's too. */
const marketplace = "license-management.marketplace.amazonaws.com";
const projectPrincipals = [...licenseManagerPrincipals, marketplace];

const external = (document: Record<string, any>) => {
  document.organization.source = "external";
  delete document.organization.serviceAccessPrincipals;
  delete document.organization.enabledPolicyTypes;
};

describe("organization stack, organization owned elsewhere (source: external)", () => {
  const stacks = synthesizeStacks(configWith(external));
  const stack = stacks.organization;
  const trustedAccess = onlyResource(stack, "terraform_data");
  const liveName = Object.keys(stack.data.aws_organizations_organization)[0];
  const live = stack.data.aws_organizations_organization[liveName];

  it("never imports, reads into state or writes the organization resource", () => {
    expect(stack.resource.aws_organizations_organization).toBeUndefined();
    expect(stack.import).toBeUndefined();
    expect(JSON.stringify(stack)).not.toContain("removal-guard");
  });

  it("forgets the resource the import mode manages, at the same address, without destroying it", () => {
    const imported = synthesizeStacks(configWith(() => {})).organization;
    const importedAddress = `aws_organizations_organization.${Object.keys(imported.resource.aws_organizations_organization)[0]}`;
    expect(stack.removed).toEqual([{ from: importedAddress, lifecycle: { destroy: false } }]);
  });

  it("records License Manager's two principals and AWS Marketplace's, to enable one by one, as a reconciled trusted-access input", () => {
    const input = {
      kind: "organizations-trusted-access",
      region: "us-east-1",
      desired: { enable: projectPrincipals, disable: [] },
    };
    expect(trustedAccess.input).toEqual(input);
    expect(trustedAccess.provisioner[0]["local-exec"].command).toBe(
      'npx --no-install tsx tools/reconcile.ts apply --input "$LM_RECONCILE_INPUT" ' +
        '--role-arn "$LM_RECONCILE_ROLE"',
    );
  });

  it("is replaced, so cdktf deploy puts it back, when the live organization lacks one of them", () => {
    const liveAddress = `data.aws_organizations_organization.${liveName}`;
    const { live: trigger, ...rest } = trustedAccess.triggers_replace;
    expect(rest).toEqual(trustedAccess.input);
    expect(trigger).toBe(
      `\${alltrue([contains(tolist(${liveAddress}.aws_service_access_principals), "license-manager.amazonaws.com"), ` +
        `contains(tolist(${liveAddress}.aws_service_access_principals), "license-manager.member-account.amazonaws.com"), ` +
        `contains(tolist(${liveAddress}.aws_service_access_principals), "${marketplace}")]) ` +
        `? "in-sync" : (timestamp() != "never") ? "in-sync" : "restore"}`,
    );
  });

  it("checks at plan time that the credentials reach the configured organization, with all features", () => {
    expect(live.depends_on).toBeUndefined();
    const [features, management, id] = live.lifecycle.postcondition;
    expect(management.condition).toBe('${self.master_account_id == "111111111111"}');
    expect(management.error_message).toContain("The credentials are not the management account 111111111111");
    expect(features.condition).toBe('${self.feature_set == "ALL"}');
    expect(features.error_message).toContain(
      "does not have all features enabled (feature set ${self.feature_set})",
    );
    expect(id.condition).toBe('${self.id == "o-sandbox00001"}');
    expect(id.error_message).toContain(
      "The credentials reach organization ${self.id}, but organization.id in config/test.yaml is o-sandbox00001",
    );
  });

  it("registers the delegated administrator after trusted access", () => {
    const administrator = onlyResource(stack, "aws_organizations_delegated_administrator");
    expect(administrator.depends_on).toEqual([
      `terraform_data.${Object.keys(stack.resource.terraform_data)[0]}`,
    ]);
  });

  it("disables License Manager's own principal only when principalsAllowedToBeRemoved lists it", () => {
    const asked = synthesizeStacks(
      configWith((document) => {
        external(document);
        document.organization.principalsAllowedToBeRemoved = ["license-manager.member-account.amazonaws.com"];
      }),
    ).organization;
    expect(onlyResource(asked, "terraform_data").input.desired).toEqual({
      enable: ["license-manager.amazonaws.com", marketplace],
      disable: ["license-manager.member-account.amazonaws.com"],
    });
  });

  it("enables AWS Marketplace's principal only while a grant shares a Marketplace license", () => {
    const withoutMarketplace = synthesizeStacks(
      configWith((document) => {
        external(document);
        for (const grant of document.licenseManager.grants) grant.marketplace = false;
        for (const grant of document.licenseManager.grants) delete grant.activationOverrideBehavior;
      }),
    ).organization;
    expect(onlyResource(withoutMarketplace, "terraform_data").input.desired).toEqual({
      enable: [...licenseManagerPrincipals],
      disable: [],
    });
  });
});

describe("the deploy role's Organizations actions with source: external", () => {
  const organizationsStatements = (change: (document: Record<string, any>) => void) =>
    deployPolicy(accessPolicyProps(configWith(change), stackNames)).Statement.filter((statement) =>
      statement.Action.some((action) => /^organizations:(Enable|Disable)/.test(action)),
    );

  it("enables only License Manager's principals, and disables none", () => {
    expect(organizationsStatements(external)).toEqual([
      {
        Sid: "TrustedAccessEnable",
        Effect: "Allow",
        Action: ["organizations:EnableAWSServiceAccess"],
        Resource: ["*"],
        Condition: { StringEquals: { "organizations:ServicePrincipal": projectPrincipals } },
      },
    ]);
  });

  it("may disable License Manager's own principal when the config asks for it, and only that one", () => {
    expect(
      organizationsStatements((document) => {
        external(document);
        document.organization.principalsAllowedToBeRemoved = ["license-manager.member-account.amazonaws.com"];
      }),
    ).toEqual([
      expect.objectContaining({
        Sid: "TrustedAccessEnable",
        Condition: {
          StringEquals: { "organizations:ServicePrincipal": ["license-manager.amazonaws.com", marketplace] },
        },
      }),
      {
        Sid: "TrustedAccessDisable",
        Effect: "Allow",
        Action: ["organizations:DisableAWSServiceAccess"],
        Resource: ["*"],
        Condition: {
          StringEquals: {
            "organizations:ServicePrincipal": ["license-manager.member-account.amazonaws.com"],
          },
        },
      },
    ]);
  });

  it("scopes the delegated administrator to the configured organization, and the plan role writes no trusted access", () => {
    const props = accessPolicyProps(configWith(external), stackNames);
    expect(props.organizationId).toBe("o-sandbox00001");
    expect(policyActions(planPolicy(props)).filter((action) => /Enable|Disable/.test(action))).toEqual([]);
  });
});

describe("config checks of source: external", () => {
  it("rejects the other owner's lists and principals that are not License Manager's, all at once", () => {
    expect(
      problemsOf((document) => {
        document.organization.source = "external";
        document.organization.principalsAllowedToBeRemoved = ["sso.amazonaws.com"];
        delete document.organization.id;
      }),
    ).toEqual([
      expect.stringContaining(
        "organization.id: required with source: external; expected the id of the existing organization, o-…",
      ),
      expect.stringContaining(
        'organization.serviceAccessPrincipals: expected no serviceAccessPrincipals with source: external: the organization\'s other owner manages it, and this project enables only its own principals, License Manager\'s and, for grants of Marketplace licenses, AWS Marketplace\'s (got ["cloudtrail.amazonaws.com","sso.amazonaws.com"])',
      ),
      expect.stringContaining(
        "organization.enabledPolicyTypes: expected no enabledPolicyTypes with source: external",
      ),
      expect.stringContaining(
        "organization.principalsAllowedToBeRemoved[0]: expected only this project's principals (license-manager.amazonaws.com, license-manager.member-account.amazonaws.com, license-management.marketplace.amazonaws.com) with source: external",
      ),
    ]);
  });

  it("still requires serviceAccessPrincipals with source: import", () => {
    expect(problemsOf((document) => delete document.organization.serviceAccessPrincipals)).toEqual([
      expect.stringContaining(
        "organization.serviceAccessPrincipals: is required with source: import; expected the other principals that keep trusted access",
      ),
    ]);
  });
});

describe("license-manager stack while the config disables License Manager's own trusted access", () => {
  it("says at plan time that the config disables it, not to deploy the organization stack", () => {
    const stack = synthesizeStacks(
      configWith((document) => {
        external(document);
        delete document.licenseManager.delegatedAdministrator;
        document.organization.principalsAllowedToBeRemoved = ["license-manager.member-account.amazonaws.com"];
      }),
    )["license-manager"];
    const settings = Object.values(stack.resource.terraform_data).find((resource: any) =>
      JSON.stringify(resource.input).includes("license-manager-settings"),
    ) as any;
    const [manager, member] = settings.lifecycle.precondition;
    expect(manager.error_message).toContain("Deploy the organization stack first");
    expect(member.error_message).toContain(
      "and organization.principalsAllowedToBeRemoved in config/test.yaml disables it (a tear-down)",
    );
  });

  it("refuses a delegated administrator meanwhile", () => {
    expect(
      problemsOf((document) => {
        external(document);
        document.organization.principalsAllowedToBeRemoved = ["license-manager.amazonaws.com"];
      }),
    ).toEqual([
      expect.stringContaining(
        "licenseManager.delegatedAdministrator: needs trusted access for license-manager.amazonaws.com, which organization.principalsAllowedToBeRemoved disables",
      ),
    ]);
  });
});
