import type { Difference } from "../reconcile/contract";
import type { ChangeKind } from "../review/model";
import type { PlanAction } from "../terraform/plan-json";
import type { UnmanagedResource } from "./unmanaged";

/** A resource changed outside Terraform (the plan's resource_drift). */
export interface DriftedResource {
  readonly address: string;
  readonly type: string;
  readonly constructPath?: string;
  /** ["update"] when it changed, ["delete"] when it is gone. */
  readonly actions: readonly PlanAction[];
  /** Attribute paths whose live value differs from the state, e.g. aws_service_access_principals, tags.Owner. */
  readonly changedAttributes: readonly string[];
  /** Each changed attribute with its value in the state and live, in changedAttributes' order. */
  readonly changes: readonly AttributeDrift[];
}

/** One drifted attribute: `license_count: 96 → 10`; a sensitive one by its name only, its values never copied. */
export type AttributeDrift =
  | {
      readonly attribute: string;
      /** The value the state recorded (JSON). */
      readonly recorded: unknown;
      /** The value read live (JSON). */
      readonly live: unknown;
    }
  | { readonly attribute: string; readonly sensitive: true };

/** A change the next apply would make (the plan's resource_changes): not drift by itself. */
export interface PendingChange {
  readonly address: string;
  readonly constructPath?: string;
  readonly kind: ChangeKind;
  /** The change puts back what drifted (the same resource drifted). */
  readonly revertsDrift: boolean;
  /**
   * The live id the apply imports into this address: a resource of the stack that no state holds (an
   * interrupted apply's), which the plan-time lookup adopts (lib/license-manager/unmanaged-lookup.ts).
   */
  readonly adopts?: string;
}

/**
 * What a reconciled resource (lib/reconcile) deployed that the live state no longer matches: License Manager's
 * settings, discovery rules and report generators, trusted access of a principal, any kind on the registry.
 */
export interface ReconciledDrift {
  readonly address: string;
  readonly constructPath?: string;
  /** The kind on the registry, e.g. license-manager-settings. */
  readonly kind: string;
  /** The kind's title, for messages: "License Manager settings". */
  readonly title: string;
  readonly region: string;
  readonly differences: readonly Difference[];
}

export interface StackDrift {
  readonly stack: string;
  readonly status: "clean" | "drift" | "failed";
  readonly drift: readonly DriftedResource[];
  /** Reconciled resources whose live state differs from the deployed input. */
  readonly reconciled: readonly ReconciledDrift[];
  readonly pendingChanges: readonly PendingChange[];
  /** Live resources with this project's tags for this environment and stack that the state does not hold. */
  readonly unmanaged?: readonly UnmanagedResource[];
  /**
   * Why the full plan could not run (drift was then read from a refresh-only plan, and pending changes
   * are unknown), or, with status failed, why the stack could not be checked at all.
   */
  readonly error?: string;
}

export interface DriftReport {
  readonly stacks: readonly StackDrift[];
  readonly hasDrift: boolean;
  /** Some stack has unmanaged resources (they count as drift too). */
  readonly hasUnmanaged: boolean;
  readonly hasFailures: boolean;
}

export function combineDrift(stacks: readonly StackDrift[]): DriftReport {
  return {
    stacks,
    hasDrift: stacks.some(
      (stack) => stack.drift.length > 0 || stack.reconciled.length > 0 || (stack.unmanaged?.length ?? 0) > 0,
    ),
    hasUnmanaged: stacks.some((stack) => (stack.unmanaged?.length ?? 0) > 0),
    hasFailures: stacks.some((stack) => stack.status === "failed"),
  };
}

/** 0 no drift, 2 drift, 1 when a stack could not be checked. */
export function driftExitCode(report: DriftReport): 0 | 1 | 2 {
  if (report.hasFailures) return 1;
  return report.hasDrift ? 2 : 0;
}
