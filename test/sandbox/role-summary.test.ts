import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { formatIdentities, summarizeIdentities } from "../../sandbox/role-summary";

const entry = (overrides: Partial<CallLogEntry>): CallLogEntry => ({
  time: "2026-11-26T00:00:00.000Z",
  service: "organizations",
  action: "DescribeOrganization",
  region: "us-east-1",
  status: 200,
  ...overrides,
});

describe("calls by identity", () => {
  const deployer = "arn:aws:iam::111111111111:role/LicenseManagerDeployer";
  const admin = "arn:aws:iam::111111111111:user/sandbox-admin";
  const summaries = summarizeIdentities([
    entry({ roleArn: deployer, iamAction: "organizations:DescribeOrganization", decision: "allowed" }),
    entry({
      roleArn: deployer,
      iamAction: "sns:CreateTopic",
      decision: "allowed",
      additionalChecks: [{ iamAction: "sns:TagResource", resources: ["*"], decision: "denied" }],
    }),
    entry({ principal: admin, iamAction: "s3:CreateBucket", decision: "unrestricted" }),
  ]);

  it("counts calls, distinct permitted actions and denials (tag-on-create checks included) per identity", () => {
    expect(summaries).toEqual([
      {
        identity: deployer,
        calls: 2,
        denied: 1,
        actions: ["organizations:DescribeOrganization", "sns:CreateTopic"],
      },
      { identity: admin, calls: 1, denied: 0, actions: ["s3:CreateBucket"] },
    ]);
  });

  it("names the stacks each identity deployed", () => {
    expect(formatIdentities(summaries, new Map([[admin, ["bootstrap", "access"]]]))).toContain(
      `${admin} (bootstrap, access): 1 calls, 1 distinct actions, 0 denied`,
    );
  });
});
