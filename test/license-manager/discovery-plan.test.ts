import type { DesiredDiscoveryAndReports } from "../../lib/license-manager/discovery";
import {
  planDiscoveryAndReports,
  type LiveDiscoveryAndReports,
} from "../../lib/license-manager/discovery-and-reports";
import { describeDifference as describeDiscoveryDifference } from "../../lib/reconcile/contract";
import { sqlServerDiscoveryRule } from "../helpers/expected";

const arn = "arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef";
const tags = { "license-manager-org:project": "license-manager-org" };
const rule = sqlServerDiscoveryRule;
const report = {
  name: "weekly",
  types: ["LicenseConfigurationUsageReport" as const],
  period: "WEEK" as const,
  licenseConfigurationArns: [arn],
  tags,
};
const desired: DesiredDiscoveryAndReports = {
  managedTags: tags,
  discovery: [
    {
      name: "sql",
      licenseConfigurationArn: arn,
      productInformationList: [rule],
      disassociateWhenNotFound: true,
    },
  ],
  reports: [report],
};
const inSync: LiveDiscoveryAndReports = {
  region: "us-east-1",
  discovery: [
    { licenseConfigurationArn: arn, productInformationList: [rule], disassociateWhenNotFound: true },
  ],
  reports: [{ ...report, arn: "arn:r-1" }],
};

describe("planDiscoveryAndReports", () => {
  it("plans nothing when live matches desired", () => {
    expect(planDiscoveryAndReports(desired, inSync)).toEqual({ differences: [], actions: [] });
  });

  it("names each difference and plans the calls that remove it", () => {
    const plan = planDiscoveryAndReports(desired, {
      region: "us-east-1",
      discovery: [
        { licenseConfigurationArn: arn, productInformationList: [], disassociateWhenNotFound: false },
      ],
      reports: [
        { ...report, arn: "arn:r-1", period: "DAY", description: "changed" },
        { ...report, arn: "arn:r-2", name: "stale" },
      ],
    });
    expect(plan.differences.map(describeDiscoveryDifference)).toEqual([
      'discovery rules of "sql": productInformationList: desired "SSM_MANAGED[Application Name EQUALS \\"SQL Server\\"]", live "none"',
      'discovery rules of "sql": disassociateWhenNotFound: desired true, live false',
      'report generator "weekly": period: desired "WEEK", live "DAY"',
      'report generator "weekly": description: desired "", live "changed"',
      'report generator "stale": existence: desired "absent (not in the config)", live "arn:r-2"',
    ]);
    expect(plan.actions.map((action) => action.kind)).toEqual([
      "update-discovery",
      "update-report",
      "delete-report",
    ]);
  });

  it("creates a missing generator and replaces one whose tags changed (tags are set on create only)", () => {
    expect(
      planDiscoveryAndReports(desired, { ...inSync, reports: [] }).actions.map((action) => action.kind),
    ).toEqual(["create-report"]);
    expect(
      planDiscoveryAndReports(desired, {
        ...inSync,
        reports: [{ ...report, arn: "arn:r-1", tags: { ...tags, Owner: "someone" } }],
      }).actions,
    ).toEqual([{ kind: "replace-report", arn: "arn:r-1", report }]);
  });
});
