import { resourceAddress } from "../review/analyze";
import { changedPaths, changeKind } from "../review/changes";
import type { PlanJson } from "../terraform/plan-json";
import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { isManagedElsewhere } from "./managed-elsewhere";
import type { DriftedResource, PendingChange } from "./model";

export interface PlanDrift {
  readonly drift: readonly DriftedResource[];
  readonly pendingChanges: readonly PendingChange[];
}

/**
 * Separates what changed outside Terraform (resource_drift) from what the configuration would change
 * (resource_changes). Output changes are left out: an output that follows another stack's value is
 * not drift. Neither is a difference only by provider normalization (null vs. empty), nor one in an
 * attribute that a split resource of the stack manages (lib/drift/managed-elsewhere.ts).
 */
export function analyzePlanDrift(plan: PlanJson, synthesized?: SynthesizedStackJson): PlanDrift {
  const paths = constructPaths(synthesized);
  const typesInStack = new Set(
    [...(plan.resource_changes ?? []), ...(plan.resource_drift ?? [])].map((change) => change.type),
  );
  for (const type of Object.keys(synthesized?.resource ?? {})) typesInStack.add(type);
  const drift: DriftedResource[] = [];
  for (const change of plan.resource_drift ?? []) {
    if (change.mode !== "managed") continue;
    const kind = changeKind(change.change.actions);
    if (kind === "no-op") continue;
    const changedAttributes =
      kind === "destroy"
        ? []
        : changedPaths(change.change.before, change.change.after).filter(
            (attribute) => !isManagedElsewhere(change.type, attribute, typesInStack),
          );
    if (kind === "update" && changedAttributes.length === 0) continue;
    const constructPath = paths.get(resourceAddress(change));
    drift.push({
      address: change.address,
      type: change.type,
      ...(constructPath !== undefined && { constructPath }),
      actions: change.change.actions,
      changedAttributes,
    });
  }
  const drifted = new Set(drift.map((resource) => resource.address));
  const pendingChanges: PendingChange[] = (plan.resource_changes ?? [])
    .filter(
      (change) =>
        change.mode === "managed" &&
        (changeKind(change.change.actions) !== "no-op" || change.change.importing !== undefined),
    )
    .map((change) => {
      const constructPath = paths.get(resourceAddress(change));
      const adopts = change.change.importing?.id;
      return {
        address: change.address,
        ...(constructPath !== undefined && { constructPath }),
        kind: changeKind(change.change.actions),
        revertsDrift: drifted.has(change.address),
        ...(adopts !== undefined && { adopts }),
      };
    });
  return { drift, pendingChanges };
}
