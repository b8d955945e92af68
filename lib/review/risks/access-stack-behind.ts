import { stackNames } from "../../names/stacks";
import { changeKind } from "../changes";
import type { RiskRule } from "./rule";

/** What an administrator runs, with the config in LM_CONFIG and their own credentials (docs/operations.md). */
const accessStackDeployCommand = "npx cdktf deploy access --ignore-missing-stack-dependencies";

/**
 * What a change of the access stack touches, told by its address: the construct ids `plan-role`, `plan-policy`,
 * `deploy-role` and `deploy-policy` (lib/access/access-roles.ts) are part of every address.
 */
function subject(type: string, address: string): string {
  const role = /[_.]plan-(?:role|policy)/.test(address)
    ? "plan role"
    : /[_.]deploy-(?:role|policy)/.test(address)
      ? "deploy role"
      : "access role";
  if (type === "aws_iam_role_policy") return `the ${role}'s permissions`;
  if (type === "aws_iam_role") return `the ${role} (its trust policy or settings)`;
  if (type === "aws_iam_openid_connect_provider") return "GitHub's OIDC provider";
  return `the access stack's ${type}`;
}

/**
 * The config changed what the access stack's roles may do (a region, a principal, a grant's license…), but
 * deploy.yml deploys only the organization and License Manager stacks, with the deploy role, which cannot change
 * its own permissions: merged as is, the deploy fails with AccessDenied part way. The plan role plans the access
 * stack against what IAM returns (GetRole, GetRolePolicy), so the difference shows here, before the merge.
 */
export const accessStackBehind: RiskRule = {
  id: "access-stack-redeploy-first",
  check: ({ stack, change }) => {
    if (stack !== stackNames.access || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    if (kind === "no-op") return [];
    return [
      `changes ${subject(change.type, change.address)} (${kind}): deploy.yml cannot change the access stack, so an administrator deploys it first, before this is merged: \`LM_CONFIG=<this config> ${accessStackDeployCommand}\` with administrator credentials (docs/operations.md); merged before that, the deploy can fail with AccessDenied`,
    ];
  },
};
