import { asRecord, changeKind } from "../changes";
import type { RiskRule } from "./rule";

const operationsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/** The AWS provider's DeleteGrant sends the word "version", which AWS refuses (terraform-provider-aws #47901). */
const deleteFirst = (before: Record<string, unknown>): string =>
  "AWS refuses the AWS provider's DeleteGrant (terraform-provider-aws #47901): delete the grant first with " +
  `aws license-manager delete-grant --grant-arn ${String(before.arn ?? before.id)} --version <its version>`;

/**
 * A grant is what lets its recipients use a license: deleting it (a grant removed, or a principal dropped from
 * one) takes the license away from every account it reached; a replaced grant is a new grant, which the
 * organization link accepts again but which starts disabled until activated; fewer allowed operations take away
 * what recipients could do (CheckoutLicense, CreateToken, …).
 */
export const licenseGrantNarrowed: RiskRule = {
  id: "license-grant-narrowed",
  check: ({ change }) => {
    if (change.type !== "aws_licensemanager_grant" || change.mode !== "managed") return [];
    const before = asRecord(change.change.before);
    const after = asRecord(change.change.after);
    const grant = `grant ${JSON.stringify(before.name ?? after.name)} to ${String(before.principal ?? after.principal)}`;
    const kind = changeKind(change.change.actions);
    if (kind === "destroy") {
      return [
        `the ${grant} is deleted: its recipients lose the use of license ${String(before.license_arn)}. ${deleteFirst(before)}`,
      ];
    }
    if (kind === "replace") {
      const replacedBy = (change.change.replace_paths ?? []).map((path) => path.join(".")).sort();
      const cause = replacedBy.length > 0 ? ` (${replacedBy.join(", ")} cannot be updated in place)` : "";
      return [
        `the ${grant} is replaced${cause}: the old grant is deleted and its recipients lose the license until the new one is accepted and activated. ${deleteFirst(before)}`,
      ];
    }
    if (kind !== "update") return [];
    const kept = new Set(operationsOf(after.allowed_operations));
    const removed = operationsOf(before.allowed_operations).filter((operation) => !kept.has(operation));
    return removed.length > 0 ? [`narrows the ${grant}: recipients can no longer ${removed.join(", ")}`] : [];
  },
};
