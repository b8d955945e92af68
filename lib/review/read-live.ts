import { GetLicenseConfigurationCommand, LicenseManagerClient } from "@aws-sdk/client-license-manager";
import { callerSession } from "../aws/credentials";
import { clientConfig } from "../aws/client-config";
import { describeAwsError } from "../aws/errors";
import type { PlanJson } from "../terraform/plan-json";
import type { LicensesInUse, LiveFacts } from "./live";
import { loweredHardLimit } from "./risks/license-limit-lowered";

/** The region of a License Manager ARN (arn:<partition>:license-manager:<region>:<account>:…). */
const arnRegion = (arn: string): string | undefined => arn.split(":")[3] || undefined;

/**
 * Reads what the review shows as live impact for one stack's plan: the licenses in use now of each license
 * configuration whose hard-limited count the plan lowers (GetLicenseConfiguration returns ConsumedLicenses, "Number
 * of licenses consumed": https://docs.aws.amazon.com/license-manager/latest/APIReference/API_GetLicenseConfiguration.html). The plan role may call it
 * (lib/access/policies.ts, LicenseConfigurationRead). A read that fails is reported in the review, not fatal:
 * the plan stands and the reviewer sees that the usage is unknown.
 */
export async function readLiveFacts(plan: PlanJson, roleArn: string | undefined): Promise<LiveFacts> {
  const arns = new Set<string>();
  for (const change of plan.resource_changes ?? []) {
    const lowered = loweredHardLimit(change);
    if (lowered?.arn !== undefined) arns.add(lowered.arn);
  }
  if (arns.size === 0) return {};
  const licensesInUse = new Map<string, LicensesInUse>();
  for (const arn of arns) {
    const region = arnRegion(arn);
    if (region === undefined) {
      licensesInUse.set(arn, { error: `no region in the ARN ${arn}` });
      continue;
    }
    const { credentials } = callerSession(region, roleArn, "license-manager-plan");
    const client = new LicenseManagerClient(clientConfig(region, credentials));
    try {
      const answer = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
      licensesInUse.set(
        arn,
        typeof answer.ConsumedLicenses === "number"
          ? { consumed: answer.ConsumedLicenses }
          : { error: "GetLicenseConfiguration returned no ConsumedLicenses" },
      );
    } catch (error) {
      licensesInUse.set(arn, { error: `GetLicenseConfiguration failed: ${describeAwsError(error)}` });
    } finally {
      client.destroy();
    }
  }
  return { licensesInUse };
}
