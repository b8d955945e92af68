import type { ChangeCounts, PlanReview, RiskFlag } from "./model";

/** What `npm run plan -- --json` prints: enough for a workflow to decide, without the Markdown. */
interface PlanSummary {
  readonly hasChanges: boolean;
  readonly hasFailures: boolean;
  readonly risks: readonly RiskFlag[];
  readonly stacks: readonly {
    readonly stack: string;
    readonly status: "changes" | "no-changes" | "failed";
    readonly counts?: ChangeCounts;
    readonly error?: string;
  }[];
}

export function summarizeReview(review: PlanReview): PlanSummary {
  return {
    hasChanges: review.hasChanges,
    hasFailures: review.hasFailures,
    risks: review.risks,
    stacks: review.stacks.map((stack) =>
      stack.status === "failed"
        ? { stack: stack.stack, status: stack.status, error: stack.error }
        : { stack: stack.stack, status: stack.status, counts: stack.counts },
    ),
  };
}

/** 0 no changes, 2 changes, 1 when a stack could not be planned. */
export function planExitCode(review: PlanReview): 0 | 1 | 2 {
  if (review.hasFailures) return 1;
  return review.hasChanges ? 2 : 0;
}
