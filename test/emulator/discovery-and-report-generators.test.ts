import {
  CreateLicenseConfigurationCommand,
  CreateLicenseManagerReportGeneratorCommand,
  type CreateLicenseManagerReportGeneratorCommandInput,
  DeleteLicenseConfigurationCommand,
  DeleteLicenseManagerReportGeneratorCommand,
  GetLicenseConfigurationCommand,
  GetLicenseManagerReportGeneratorCommand,
  ListLicenseManagerReportGeneratorsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseManagerReportGeneratorCommand,
  UpdateServiceSettingsCommand,
} from "@aws-sdk/client-license-manager";
import {
  planDiscoveryAndReports,
  readLiveDiscoveryAndReports,
} from "../../lib/license-manager/discovery-and-reports";
import { clientsFor, errorCodeOf, useEmulator } from "./emulator-clients";

const sqlServerRule = {
  ResourceType: "SSM_MANAGED",
  ProductInformationFilterList: [
    {
      ProductInformationFilterName: "Application Name",
      ProductInformationFilterValue: ["Microsoft SQL Server 2019 Enterprise"],
      ProductInformationFilterComparator: "EQUALS",
    },
  ],
};

describe("License Manager automated discovery rules and report generators", () => {
  const emulator = useEmulator();
  const licenseManager = () => clientsFor(emulator()).licenseManager;
  const configuration = async () =>
    (
      await licenseManager().send(
        new CreateLicenseConfigurationCommand({ Name: "sql", LicenseCountingType: "vCPU", LicenseCount: 8 }),
      )
    ).LicenseConfigurationArn!;
  const read = async (arn: string) =>
    licenseManager().send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));

  it("reads a deployed configuration deleted since as missing, not as an error and not as a difference", async () => {
    const kept = await configuration();
    const deleted = await configuration();
    await licenseManager().send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: deleted }));
    const desired = {
      managedTags: {},
      discovery: [kept, deleted].map((licenseConfigurationArn, index) => ({
        name: `sql-${index}`,
        licenseConfigurationArn,
        productInformationList: [],
        disassociateWhenNotFound: false,
      })),
      reports: [],
    };
    const live = await readLiveDiscoveryAndReports(licenseManager(), "us-east-1", desired);
    expect(live.missingConfigurations).toEqual([deleted]);
    expect(live.discovery.map((item) => item.licenseConfigurationArn)).toEqual([kept]);
    expect(planDiscoveryAndReports(desired, live)).toMatchObject({ differences: [], actions: [] });
  });

  it("keeps the discovery rules through updates that leave ProductInformationList out, and clears them with []", async () => {
    const arn = await configuration();
    expect((await read(arn)).ProductInformationList).toEqual([]);
    await licenseManager().send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: arn,
        ProductInformationList: [sqlServerRule],
        DisassociateWhenNotFound: true,
      }),
    );
    // What the Terraform provider sends on a count or description change (license_configuration.go).
    await licenseManager().send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: arn,
        Name: "sql",
        Description: "changed",
        LicenseCountHardLimit: false,
        LicenseCount: 16,
      }),
    );
    expect(await read(arn)).toMatchObject({
      Description: "changed",
      LicenseCount: 16,
      ProductInformationList: [sqlServerRule],
      DisassociateWhenNotFound: true,
    });
    await licenseManager().send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, ProductInformationList: [] }),
    );
    expect((await read(arn)).ProductInformationList).toEqual([]);
  });

  it.each([
    ["an unknown resource type", [{ ...sqlServerRule, ResourceType: "SSM_INSTANCE" }]],
    ["a rule without filters", [{ ...sqlServerRule, ProductInformationFilterList: [] }]],
    [
      "an unknown comparator",
      [
        {
          ...sqlServerRule,
          ProductInformationFilterList: [
            { ProductInformationFilterName: "Application Name", ProductInformationFilterComparator: "LIKE" },
          ],
        },
      ],
    ],
  ])("refuses %s", async (_name, list) => {
    const arn = await configuration();
    const update = new UpdateLicenseConfigurationCommand({
      LicenseConfigurationArn: arn,
      ProductInformationList: list,
    });
    expect(await errorCodeOf(licenseManager().send(update))).toBe("InvalidParameterValueException");
  });

  it("creates, reads, lists, updates, tags and deletes a report generator; a repeated ClientToken creates nothing new", async () => {
    const arn = await configuration();
    await licenseManager().send(
      new UpdateServiceSettingsCommand({
        S3BucketArn: "arn:aws:s3:::aws-license-manager-service-111111111111-us-east-1",
      }),
    );
    const input: CreateLicenseManagerReportGeneratorCommandInput = {
      ReportGeneratorName: "weekly-sql-usage",
      Type: ["LicenseConfigurationUsageReport"],
      ReportContext: { licenseConfigurationArns: [arn] },
      ReportFrequency: { value: 1, period: "WEEK" },
      ClientToken: "token-1",
      Description: "for the auditors",
      Tags: [{ Key: "team", Value: "licensing" }],
    };
    const { LicenseManagerReportGeneratorArn: generatorArn } = await licenseManager().send(
      new CreateLicenseManagerReportGeneratorCommand(input),
    );
    expect(generatorArn).toMatch(
      /^arn:aws:license-manager:us-east-1:111111111111:report-generator:r-[0-9a-f]{32}$/,
    );
    expect(
      (await licenseManager().send(new CreateLicenseManagerReportGeneratorCommand(input)))
        .LicenseManagerReportGeneratorArn,
    ).toBe(generatorArn);

    const { ReportGenerator } = await licenseManager().send(
      new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
    );
    expect(ReportGenerator).toMatchObject({
      ReportGeneratorName: "weekly-sql-usage",
      ReportType: ["LicenseConfigurationUsageReport"],
      ReportContext: { licenseConfigurationArns: [arn] },
      ReportFrequency: { value: 1, period: "WEEK" },
      Description: "for the auditors",
      ReportCreatorAccount: "111111111111",
      S3Location: { bucket: "aws-license-manager-service-111111111111-us-east-1" },
      Tags: [{ Key: "team", Value: "licensing" }],
    });

    await licenseManager().send(
      new UpdateLicenseManagerReportGeneratorCommand({
        LicenseManagerReportGeneratorArn: generatorArn,
        ReportGeneratorName: "weekly-sql-usage",
        Type: ["LicenseConfigurationSummaryReport", "LicenseConfigurationUsageReport"],
        ReportContext: { licenseConfigurationArns: [arn] },
        ReportFrequency: { value: 1, period: "MONTH" },
        ClientToken: "token-2",
      }),
    );
    await licenseManager().send(
      new TagResourceCommand({ ResourceArn: generatorArn, Tags: [{ Key: "owner", Value: "audit" }] }),
    );
    const { ReportGenerators } = await licenseManager().send(
      new ListLicenseManagerReportGeneratorsCommand({}),
    );
    expect(ReportGenerators?.map((g) => [g.ReportFrequency?.period, g.ReportType, g.Description])).toEqual([
      ["MONTH", ["LicenseConfigurationSummaryReport", "LicenseConfigurationUsageReport"], undefined],
    ]);
    expect(
      (await licenseManager().send(new ListTagsForResourceCommand({ ResourceArn: generatorArn }))).Tags,
    ).toEqual([
      { Key: "team", Value: "licensing" },
      { Key: "owner", Value: "audit" },
    ]);

    await licenseManager().send(
      new DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
    );
    expect(
      await errorCodeOf(
        licenseManager().send(
          new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
        ),
      ),
    ).toBe("ResourceNotFoundException");
  });

  it.each([
    ["an unknown report type", { Type: ["LicenseUsage"] }],
    [
      "a configuration that does not exist",
      {
        ReportContext: {
          licenseConfigurationArns: [
            "arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0",
          ],
        },
      },
    ],
    ["an unknown period", { ReportFrequency: { value: 1, period: "FORTNIGHT" } }],
    ["a value other than 1", { ReportFrequency: { value: 2, period: "WEEK" } }],
    ["a name over 100 characters", { ReportGeneratorName: "r".repeat(101) }],
  ])("refuses a report generator with %s", async (_name, change) => {
    const arn = await configuration();
    const create = new CreateLicenseManagerReportGeneratorCommand({
      ReportGeneratorName: "weekly",
      Type: ["LicenseConfigurationUsageReport"],
      ReportContext: { licenseConfigurationArns: [arn] },
      ReportFrequency: { value: 1, period: "WEEK" },
      ClientToken: "token",
      ...(change as Partial<CreateLicenseManagerReportGeneratorCommandInput>),
    });
    expect(await errorCodeOf(licenseManager().send(create))).toBe("InvalidParameterValueException");
  });
});
