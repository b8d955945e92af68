import type { PlanAction } from "../terraform/plan-json";

/** What a plan does to one resource, as the review counts it. */
export type ChangeKind = "create" | "update" | "replace" | "destroy" | "forget" | "no-op";

export const countedKinds = ["create", "update", "replace", "destroy", "import"] as const;
export type CountedKind = (typeof countedKinds)[number];
export type ChangeCounts = Readonly<Record<CountedKind, number>>;

export interface ResourceReview {
  /** Terraform address, e.g. aws_organizations_organization.organization_DC53FF14. */
  readonly address: string;
  readonly type: string;
  /** The cdktf construct path, e.g. organization/organization/organization; absent when unknown. */
  readonly constructPath?: string;
  readonly actions: readonly PlanAction[];
  readonly kind: ChangeKind;
  readonly importing: boolean;
  /** The live id an import adopts, when the plan knows it. */
  readonly importId?: string;
  /** Terraform's action_reason, e.g. replace_because_cannot_update. */
  readonly actionReason?: string;
  /**
   * Top-level attributes whose value changes (known before and after, or becoming unknown); for a replacement
   * only the configured ones that change and those that force it, not every computed one.
   */
  readonly changedAttributes: readonly string[];
  /** For a replacement, the attributes that force it (replace_paths); empty otherwise. */
  readonly replacedBecauseOf: readonly string[];
}

/** One of the review's safety checks; each lives in lib/review/risks/<rule>.ts. */
export type RiskRuleId =
  | "access-stack-redeploy-first"
  | "service-access-principal-removed"
  | "service-access-principal-enabled"
  | "organization-replaced-or-destroyed"
  | "license-manager-settings-turned-off"
  | "license-configuration-replaced"
  | "license-limit-lowered"
  | "delegated-administrator-removed"
  | "discovery-rule-removed"
  | "report-generator-deleted"
  | "license-grant-deactivated"
  | "license-grant-narrowed"
  | "state-backend-changed"
  | "out-of-band-change-reverted";

export interface RiskFlag {
  readonly rule: RiskRuleId;
  readonly stack: string;
  readonly address: string;
  readonly constructPath?: string;
  /** Why it is risky, specific to this change, e.g. "disables trusted access for sso.amazonaws.com". */
  readonly reason: string;
}

export interface OutputChange {
  readonly name: string;
  readonly actions: readonly PlanAction[];
}

interface StackReviewBase {
  readonly stack: string;
}

/** A stack that planned: its changes and the risks they carry. */
export interface PlannedStackReview extends StackReviewBase {
  readonly status: "changes" | "no-changes";
  readonly counts: ChangeCounts;
  /** Changed resources only (no-ops and data reads left out), in plan order. */
  readonly resources: readonly ResourceReview[];
  readonly outputChanges: readonly OutputChange[];
  readonly risks: readonly RiskFlag[];
}

/** A stack whose plan could not run, e.g. because a stack it depends on is not applied yet. */
export interface FailedStackReview extends StackReviewBase {
  readonly status: "failed";
  readonly error: string;
}

export type StackReview = PlannedStackReview | FailedStackReview;

export interface PlanReview {
  readonly stacks: readonly StackReview[];
  /** Every stack's risk flags, in stack order. */
  readonly risks: readonly RiskFlag[];
  readonly hasChanges: boolean;
  readonly hasFailures: boolean;
}

export function combineReviews(stacks: readonly StackReview[]): PlanReview {
  return {
    stacks,
    risks: stacks.flatMap((stack) => (stack.status === "failed" ? [] : stack.risks)),
    hasChanges: stacks.some((stack) => stack.status === "changes"),
    hasFailures: stacks.some((stack) => stack.status === "failed"),
  };
}
