import { configWith } from "../helpers/config";
import { synthesizeStacks, type SynthesizedStack } from "../helpers/synth";

const inRegion = (stack: SynthesizedStack, type: string, region: string): [string, Record<string, any>][] =>
  Object.entries(stack.resource[type] ?? {}).filter(([name]) => name.startsWith(`${region}_`)) as [
    string,
    Record<string, any>,
  ][];
const discoveryIn = (stack: SynthesizedStack, region: string) =>
  inRegion(stack, "terraform_data", region).filter(([name]) => name.includes("_discovery-and-reports_"));
const configurationArn = (stack: SynthesizedStack, region: string, name: string) => {
  const [[resourceName]] = inRegion(stack, "aws_licensemanager_license_configuration", region).filter(
    ([, configuration]) => configuration.name === name,
  );
  return `\${aws_licensemanager_license_configuration.${resourceName}.arn}`;
};

const sqlServerRule = {
  ResourceType: "SSM_MANAGED",
  ProductInformationFilterList: [
    {
      ProductInformationFilterName: "Application Name",
      ProductInformationFilterValue: ["Microsoft SQL Server Enterprise"],
      ProductInformationFilterComparator: "EQUALS",
    },
    { ProductInformationFilterName: "Tag:license-exempt", ProductInformationFilterComparator: "NOT_EQUALS" },
  ],
};

const projectTags = {
  "license-manager-org:project": "license-manager-org",
  "license-manager-org:environment": "sandbox",
  "license-manager-org:stack": "license-manager",
};

describe("discovery rules and report generators of the license-manager stack", () => {
  const stack = synthesizeStacks(
    configWith((document) => {
      document.licenseManager.licenseConfigurations[1].automatedDiscovery = {
        productInformation: [
          {
            resourceType: "SSM_MANAGED",
            filters: [
              { name: "Application Name", comparator: "EQUALS", values: ["Microsoft SQL Server Enterprise"] },
              { name: "Tag:license-exempt", comparator: "NOT_EQUALS" },
            ],
          },
        ],
        disassociateWhenNotFound: true,
      };
      document.licenseManager.reports = [
        {
          name: "weekly-sql-usage",
          types: ["LicenseConfigurationUsageReport"],
          frequency: "weekly",
          licenseConfigurations: ["sql-server-enterprise"],
          regions: ["us-east-1"],
          tags: { Audience: "auditors" },
        },
      ];
    }),
  )["license-manager"];
  const [[, usEast]] = discoveryIn(stack, "us-east-1");
  const [[, euWest]] = discoveryIn(stack, "eu-west-1");
  const [[settingsName]] = inRegion(stack, "terraform_data", "us-east-1").filter(([name]) =>
    name.includes("_settings_"),
  );

  it("records every configuration of the region, with its rules or none, and the region's reports by ARN", () => {
    const desired = {
      managedTags: projectTags,
      discovery: [
        {
          name: "windows-server-datacenter",
          licenseConfigurationArn: configurationArn(stack, "us-east-1", "windows-server-datacenter"),
          productInformationList: [],
          disassociateWhenNotFound: false,
        },
        {
          name: "sql-server-enterprise",
          licenseConfigurationArn: configurationArn(stack, "us-east-1", "sql-server-enterprise"),
          productInformationList: [sqlServerRule],
          disassociateWhenNotFound: true,
        },
      ],
      reports: [
        {
          name: "weekly-sql-usage",
          types: ["LicenseConfigurationUsageReport"],
          period: "WEEK",
          licenseConfigurationArns: [configurationArn(stack, "us-east-1", "sql-server-enterprise")],
          tags: {
            Project: "license-manager-org",
            Environment: "sandbox",
            Audience: "auditors",
            ...projectTags,
          },
        },
      ],
    };
    const input = { kind: "license-manager-discovery-and-reports", region: "us-east-1", desired };
    expect(usEast.input).toEqual(input);
    // Replaced, and so applied again, whenever any rule, report or configuration ARN changes.
    expect(usEast.triggers_replace).toEqual(input);
    expect(euWest.input).toMatchObject({
      region: "eu-west-1",
      desired: {
        discovery: [{ name: "windows-server-datacenter", productInformationList: [] }],
        reports: [],
      },
    });
  });

  it("runs the reconcile CLI from the project root with the deploy role, after the settings", () => {
    const { "local-exec": localExec } = usEast.provisioner[0];
    expect(localExec.working_dir).toBe("${path.root}/../../..");
    expect(localExec.command).toBe(
      'npx --no-install tsx tools/reconcile.ts apply --input "$LM_RECONCILE_INPUT" ' +
        '--role-arn "$LM_RECONCILE_ROLE"',
    );
    expect(localExec.environment.LM_RECONCILE_INPUT).toMatch(/^\$\{jsonencode\(\{/);
    expect(usEast.depends_on).toEqual([`terraform_data.${settingsName}`]);
  });

  it("synthesizes no discovery resource in a region without configurations or reports", () => {
    const bare = synthesizeStacks(
      configWith((document) => {
        document.licenseManager.licenseConfigurations = [];
        document.licenseManager.reports = [];
      }),
    )["license-manager"];
    expect(discoveryIn(bare, "us-east-1")).toEqual([]);
  });
});
