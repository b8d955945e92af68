import { resourceAddress } from "../review/analyze";
import { changedPaths, changeKind } from "../review/changes";
import type { PlanJson } from "../terraform/plan-json";
import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { isManagedElsewhere } from "./managed-elsewhere";
import type { AttributeDrift, DriftedResource, PendingChange } from "./model";
import type { PlanChangeJson } from "../terraform/plan-json";

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
      changes: changedAttributes.map((attribute) => attributeDrift(change.change, attribute)),
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

/** The value at a dotted path (changedPaths' form, two levels), or null when absent. */
function valueAt(value: unknown, attribute: string): unknown {
  let current = value;
  for (const part of attribute.split(".")) {
    if (typeof current !== "object" || current === null || Array.isArray(current)) return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current ?? null;
}

/**
 * Whether a path is sensitive in a before_sensitive/after_sensitive mirror: true on the path or on any object
 * that holds it, or anywhere inside it (a list or map with one sensitive element is masked whole).
 */
function isSensitive(mirror: unknown, attribute: string): boolean {
  let current = mirror;
  for (const part of attribute.split(".")) {
    if (current === true) return true;
    if (typeof current !== "object" || current === null || Array.isArray(current)) return false;
    current = (current as Record<string, unknown>)[part];
  }
  return containsTrue(current);
}

const containsTrue = (value: unknown): boolean =>
  value === true ||
  (Array.isArray(value) && value.some(containsTrue)) ||
  (typeof value === "object" && value !== null && Object.values(value).some(containsTrue));

/**
 * One attribute's recorded and live value; only its name where the plan marks either side sensitive: the report
 * goes to logs, issues and job summaries.
 */
function attributeDrift(change: PlanChangeJson, attribute: string): AttributeDrift {
  if (isSensitive(change.before_sensitive, attribute) || isSensitive(change.after_sensitive, attribute)) {
    return { attribute, sensitive: true };
  }
  return { attribute, recorded: valueAt(change.before, attribute), live: valueAt(change.after, attribute) };
}
