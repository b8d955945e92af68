import { synthesizedResource } from "../../cdktf/synthesized-stack";
import type { AnyKind } from "../../reconcile/contract";
import { inputEnvelope } from "../../reconcile/input";
import { reconcileKinds } from "../../reconcile/registry";
import { asRecord, changeKind } from "../changes";
import type { RiskContext, RiskRule } from "./rule";

/**
 * A reconciled resource's desired state before and after a change (lib/reconcile/resource.ts), or undefined for
 * any other change. `after` is undefined when the resource is destroyed. An input with unknown parts (ARNs of
 * resources still to be created) is read from the synthesized configuration, where names, switches and rules
 * are literals; the risk checks read only those, so neither side goes through the kind's schema (a reference
 * such as `${aws_s3_bucket.x.arn}` is no ARN).
 */
function desiredStates(kind: AnyKind, { change, synthesized }: RiskContext) {
  if (change.type !== "terraform_data" || change.mode !== "managed") return undefined;
  const before = inputEnvelope(asRecord(change.change.before).input);
  if (before?.kind !== kind.kind) return undefined;
  if (changeKind(change.change.actions) === "destroy") return { before: before.desired, after: undefined };
  const unknown = asRecord(change.change.after_unknown).input;
  const after = inputEnvelope(
    unknown === undefined || unknown === false
      ? asRecord(change.change.after).input
      : synthesizedResource(synthesized, change.type, change.name)?.input,
  );
  return after?.kind === kind.kind ? { before: before.desired, after: after.desired } : undefined;
}

/** Every kind's review checks, as rules of the review (their ids are the review's). */
export const reconciledRiskRules: readonly RiskRule[] = reconcileKinds.flatMap((kind) =>
  kind.risks.map((risk): RiskRule => ({
    id: risk.id,
    check: (context) => {
      const states = desiredStates(kind, context);
      return states ? risk.check(states.before, states.after) : [];
    },
  })),
);

/**
 * A reconciled resource replaced because its data source saw the live state differ (lib/reconcile/resource.ts,
 * `liveInSync`): the apply puts back what changed outside Terraform. Worth a reviewer's eye: something or
 * someone changed it, and may do so again.
 */
export const outOfBandChangeReverted: RiskRule = {
  id: "out-of-band-change-reverted",
  check: ({ change }) => {
    if (change.type !== "terraform_data" || change.mode !== "managed") return [];
    const before = asRecord(asRecord(change.change.before).triggers_replace);
    const unknown = asRecord(change.change.after_unknown).triggers_replace;
    const liveUnknown = unknown === true || asRecord(unknown).live === true;
    const envelope = inputEnvelope(asRecord(change.change.before).input);
    if (before.live !== "in-sync" || !liveUnknown || !envelope) return [];
    const title = reconcileKinds.find((kind) => kind.kind === envelope.kind)?.title ?? envelope.kind;
    return [
      `puts back ${title} in ${envelope.region}, changed outside Terraform since the last apply (npm run drift names what changed)`,
    ];
  },
};
