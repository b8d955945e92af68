import { configWith, problemsOf } from "../helpers/config";

const file = "config/test.yaml";
const sqlServer = 1; // sandbox.yaml's sql-server-enterprise, created in us-east-1 only
const discoveryPath = `licenseManager.licenseConfigurations[${sqlServer}].automatedDiscovery`;

const withDiscovery = (productInformation: unknown[], extra: Record<string, unknown> = {}) => {
  return (document: Record<string, any>) => {
    document.licenseManager.licenseConfigurations[sqlServer].automatedDiscovery = {
      productInformation,
      ...extra,
    };
  };
};

const weeklyReport = (changes: Record<string, unknown> = {}) => ({
  name: "weekly-sql-usage",
  types: ["LicenseConfigurationUsageReport"],
  frequency: "weekly",
  licenseConfigurations: ["sql-server-enterprise"],
  regions: ["us-east-1"],
  ...changes,
});

describe("automated discovery rules", () => {
  it("loads rules of both resource types, with disassociateWhenNotFound false by default", () => {
    const config = configWith(
      withDiscovery([
        {
          resourceType: "SSM_MANAGED",
          filters: [
            { name: "Application Name", comparator: "EQUALS", values: ["Microsoft SQL Server"] },
            { name: "License Included", comparator: "NOT_EQUALS", values: ["sql-server-enterprise"] },
            { name: "AccountId", comparator: "NOT_EQUALS", values: ["222222222222"] },
            { name: "Tag:license-exempt", comparator: "NOT_EQUALS" },
          ],
        },
        {
          resourceType: "RDS",
          filters: [{ name: "Engine Edition", comparator: "EQUALS", values: ["oracle-ee"] }],
        },
      ]),
    );
    const discovery = config.licenseManager.licenseConfigurations[sqlServer]!.automatedDiscovery;
    expect(discovery?.disassociateWhenNotFound).toBe(false);
    expect(discovery?.productInformation.map((rule) => rule.resourceType)).toEqual(["SSM_MANAGED", "RDS"]);
    expect(
      configWith(
        (document) => delete document.licenseManager.licenseConfigurations[sqlServer].automatedDiscovery,
      ).licenseManager.licenseConfigurations[sqlServer]!.automatedDiscovery,
    ).toBe(undefined);
  });

  it("refuses, all at once, filters the resource type does not support, wrong comparators and values", () => {
    expect(
      problemsOf(
        withDiscovery([
          {
            resourceType: "RDS",
            filters: [
              { name: "Application Name", comparator: "EQUALS", values: ["SQL Server"] },
              { name: "Engine Edition", comparator: "NOT_EQUALS", values: ["oracle-xe"] },
            ],
          },
          {
            resourceType: "SSM_MANAGED",
            filters: [
              { name: "Tag:", comparator: "NOT_EQUALS" },
              { name: "AccountId", comparator: "NOT_EQUALS", values: ["12345"] },
              { name: "Platform Name", comparator: "EQUALS" },
            ],
          },
        ]),
      ),
    ).toEqual([
      `${file}: ${discoveryPath}.productInformation[0].filters[0].name: not a filter of resource type RDS; expected one of Engine Edition, License Pack (got "Application Name")`,
      `${file}: ${discoveryPath}.productInformation[0].filters[1].comparator: not a comparator of filter Engine Edition; expected EQUALS (got "NOT_EQUALS")`,
      `${file}: ${discoveryPath}.productInformation[0].filters[1].values[0]: not a value of filter Engine Edition; expected one of oracle-ee, oracle-se, oracle-se1, oracle-se2, db2-se, db2-ae; did you mean "oracle-ee"? (got "oracle-xe")`,
      `${file}: ${discoveryPath}.productInformation[1].filters[0].name: expected Tag: followed by a tag key of 1–128 letters, digits, spaces and _ . : / = + - @ (got "Tag:")`,
      `${file}: ${discoveryPath}.productInformation[1].filters[1].values[0]: expected a 12-digit AWS account id as the value of filter AccountId (got "12345")`,
      `${file}: ${discoveryPath}.productInformation[1].filters[2].values: required with filter Platform Name; expected a list of values (got nothing)`,
    ]);
  });

  it("refuses unknown resource types and comparators, and empty rules", () => {
    expect(
      problemsOf(
        withDiscovery(
          [
            {
              resourceType: "SSM_INSTANCE",
              filters: [{ name: "Application Name", comparator: "EQUALS", values: ["x"] }],
            },
            { resourceType: "RDS", filters: [] },
          ],
          { disassociateWhenNotFound: "yes" },
        ),
      ),
    ).toEqual([
      `${file}: ${discoveryPath}.productInformation[0].resourceType: expected one of SSM_MANAGED, RDS (got "SSM_INSTANCE")`,
      `${file}: ${discoveryPath}.productInformation[1].filters: expected at least one filter (got [])`,
      `${file}: ${discoveryPath}.disassociateWhenNotFound: expected true or false (got "yes")`,
    ]);
  });
});

describe("report generators", () => {
  it("loads a report, its regions defaulting to licenseManager.regions", () => {
    const monthly = {
      name: "monthly-windows-summary",
      types: ["LicenseConfigurationSummaryReport", "LicenseConfigurationUsageReport"],
      frequency: "monthly",
      licenseConfigurations: ["windows-server-datacenter"],
      description: "For the auditors",
      tags: { CostCenter: "licensing" },
    };
    const config = configWith((document) => {
      document.licenseManager.reports = [weeklyReport(), monthly];
    });
    expect(config.licenseManager.reports).toEqual([
      { ...weeklyReport(), tags: {} },
      { ...monthly, regions: ["us-east-1", "eu-west-1"] },
    ]);
  });

  it("refuses names, types and frequencies the API would refuse", () => {
    expect(
      problemsOf((document) => {
        document.licenseManager.reports = [
          weeklyReport({
            name: "weekly usage!",
            types: ["LicenseConfigurationUsageReport", "Usage"],
            frequency: "fortnightly",
          }),
          weeklyReport({ name: "x".repeat(101), types: [] }),
        ];
      }),
    ).toEqual([
      `${file}: licenseManager.reports[0].name: expected a report name of 1–100 letters, digits, spaces, '_', '.' and '-', starting with a letter or digit (got "weekly usage!")`,
      `${file}: licenseManager.reports[0].types[1]: expected one of LicenseConfigurationSummaryReport, LicenseConfigurationUsageReport (got "Usage")`,
      `${file}: licenseManager.reports[0].frequency: expected one of daily, weekly, monthly (got "fortnightly")`,
      `${file}: licenseManager.reports[1].name: expected a report name of 1–100 letters, digits, spaces, '_', '.' and '-', starting with a letter or digit (got "${"x".repeat(76)}...)`,
      `${file}: licenseManager.reports[1].types: expected at least one of LicenseConfigurationSummaryReport, LicenseConfigurationUsageReport (got [])`,
    ]);
  });

  it("refuses a configuration that does not exist, or not in the report's region, and colliding names", () => {
    expect(
      problemsOf((document) => {
        document.licenseManager.reports = [
          weeklyReport({ regions: undefined, licenseConfigurations: ["sql-server-enterprise", "oracle"] }),
          weeklyReport({ name: "Weekly SQL usage", regions: ["ap-south-1"] }),
          weeklyReport(),
        ];
      }),
    ).toEqual([
      `${file}: licenseManager.reports[2].name: duplicate of [0].name; expected each report name once (got "weekly-sql-usage")`,
      `${file}: licenseManager.reports[1].regions[0]: expected one of licenseManager.regions (us-east-1, eu-west-1) (got "ap-south-1")`,
      `${file}: licenseManager.reports[0].licenseConfigurations[0]: the license configuration "sql-server-enterprise" is not created in eu-west-1 (its regions: us-east-1); expected a configuration created in every region of the report, or set the report's regions (got "sql-server-enterprise")`,
      `${file}: licenseManager.reports[0].licenseConfigurations[1]: not a license configuration of licenseManager.licenseConfigurations; expected one of windows-server-datacenter, sql-server-enterprise (got "oracle")`,
      `${file}: licenseManager.reports[1].name: would share the Terraform address "weekly-sql-usage" with "weekly-sql-usage"; expected a name that differs in more than case or punctuation (got "Weekly SQL usage")`,
    ]);
  });

  it("counts defaultTags and the three project tags against AWS's 50 tags", () => {
    const tags = Object.fromEntries(Array.from({ length: 46 }, (_, index) => [`key${index}`, "v"]));
    expect(
      problemsOf((document) => {
        document.licenseManager.reports = [weeklyReport({ tags })];
      }),
    ).toEqual([
      `${file}: licenseManager.reports[0].tags: expected at most 50 tags together with defaultTags and the 3 project tags, AWS's limit per resource (got 51 tags)`,
    ]);
  });
});
