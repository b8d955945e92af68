/**
 * The one contract for what Terraform cannot manage here (License Manager's settings, discovery rules and
 * report generators, per-principal trusted access). Each kind is one module: its schema, `read` (live state),
 * a pure `plan(desired, live)` and `apply(actions)`, the review's risk checks and the IAM actions it needs. The
 * registry (registry.ts) lists them; one construct (resource.ts) records `{ kind, region, desired }` in a
 * terraform_data resource, one CLI (tools/reconcile.ts) applies, diffs and restores any kind, and drift, the
 * plan review, the sandbox report and the IAM policy generator loop over the registry without knowing which
 * kind they hold. Like one file per resource in terraform-provider-aws, or LZA's construct + handler pairs.
 */
import type { z } from "zod";
import type { AccessPolicyProps, PolicyStatement } from "../access/policies";
import type { CredentialsProvider } from "../aws/credentials";
import type { RiskRuleId } from "../review/model";

/** One field of one thing that differs between desired and live. */
export interface Difference {
  /** What differs, when a kind holds several things, e.g. `report generator "weekly"`. */
  readonly subject?: string;
  readonly field: string;
  readonly desired: unknown;
  readonly live: unknown;
}

export interface ReconcilePlan<Action> {
  readonly differences: readonly Difference[];
  /** The calls that bring live to desired; none when in sync. */
  readonly actions: readonly Action[];
}

/** Where a kind's calls go: one region, with the credentials (role) of the stack that recorded it. */
export interface ReconcileTarget {
  readonly region: string;
  /** @default - the SDK's default credential chain */
  readonly credentials?: CredentialsProvider;
}

/**
 * A review check on a kind's recorded desired state: `after` is undefined when the resource is destroyed.
 * Returns why the change is risky, one reason each.
 */
interface KindRisk<Desired> {
  readonly id: RiskRuleId;
  readonly check: (before: Desired, after: Desired | undefined) => readonly string[];
}

interface KindPermissions {
  /** What `read` calls: plans, drift and diff, with the plan role. */
  readonly read: readonly PolicyStatement[];
  /** What `apply` calls: deploys and restores, with the deploy role. */
  readonly write: readonly PolicyStatement[];
}

export interface ReconcileKind<Desired = unknown, Live = unknown, Action = unknown> {
  /** Recorded in every input: selects the kind. */
  readonly kind: string;
  /** For messages, in the plural: "License Manager settings", "discovery rules and report generators". */
  readonly title: string;
  readonly schema: z.ZodType<Desired, z.ZodTypeDef, unknown>;
  readonly read: (target: ReconcileTarget, desired: Desired) => Promise<Live>;
  /** Pure: apply, diff, drift and restore agree on what differs because they all call this. */
  readonly plan: (desired: Desired, live: Live) => ReconcilePlan<Action>;
  readonly apply: (target: ReconcileTarget, desired: Desired, actions: readonly Action[]) => Promise<void>;
  /**
   * What `reconcile unlink` applies before a destroy, where leaving the live state as it is would block it.
   * @default - nothing to undo: unlink leaves the kind alone
   */
  readonly unlinked?: (desired: Desired) => Desired;
  readonly risks: readonly KindRisk<Desired>[];
  /**
   * Reads an input recorded before the contract (a terraform_data input of another shape) as this kind, so a
   * state deployed by an earlier version is still checked, reviewed and restored.
   * @default - none: only `{ kind, region, desired }`
   */
  readonly legacyInput?: (
    input: Readonly<Record<string, unknown>>,
  ) => { readonly region: string; readonly desired: unknown } | undefined;
  readonly permissions: (props: AccessPolicyProps) => KindPermissions;
  /** A short form of the live state for the sandbox report, one line each. */
  readonly summarize: (live: Live) => readonly string[];
}

/** A kind whose live state and actions the caller does not need to know. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind<Desired = any> = ReconcileKind<Desired, any, any>;

/** `field: desired X, live Y`, after the subject when there is one. */
export function describeDifference(difference: Difference): string {
  const subject = difference.subject ? `${difference.subject}: ` : "";
  return `${subject}${difference.field}: desired ${JSON.stringify(difference.desired)}, live ${JSON.stringify(difference.live)}`;
}

/** `field: live -> desired`: what an apply changed. */
export function describeChange(difference: Difference): string {
  const subject = difference.subject ? `${difference.subject}: ` : "";
  return `${subject}${difference.field}: ${JSON.stringify(difference.live)} -> ${JSON.stringify(difference.desired)}`;
}

export const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
