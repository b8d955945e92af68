import { changeKind } from "../changes";
import type { RiskRule } from "./rule";

/** Destroying the organization removes every account from it; replacing it is never what one wants. */
export const organizationReplacedOrDestroyed: RiskRule = {
  id: "organization-replaced-or-destroyed",
  check: ({ change }) => {
    if (change.type !== "aws_organizations_organization" || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    if (kind === "replace") return ["the organization is replaced (destroyed, then created again)"];
    if (kind === "destroy") return ["the organization is destroyed"];
    return [];
  },
};
