import { asRecord, changeKind } from "../changes";
import type { LicensesInUse } from "../live";
import type { ResourceChangeJson } from "../../terraform/plan-json";
import type { RiskRule } from "./rule";

interface LoweredLimit {
  /** The configuration's ARN in the state, to read its usage; absent for one never created. */
  readonly arn?: string;
  readonly before: number;
  readonly after: number;
}

/** A hard-limited license_count the change lowers, or undefined. */
export function loweredHardLimit(change: ResourceChangeJson): LoweredLimit | undefined {
  if (change.type !== "aws_licensemanager_license_configuration" || change.mode !== "managed")
    return undefined;
  const kind = changeKind(change.change.actions);
  if (kind !== "update" && kind !== "replace") return undefined;
  const before = asRecord(change.change.before);
  const after = asRecord(change.change.after);
  if (after.license_count_hard_limit !== true) return undefined;
  if (typeof before.license_count !== "number" || typeof after.license_count !== "number") return undefined;
  if (after.license_count >= before.license_count) return undefined;
  return {
    ...(typeof before.arn === "string" && { arn: before.arn }),
    before: before.license_count,
    after: after.license_count,
  };
}

/** What the licenses in use now mean for the new count, as one clause of the reason. */
function usageClause(after: number, inUse: LicensesInUse | undefined): string {
  if (inUse === undefined) return "licenses in use now: not read";
  if ("error" in inUse) return `licenses in use now: unknown (${inUse.error})`;
  const { consumed } = inUse;
  if (consumed > after) {
    return `BELOW USE: ${consumed} licenses are in use now (ConsumedLicenses), ${consumed - after} more than the new count: no new launch until usage drops below ${after}`;
  }
  return `${consumed} licenses are in use now (ConsumedLicenses): ${after - consumed} left after the change`;
}

/**
 * With license_count_hard_limit, License Manager blocks launches beyond license_count ("Exceeding a hard limit
 * blocks the launch of new instances", LicenseCountHardLimit in
 * https://docs.aws.amazon.com/license-manager/latest/APIReference/API_CreateLicenseConfiguration.html; AWS does
 * not say what happens to usage already above a lowered count): lowering the count can block launches, and a count below the licenses in use blocks every new one; removing the limit lets usage
 * exceed what was bought without a stop. The review names the licenses in use now (GetLicenseConfiguration's
 * ConsumedLicenses, read by the plan tool) so that a reviewer sees the impact, not only the numbers.
 */
export const licenseLimitLowered: RiskRule = {
  id: "license-limit-lowered",
  check: ({ change, live }) => {
    if (change.type !== "aws_licensemanager_license_configuration" || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    if (kind !== "update" && kind !== "replace") return [];
    const before = asRecord(change.change.before);
    const after = asRecord(change.change.after);
    const reasons: string[] = [];
    if (before.license_count_hard_limit === true && after.license_count_hard_limit !== true) {
      reasons.push(
        `removes the hard limit (license_count_hard_limit: true -> ${JSON.stringify(after.license_count_hard_limit ?? null)}): usage may exceed ${String(before.license_count)} licenses`,
      );
    }
    if (after.license_count_hard_limit === true && typeof before.license_count === "number") {
      if (after.license_count === null || after.license_count === undefined) {
        reasons.push(`removes license_count (was ${before.license_count}) while the hard limit is on`);
      }
    }
    const lowered = loweredHardLimit(change);
    if (lowered) {
      const inUse = lowered.arn === undefined ? undefined : live?.licensesInUse?.get(lowered.arn);
      reasons.push(
        `lowers license_count from ${lowered.before} to ${lowered.after} while the hard limit is on: launches beyond ${lowered.after} are blocked; ${usageClause(lowered.after, inUse)}`,
      );
    }
    return reasons;
  },
};
