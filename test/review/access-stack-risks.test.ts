import { accessStackBehind } from "../../lib/review/risks/access-stack-behind";
import { flagsOf } from "../../lib/review/risks";
import type { PlanAction, ResourceChangeJson } from "../../lib/terraform/plan-json";
import { configWith } from "../helpers/config";
import { synthesizeStacks } from "../helpers/synth";

// The access stack's real addresses, as the config synthesizes them.
const { access } = synthesizeStacks(configWith(() => {}));
const addresses = Object.entries(access.resource as Record<string, Record<string, unknown>>).flatMap(
  ([type, resources]) => Object.keys(resources).map((name) => ({ type, name, address: `${type}.${name}` })),
);
const addressOf = (type: string, pattern: RegExp) =>
  addresses.find((resource) => resource.type === type && pattern.test(resource.name))!;

function change(type: string, pattern: RegExp, actions: PlanAction[]): ResourceChangeJson {
  const { name, address } = addressOf(type, pattern);
  return { address, mode: "managed", type, name, change: { actions, before: {}, after: {} } };
}

const command =
  "`LM_CONFIG=<this config> npx cdktf deploy access --ignore-missing-stack-dependencies` with administrator credentials (docs/operations.md); merged before that, the deploy can fail with AccessDenied";

describe("the review of a config change the access stack must be deployed for first", () => {
  it("flags every change of the roles, their policies and the OIDC provider, naming the administrator's command", () => {
    const reasons = [
      change("aws_iam_role_policy", /deploy-policy/, ["update"]),
      change("aws_iam_role_policy", /plan-policy/, ["update"]),
      change("aws_iam_role", /deploy-role/, ["update"]),
      change("aws_iam_openid_connect_provider", /./, ["delete", "create"]),
    ].map((resourceChange) => flagsOf(accessStackBehind, { stack: "access", change: resourceChange }));
    expect(reasons.map((flags) => flags.map((flag) => [flag.rule, flag.stack, flag.reason]))).toEqual([
      [
        [
          "access-stack-redeploy-first",
          "access",
          `changes the deploy role's permissions (update): deploy.yml cannot change the access stack, so an administrator deploys it first, before this is merged: ${command}`,
        ],
      ],
      [
        [
          "access-stack-redeploy-first",
          "access",
          `changes the plan role's permissions (update): deploy.yml cannot change the access stack, so an administrator deploys it first, before this is merged: ${command}`,
        ],
      ],
      [
        [
          "access-stack-redeploy-first",
          "access",
          `changes the deploy role (its trust policy or settings) (update): deploy.yml cannot change the access stack, so an administrator deploys it first, before this is merged: ${command}`,
        ],
      ],
      [
        [
          "access-stack-redeploy-first",
          "access",
          `changes GitHub's OIDC provider (replace): deploy.yml cannot change the access stack, so an administrator deploys it first, before this is merged: ${command}`,
        ],
      ],
    ]);
  });

  it("says nothing when the access stack is current, nor for the stacks deploy.yml deploys", () => {
    const unchanged = change("aws_iam_role_policy", /deploy-policy/, ["no-op"]);
    expect(accessStackBehind.check({ stack: "access", change: unchanged })).toEqual([]);
    const elsewhere = change("aws_iam_role_policy", /deploy-policy/, ["update"]);
    for (const stack of ["organization", "license-manager", "bootstrap"]) {
      expect(accessStackBehind.check({ stack, change: elsewhere })).toEqual([]);
    }
  });
});
