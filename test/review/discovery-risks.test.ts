import type { ResourceChangeJson } from "../../lib/terraform/plan-json";
import { reconciledRiskRules } from "../../lib/review/risks/reconciled";
import { sqlServerDiscoveryRule } from "../helpers/expected";

const rule = sqlServerDiscoveryRule;
const weekly = { name: "weekly-sql-usage", types: ["LicenseConfigurationUsageReport"], period: "WEEK" };
const input = (discovery: unknown[], reports: unknown[]) => ({
  kind: "license-manager-discovery-and-reports",
  region: "us-east-1",
  desired: { managedTags: {}, discovery, reports },
});
const before = input([{ name: "sql", productInformationList: [rule] }], [weekly]);
const change = (actions: string[], after: unknown, afterUnknown: unknown = {}): ResourceChangeJson =>
  ({
    address: "terraform_data.us-east-1_discovery-and-reports_apply",
    mode: "managed",
    type: "terraform_data",
    name: "us-east-1_discovery-and-reports_apply",
    change: {
      actions,
      before: { input: before },
      after: after === null ? null : { input: after },
      after_unknown: afterUnknown,
    },
  }) as unknown as ResourceChangeJson;
const flags = (resourceChange: ResourceChangeJson, synthesized?: object) =>
  reconciledRiskRules
    .filter((rule) => rule.id === "discovery-rule-removed" || rule.id === "report-generator-deleted")
    .flatMap((rule) => rule.check({ stack: "license-manager", change: resourceChange, synthesized }));

describe("review flags for discovery rules and report generators", () => {
  it("flags a discovery rule removed and a report generator deleted by a replacement", () => {
    expect(
      flags(change(["delete", "create"], input([{ name: "sql", productInformationList: [] }], []))),
    ).toEqual([
      'removes the automated discovery rules of license configuration "sql" (1 rule(s)): resources running the software from unassociated AMIs are no longer counted',
      'deletes the report generator "weekly-sql-usage" (LicenseConfigurationUsageReport, WEEK): its reports stop arriving in the report bucket',
    ]);
  });

  it("reads an input still unknown (a configuration replaced) from the synthesized configuration", () => {
    const synthesized = {
      resource: {
        terraform_data: {
          "us-east-1_discovery-and-reports_apply": {
            input: input([{ name: "sql", productInformationList: [] }], [weekly]),
          },
        },
      },
    };
    expect(flags(change(["delete", "create"], {}, { input: true }), synthesized)).toEqual([
      'removes the automated discovery rules of license configuration "sql" (1 rule(s)): resources running the software from unassociated AMIs are no longer counted',
    ]);
  });

  it("flags rules and reports no longer managed when the resource is destroyed", () => {
    expect(flags(change(["delete"], null))).toEqual([
      'the automated discovery rules of license configuration "sql" are no longer managed: their resource is destroyed',
      'the report generator "weekly-sql-usage" is no longer managed: its resource is destroyed',
    ]);
  });

  it("raises nothing when rules and reports are kept or changed, or for other resources", () => {
    const changedRule = { ...rule, ResourceType: "RDS" };
    expect(
      flags(
        change(
          ["delete", "create"],
          input([{ name: "sql", productInformationList: [changedRule] }], [{ ...weekly, period: "MONTH" }]),
        ),
      ),
    ).toEqual([]);
    const settings = change(["delete", "create"], { enableIntegration: true });
    (settings.change as { before: unknown }).before = {
      input: { region: "us-east-1", enableIntegration: true },
    };
    expect(flags(settings)).toEqual([]);
  });
});
