import { configWith } from "../helpers/config";
import { onlyResource, synthesizeStacks, type SynthesizedStack } from "../helpers/synth";

const organizationAddress = (stack: SynthesizedStack) =>
  `aws_organizations_organization.${Object.keys(stack.resource.aws_organizations_organization)[0]}`;

describe("organization stack, imported organization (sandbox config)", () => {
  const stack = synthesizeStacks(configWith(() => {})).organization;
  const organization = onlyResource(stack, "aws_organizations_organization");

  it("enables the configured principals plus both License Manager principals and AWS Marketplace's (the sandbox grants a Marketplace license), sorted", () => {
    expect(organization.aws_service_access_principals).toEqual([
      "cloudtrail.amazonaws.com",
      "license-management.marketplace.amazonaws.com",
      "license-manager.amazonaws.com",
      "license-manager.member-account.amazonaws.com",
      "sso.amazonaws.com",
    ]);
  });

  it("keeps all features and the configured policy types", () => {
    expect(organization.feature_set).toBe("ALL");
    expect(organization.enabled_policy_types).toEqual(["SERVICE_CONTROL_POLICY"]);
  });

  it("imports the configured organization id with an import block", () => {
    expect(stack.import).toEqual([{ id: "o-sandbox00001", to: organizationAddress(stack) }]);
  });

  it("can never be destroyed by Terraform", () => {
    expect(organization.lifecycle.prevent_destroy).toBe(true);
  });

  it("reads the live organization during plan, with no dependency that would defer the read", () => {
    const live = Object.values(stack.data.aws_organizations_organization) as Record<string, unknown>[];
    expect(live).toHaveLength(1);
    expect(live[0].depends_on).toBeUndefined();
  });

  describe("removal guard preconditions", () => {
    const [principalGuard, policyTypeGuard] = organization.lifecycle.precondition;
    const liveAddress = `data.aws_organizations_organization.${Object.keys(stack.data.aws_organizations_organization)[0]}`;

    it("fails the plan when a live principal is neither desired nor allowed to be removed", () => {
      expect(principalGuard.condition).toBe(
        `\${(length(sort(setsubtract(tolist(${liveAddress}.aws_service_access_principals), ` +
          `["cloudtrail.amazonaws.com", "license-management.marketplace.amazonaws.com", "license-manager.amazonaws.com", ` +
          `"license-manager.member-account.amazonaws.com", "sso.amazonaws.com"]))) < 1)}`,
      );
    });

    it("names each principal, the config file and how to proceed", () => {
      expect(principalGuard.error_message).toContain(
        `would disable trusted access for \${join(", ", sort(setsubtract(tolist(${liveAddress}.aws_service_access_principals)`,
      );
      expect(principalGuard.error_message).toContain(
        "organization.serviceAccessPrincipals in config/test.yaml",
      );
      expect(principalGuard.error_message).toContain(
        "list them in organization.principalsAllowedToBeRemoved",
      );
    });

    it("fails the plan when a live policy type is missing from the config", () => {
      expect(policyTypeGuard.condition).toBe(
        `\${(length(sort(setsubtract(tolist(${liveAddress}.enabled_policy_types), ["SERVICE_CONTROL_POLICY"]))) < 1)}`,
      );
      expect(policyTypeGuard.error_message).toContain("organization.enabledPolicyTypes in config/test.yaml");
    });
  });

  it("exempts the principals allowed to be removed from the guard", () => {
    const allowed = synthesizeStacks(
      configWith((document) => {
        document.organization.principalsAllowedToBeRemoved = ["config.amazonaws.com"];
      }),
    ).organization;
    const guard = onlyResource(allowed, "aws_organizations_organization").lifecycle.precondition[0];
    expect(guard.condition).toContain(`"sso.amazonaws.com", "config.amazonaws.com"]`);
  });

  it("registers the delegated administrator for License Manager after trusted access", () => {
    const administrator = onlyResource(stack, "aws_organizations_delegated_administrator");
    expect(administrator).toMatchObject({
      account_id: "444444444444",
      service_principal: "license-manager.amazonaws.com",
      depends_on: [organizationAddress(stack)],
    });
  });

  it("locks the provider to the management account and assumes the deploy role", () => {
    expect(stack.provider.aws[0]).toMatchObject({
      region: "us-east-1",
      allowed_account_ids: ["111111111111"],
      assume_role: [{ role_arn: "arn:aws:iam::111111111111:role/LicenseManagerDeployer" }],
    });
    // toMatchObject compares objects partially: the tags must equal exactly these.
    expect(stack.provider.aws[0].default_tags).toEqual([
      {
        tags: {
          Project: "license-manager-org",
          Environment: "sandbox",
          "license-manager-org:project": "license-manager-org",
          "license-manager-org:environment": "sandbox",
          "license-manager-org:stack": "organization",
        },
      },
    ]);
  });
});

describe("organization stack, created organization", () => {
  const stack = synthesizeStacks(
    configWith((document) => {
      document.organization.source = "create";
      delete document.organization.id;
      delete document.licenseManager.delegatedAdministrator;
    }),
  ).organization;
  const organization = onlyResource(stack, "aws_organizations_organization");

  it("has no import block and no guard (there is nothing enabled to lose yet)", () => {
    expect(stack.import).toBeUndefined();
    expect(stack.data).toBeUndefined();
    expect(organization.lifecycle.precondition).toBeUndefined();
  });

  it("still enables License Manager's principals and cannot be destroyed", () => {
    expect(organization.aws_service_access_principals).toContain(
      "license-manager.member-account.amazonaws.com",
    );
    expect(organization.lifecycle.prevent_destroy).toBe(true);
  });

  it("registers no delegated administrator when none is configured", () => {
    expect(stack.resource.aws_organizations_delegated_administrator).toBeUndefined();
  });
});
