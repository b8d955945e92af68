import { changeKind } from "../changes";
import type { RiskRule } from "./rule";

/** Deregistering License Manager's delegated administrator takes license management away from that account. */
export const delegatedAdministratorRemoved: RiskRule = {
  id: "delegated-administrator-removed",
  check: ({ change }) => {
    if (change.type !== "aws_organizations_delegated_administrator" || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    if (kind !== "destroy" && kind !== "replace") return [];
    const before = change.change.before as { account_id?: string; service_principal?: string } | null;
    const who = before?.account_id ? `account ${before.account_id}` : "the account";
    const service = before?.service_principal ?? "the service";
    return kind === "destroy"
      ? [`deregisters ${who} as delegated administrator for ${service}`]
      : [`re-registers ${who} as delegated administrator for ${service} (deregistered first)`];
  },
};
