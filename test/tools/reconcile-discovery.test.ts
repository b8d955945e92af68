import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import {
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseManagerReportGeneratorsCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseManagerReportGeneratorCommand,
} from "@aws-sdk/client-license-manager";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import type { LicenseConfigurationConfig } from "../../lib/config/model";
import { discoveryAndReports } from "../../lib/license-manager/discovery-and-reports";
import { LicenseConfiguration } from "../../lib/license-manager/license-configuration";
import { ReconciledResource } from "../../lib/reconcile/resource";
import { runTool, sandboxCredentials } from "./run-tool";
import { useStackAgainstEmulator } from "./stack-against-emulator";

const region = "us-east-1";
const managedTags = {
  "license-manager-org:project": "license-manager-org",
  "license-manager-org:environment": "test",
  "license-manager-org:stack": "license-manager",
};
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

interface Variant {
  readonly licenseCount: number;
  readonly applicationName?: string;
  readonly period?: "DAY" | "WEEK" | "MONTH";
}

/**
 * The license-manager stack's wiring in one region (license-manager-region.ts), without bucket and topic:
 * a license configuration by the provider and its discovery rules and report by the discovery resource.
 */
function stackJson(variant: Variant): string {
  const stack = new TerraformStack(Testing.app(), "discovery");
  const provider = new AwsProvider(stack, "aws", { region });
  const licenseConfiguration: LicenseConfigurationConfig = {
    name: "sql-server-enterprise",
    licenseCountingType: "vCPU",
    licenseCount: variant.licenseCount,
    hardLimit: false,
    rules: {},
    tags: {},
    regions: [region],
    associatedAmis: {},
  };
  const configuration = new LicenseConfiguration(stack, "sql", {
    provider,
    region,
    licenseConfiguration,
    dependsOn: [],
  });
  const arn = configuration.configuration.arn;
  new ReconciledResource(stack, "discovery-and-reports", {
    kind: discoveryAndReports,
    region,
    desired: {
      managedTags,
      discovery: [
        {
          name: "sql-server-enterprise",
          licenseConfigurationArn: arn,
          productInformationList: variant.applicationName
            ? [
                {
                  ResourceType: "SSM_MANAGED",
                  ProductInformationFilterList: [
                    {
                      ProductInformationFilterName: "Application Name",
                      ProductInformationFilterValue: [variant.applicationName],
                      ProductInformationFilterComparator: "EQUALS",
                    },
                  ],
                },
              ]
            : [],
          disassociateWhenNotFound: variant.applicationName !== undefined,
        },
      ],
      reports: variant.period
        ? [
            {
              name: "sql-usage",
              types: ["LicenseConfigurationUsageReport"],
              period: variant.period,
              licenseConfigurationArns: [arn],
              tags: { ...managedTags },
            },
          ]
        : [],
    },
    dependsOn: [],
  });
  return Testing.synth(stack);
}

describe("discovery rules and report generators applied by terraform (hashicorp/aws 5.100.0) against the emulator", () => {
  const stack = useStackAgainstEmulator("discovery");
  const emulator = stack.emulator;
  let client: LicenseManagerClient;
  beforeAll(() => {
    client = new LicenseManagerClient({ region, endpoint: emulator().url, credentials: sandboxCredentials });
  });

  /** terraform that fails the test with its output when it fails, as execFile would. */
  const terraform = async (...args: string[]) => {
    const result = await stack.terraform(...args);
    if (result.exitCode !== 0) throw new Error(`terraform ${args.join(" ")} failed:\n${result.stderr}`);
    return result;
  };
  const apply = async (variant: Variant) => {
    stack.write(stackJson(variant));
    return terraform("apply", "-auto-approve", "-input=false");
  };
  const configurationArn = async () => {
    const state = JSON.parse((await terraform("show", "-json")).stdout);
    return state.values.root_module.resources.find(
      (resource: { type: string }) => resource.type === "aws_licensemanager_license_configuration",
    ).values.arn as string;
  };
  const live = async () => {
    const configuration = await client.send(
      new GetLicenseConfigurationCommand({ LicenseConfigurationArn: await configurationArn() }),
    );
    const { ReportGenerators = [] } = await client.send(new ListLicenseManagerReportGeneratorsCommand({}));
    return {
      count: configuration.LicenseCount,
      applications: (configuration.ProductInformationList ?? []).map(
        (rule) => rule.ProductInformationFilterList?.[0]?.ProductInformationFilterValue?.[0],
      ),
      disassociateWhenNotFound: configuration.DisassociateWhenNotFound,
      reports: ReportGenerators.map((generator) => [
        generator.ReportGeneratorName,
        generator.ReportFrequency?.period,
        generator.LicenseManagerReportGeneratorArn,
      ]),
    };
  };
  const log = async () =>
    (await (await fetch(`${emulator().url}/_sandbox/log`)).json()) as (CallLogEntry & { body?: unknown })[];

  it("creates, updates, keeps through the provider's updates, restores and removes them", async () => {
    const initial: Variant = { licenseCount: 8, applicationName: "SQL Server 2019", period: "WEEK" };
    stack.write(stackJson(initial));
    await terraform("init", "-input=false");

    // Created by the apply.
    const created = await apply(initial);
    expect(created.stdout).toContain("Updated discovery rules and report generators in us-east-1:");
    const first = await live();
    expect(first).toMatchObject({
      applications: ["SQL Server 2019"],
      disassociateWhenNotFound: true,
      reports: [["sql-usage", "WEEK", expect.stringMatching(/:report-generator:r-/)]],
    });

    // A changed filter and schedule: the resource is replaced, the generator updated in place (same ARN).
    await apply({ licenseCount: 8, applicationName: "SQL Server 2022", period: "MONTH" });
    const changed = await live();
    expect(changed.applications).toEqual(["SQL Server 2022"]);
    expect(changed.reports).toEqual([["sql-usage", "MONTH", first.reports[0]![2]]]);

    // The provider's own update of the configuration (a count) leaves the discovery rules alone.
    const beforeCount = (await log()).length;
    const counted = await apply({ licenseCount: 16, applicationName: "SQL Server 2022", period: "MONTH" });
    expect(counted.stdout).toContain("1 changed, 0 destroyed");
    expect(counted.stdout).not.toContain("tools/reconcile.ts");
    const providerUpdates = (await log())
      .slice(beforeCount)
      .filter((entry) => entry.action === "UpdateLicenseConfiguration");
    expect(providerUpdates).toHaveLength(1);
    expect(await live()).toMatchObject({ count: 16, applications: ["SQL Server 2022"] });

    // Changed out of band: diff names each difference, reconcile restores from the state.
    const arn = await configurationArn();
    await client.send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, ProductInformationList: [] }),
    );
    await client.send(
      new UpdateLicenseManagerReportGeneratorCommand({
        LicenseManagerReportGeneratorArn: first.reports[0]![2],
        ReportGeneratorName: "sql-usage",
        Type: ["LicenseConfigurationUsageReport"],
        ReportContext: { licenseConfigurationArns: [arn] },
        ReportFrequency: { value: 1, period: "DAY" },
        ClientToken: "out-of-band",
      }),
    );
    const home = mkdtempSync(join(stack.workDirectory(), "home-"));
    const reconcile = await runTool(
      "reconcile",
      emulator().url,
      home,
      ["restore", "--stack-dir", stack.stackDirectory()],
      { LM_ROLE: "none" },
    );
    expect(reconcile.stderr).toContain(
      `discovery rules of "sql-server-enterprise": productInformationList: desired "SSM_MANAGED[Application Name EQUALS \\"SQL Server 2022\\"]", live "none"`,
    );
    expect(reconcile.stderr).toContain(`report generator "sql-usage": period: desired "MONTH", live "DAY"`);
    expect(reconcile.exitCode).toBe(0);
    expect((await live()).applications).toEqual(["SQL Server 2022"]);
    expect((await live()).reports).toEqual([["sql-usage", "MONTH", first.reports[0]![2]]]);

    // Removed from the config: the rules cleared, the generator deleted.
    await apply({ licenseCount: 16 });
    expect(await live()).toMatchObject({ applications: [], disassociateWhenNotFound: false, reports: [] });
  }, 480_000);
});
