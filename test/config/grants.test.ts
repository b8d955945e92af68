import { synthesizeStacks } from "../helpers/synth";
import { configWith, problemsOf } from "../helpers/config";

const file = "config/test.yaml";
const LICENSE = "arn:aws:license-manager::555555555555:license:l-0123456789abcdef0123456789abcdef";

describe("licenseManager.grants", () => {
  it("loads the sandbox's grants with their defaults: the home region and activation", () => {
    const config = configWith(() => undefined);
    expect(
      config.licenseManager.grants.map((grant) => [grant.name, grant.homeRegion, grant.activate]),
    ).toEqual([
      ["analytics-server-organization", "us-east-1", true],
      ["analytics-server-security", "us-east-1", true],
    ]);
  });

  it("reports every malformed grant field at once, naming the file, the path, the value and what is expected", () => {
    const problems = problemsOf((document) => {
      document.licenseManager.grants = [
        {
          name: "bad",
          licenseArn: "arn:aws:license-manager::555555555555:license:l-nothex",
          allowedOperations: ["CheckoutLicense", "CheckoutLicence"],
          principals: ["organisation", "ou-ab12-cd34ef56"],
          activate: "yes",
        },
        { name: "empty", licenseArn: LICENSE, allowedOperations: [], principals: [] },
      ];
    });
    expect(problems).toEqual([
      `${file}: licenseManager.grants[0].licenseArn: expected a License Manager license ARN such as arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef (got "arn:aws:license-manager::555555555555:license:l-nothex")`,
      `${file}: licenseManager.grants[0].allowedOperations[1]: expected one of CheckoutBorrowLicense, CheckoutLicense, CheckInLicense, CreateGrant, CreateToken, ExtendConsumptionLicense, ListPurchasedLicenses; did you mean "CheckoutLicense"? (got "CheckoutLicence")`,
      `${file}: licenseManager.grants[0].principals[0]: expected "organization", a member account id (12 digits) or an organizational unit id such as ou-ab12-cd34ef56 (got "organisation")`,
      `${file}: licenseManager.grants[0].activate: expected true or false (got "yes")`,
      `${file}: licenseManager.grants[1].allowedOperations: expected at least one operation (got [])`,
      `${file}: licenseManager.grants[1].principals: expected at least one principal (got [])`,
    ]);
  });

  it("refuses a home region without a provider, accounts outside the organization, and an override without activation", () => {
    const problems = problemsOf((document) => {
      document.licenseManager.grants = [
        {
          name: "analytics",
          licenseArn: LICENSE,
          homeRegion: "eu-west-2",
          allowedOperations: ["CheckoutLicense"],
          principals: ["999999999999", "111111111111", "444444444444"],
          activate: false,
          activationOverrideBehavior: "ALL_GRANTS_PERMITTED_BY_ISSUER",
        },
        {
          name: "analytics",
          licenseArn: LICENSE,
          allowedOperations: ["CheckoutLicense"],
          principals: ["organization"],
        },
      ];
    });
    expect(problems).toEqual([
      `${file}: licenseManager.grants[0].activationOverrideBehavior: applies only when activating; expected activate: true or no activationOverrideBehavior (got "ALL_GRANTS_PERMITTED_BY_ISSUER" with activate: false)`,
      `${file}: licenseManager.grants[1].name: duplicate of [0].name; expected each grant name once (got "analytics")`,
      `${file}: licenseManager.grants[0].homeRegion: expected one of licenseManager.regions (us-east-1, eu-west-1), where the stack has a provider; did you mean "eu-west-1"? (got "eu-west-2")`,
      `${file}: licenseManager.grants[0].principals[0]: expected a member account listed in organization.memberAccounts (222222222222, 333333333333, 444444444444) (got "999999999999")`,
      `${file}: licenseManager.grants[0].principals[1]: is the management account, which holds the license; expected a member account listed in organization.memberAccounts (got "111111111111")`,
    ]);
  });

  it("allows the activation override only for AWS Marketplace licenses, as the API does", () => {
    expect(
      problemsOf((document) => {
        document.licenseManager.grants[1].marketplace = false;
      }),
    ).toEqual([
      `${file}: licenseManager.grants[1].activationOverrideBehavior: applies only to AWS Marketplace licenses; expected marketplace: true or no activationOverrideBehavior (got "DISTRIBUTED_GRANTS_ONLY" with marketplace: false)`,
    ]);
  });

  it("refuses names that would share a Terraform address, and Marketplace grants while AWS Marketplace's trusted access is to be disabled", () => {
    expect(
      problemsOf((document) => {
        document.licenseManager.grants[1].name = "Analytics Server Organization";
      }),
    ).toEqual([
      `${file}: licenseManager.grants[1].name: would share the Terraform address "analytics-server-organization" with "analytics-server-organization"; expected a name that differs in more than case or punctuation (got "Analytics Server Organization")`,
    ]);
    expect(
      problemsOf((document) => {
        document.organization.source = "external";
        delete document.organization.serviceAccessPrincipals;
        delete document.organization.enabledPolicyTypes;
        document.organization.principalsAllowedToBeRemoved = ["license-management.marketplace.amazonaws.com"];
      }),
    ).toEqual(
      [0, 1].map(
        (index) =>
          `${file}: licenseManager.grants[${index}].marketplace: needs trusted access for license-management.marketplace.amazonaws.com, which organization.principalsAllowedToBeRemoved disables; expected no Marketplace grant while it is disabled (got marketplace: true)`,
      ),
    );
  });

  it("synthesizes one aws_licensemanager_grant per principal, in the home region, after the settings, and their activation", () => {
    const config = configWith((document) => {
      document.licenseManager.grants[0].principals = ["organization", "ou-ab12-cd34ef56", "222222222222"];
    });
    const stack = synthesizeStacks(config)["license-manager"]!;
    const grants = Object.values(stack.resource.aws_licensemanager_grant ?? {}) as Record<string, unknown>[];
    expect(grants.map((grant) => [grant.name, grant.principal, grant.provider]).sort()).toEqual([
      ["analytics-server-organization", "arn:aws:iam::222222222222:root", "aws.us-east-1"],
      [
        "analytics-server-organization",
        "arn:aws:organizations::111111111111:organization/${data.aws_organizations_organization.organization.id}",
        "aws.us-east-1",
      ],
      [
        "analytics-server-organization",
        "arn:aws:organizations::111111111111:ou/${data.aws_organizations_organization.organization.id}/ou-ab12-cd34ef56",
        "aws.us-east-1",
      ],
      ["analytics-server-security", "arn:aws:iam::444444444444:root", "aws.us-east-1"],
    ]);
    for (const grant of grants) expect(String(grant.depends_on)).toContain("settings");
    const activation = Object.values(stack.resource.terraform_data).find(
      (resource) =>
        (resource as { input: { kind: string } }).input.kind === "license-manager-grant-activation",
    ) as {
      input: { region: string; desired: { grants: { principal: string; activate: boolean }[] } };
      depends_on: string[];
    };
    expect(activation.input.region).toBe("us-east-1");
    expect(activation.input.desired.grants.map((grant) => grant.principal)).toEqual([
      "organization",
      "ou-ab12-cd34ef56",
      "222222222222",
      "444444444444",
    ]);
    expect(activation.depends_on).toHaveLength(4);
  });
});
