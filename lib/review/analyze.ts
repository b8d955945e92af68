import { changedAttributes, changeKind, replacementAttributes, replacementCauses } from "./changes";
import {
  countedKinds,
  type ChangeCounts,
  type CountedKind,
  type OutputChange,
  type PlannedStackReview,
  type ResourceReview,
} from "./model";
import type { PlanJson, ResourceChangeJson } from "../terraform/plan-json";
import { flagsOf, riskRules } from "./risks";
import type { LiveFacts } from "./live";
import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";

/** The resource part of an address: aws_x.y["key"] -> aws_x.y (module prefixes kept). */
export function resourceAddress(
  change: Pick<ResourceChangeJson, "type" | "name" | "module_address">,
): string {
  return `${change.module_address ? `${change.module_address}.` : ""}${change.type}.${change.name}`;
}

const isChange = (change: ResourceChangeJson) =>
  change.mode === "managed" &&
  (changeKind(change.change.actions) !== "no-op" || change.change.importing !== undefined);

/**
 * Reviews one stack's plan: what changes, with construct paths from the synthesized JSON, and which
 * changes are risky. Pure: the same inputs give the same review.
 */
export function analyzeStackPlan(
  stack: string,
  plan: PlanJson,
  synthesized?: SynthesizedStackJson,
  live?: LiveFacts,
): PlannedStackReview {
  const paths = constructPaths(synthesized);
  const changes = (plan.resource_changes ?? []).filter(isChange);
  const resources: ResourceReview[] = changes.map((change) => {
    const constructPath = paths.get(resourceAddress(change));
    const kind = changeKind(change.change.actions);
    return {
      address: change.address,
      type: change.type,
      ...(constructPath !== undefined && { constructPath }),
      actions: change.change.actions,
      kind,
      importing: change.change.importing !== undefined,
      ...(change.change.importing?.id !== undefined && { importId: change.change.importing.id }),
      ...(change.action_reason !== undefined && { actionReason: change.action_reason }),
      // A destroyed resource loses every attribute: listing them says nothing.
      changedAttributes:
        kind === "destroy"
          ? []
          : kind === "replace"
            ? replacementAttributes(change.change)
            : changedAttributes(change.change),
      replacedBecauseOf: kind === "replace" ? replacementCauses(change.change) : [],
    };
  });
  const risks = changes.flatMap((change) =>
    riskRules.flatMap((rule) =>
      flagsOf(rule, {
        stack,
        change,
        constructPath: paths.get(resourceAddress(change)),
        synthesized,
        ...(live !== undefined && { live }),
      }),
    ),
  );
  const outputChanges: OutputChange[] = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => changeKind(change.actions) !== "no-op")
    .map(([name, change]) => ({ name, actions: change.actions }));
  const counts = countChanges(resources);
  return {
    stack,
    status: resources.length > 0 || outputChanges.length > 0 ? "changes" : "no-changes",
    counts,
    resources,
    outputChanges,
    risks,
  };
}

/** Like Terraform's "Plan: 1 to import, 0 to add, 1 to change", with replacements counted apart. */
function countChanges(resources: readonly ResourceReview[]): ChangeCounts {
  const counts = Object.fromEntries(countedKinds.map((kind) => [kind, 0])) as Record<CountedKind, number>;
  for (const resource of resources) {
    if (resource.importing) counts.import += 1;
    if (resource.kind !== "no-op" && resource.kind !== "forget") counts[resource.kind] += 1;
  }
  return counts;
}
