import { asRecord, changeKind } from "../changes";
import type { RiskRule } from "./rule";

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/**
 * Organizations treats aws_service_access_principals as the whole list: a principal missing after the
 * apply is disabled, cutting that service off from every account.
 */
export const servicePrincipalRemoved: RiskRule = {
  id: "service-access-principal-removed",
  check: ({ change }) => {
    if (change.type !== "aws_organizations_organization" || change.mode !== "managed") return [];
    // Forgotten (a removed block, source: import → external): Terraform stops managing it, and disables nothing.
    if (changeKind(change.change.actions) === "forget") return [];
    const before = stringList(asRecord(change.change.before).aws_service_access_principals);
    if (before.length === 0) return [];
    if (asRecord(change.change.after_unknown).aws_service_access_principals === true) {
      return [
        `trusted-access principals become unknown until apply: may disable any of ${before.sort().join(", ")}`,
      ];
    }
    const after = new Set(stringList(asRecord(change.change.after).aws_service_access_principals));
    const removed = before.filter((principal) => !after.has(principal)).sort();
    return removed.length === 0 ? [] : [`disables trusted access for ${removed.join(", ")}`];
  },
};
