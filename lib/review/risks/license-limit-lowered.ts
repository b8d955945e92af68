import { asRecord, changeKind } from "../changes";
import type { RiskRule } from "./rule";

/**
 * With license_count_hard_limit, License Manager blocks launches beyond license_count: lowering the
 * count can block launches; removing the limit lets usage exceed what was bought without a stop.
 */
export const licenseLimitLowered: RiskRule = {
  id: "license-limit-lowered",
  check: ({ change }) => {
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
    const beforeCount = before.license_count;
    const afterCount = after.license_count;
    if (after.license_count_hard_limit === true && typeof beforeCount === "number") {
      if (afterCount === null || afterCount === undefined) {
        reasons.push(`removes license_count (was ${beforeCount}) while the hard limit is on`);
      } else if (typeof afterCount === "number" && afterCount < beforeCount) {
        reasons.push(
          `lowers license_count from ${beforeCount} to ${afterCount} while the hard limit is on: launches beyond ${afterCount} are blocked`,
        );
      }
    }
    return reasons;
  },
};
