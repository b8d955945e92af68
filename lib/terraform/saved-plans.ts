import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * What `npm run plan -- --save DIR` leaves for `npm run apply -- DIR` besides the plan files: which stacks were
 * planned, in which order, with what outcome, from which synthesized configuration. DIR/saved-plans.json.
 */
export interface SavedPlans {
  readonly formatVersion: 1;
  /** LM_CONFIG when planned. */
  readonly config: string;
  /** The LM_ROLE the stacks were synthesized with: the apply synthesizes with the same. */
  readonly role: string;
  /** Stacks in dependency order. */
  readonly stacks: readonly SavedStackPlan[];
}

export interface SavedStackPlan {
  readonly stack: string;
  readonly dependencies: readonly string[];
  readonly status: "changes" | "no-changes" | "failed";
  /** <stack>.tfplan in DIR; absent for a failed plan. */
  readonly planFile?: string;
  /** SHA-256 of the stack's cdk.tf.json that was planned. */
  readonly configurationSha256?: string;
  /** Outputs the plan changes: a stack that reads them planned with their old values. */
  readonly outputChanges: readonly string[];
}

export const savedPlansFile = "saved-plans.json";

export function sha256OfFile(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Reads DIR/saved-plans.json, or says clearly what is wrong with it. */
export function readSavedPlans(directory: string): SavedPlans {
  const file = path.join(directory, savedPlansFile);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `${file}: cannot be read (${(error as Error).message}); expected the directory that npm run plan -- --save wrote`,
    );
  }
  const saved = value as Partial<SavedPlans>;
  if (saved?.formatVersion !== 1 || !Array.isArray(saved.stacks) || typeof saved.role !== "string") {
    throw new Error(`${file}: not a saved-plans file of format 1 (formatVersion, role, stacks expected)`);
  }
  return saved as SavedPlans;
}

/** What the apply does with one saved stack plan, decided before anything runs. */
type StackStep =
  | { readonly stack: string; readonly action: "apply"; readonly planFile: string }
  | { readonly stack: string; readonly action: "skip"; readonly why: string }
  | { readonly stack: string; readonly action: "stop"; readonly why: string };

/**
 * The order of the apply and where it must stop: stacks in the saved (dependency) order; a stack without changes
 * is skipped; a failed plan stops the apply there; so does a stack that depends on one whose plan changes
 * outputs, because it was planned with the old values (Terraform checks a saved plan against its own state
 * only, not against another stack's outputs it read): it is planned and approved again in the next run.
 */
export function applySteps(saved: SavedPlans): StackStep[] {
  const steps: StackStep[] = [];
  const changedOutputs = new Map<string, readonly string[]>();
  for (const stack of saved.stacks) {
    if (steps.some((step) => step.action === "stop")) {
      steps.push({
        stack: stack.stack,
        action: "stop",
        why: "not applied: an earlier stack stopped the apply",
      });
      continue;
    }
    const changedDependency = stack.dependencies.find(
      (dependency) => (changedOutputs.get(dependency) ?? []).length > 0,
    );
    if (stack.status === "failed") {
      steps.push({
        stack: stack.stack,
        action: "stop",
        why: `not applied: its plan failed${changedDependency ? ` (it depends on ${changedDependency}, applied just before)` : ""}; run the deploy again to plan it${changedDependency ? ` against the ${changedDependency} stack as now applied` : ""}`,
      });
      continue;
    }
    if (changedDependency !== undefined && stack.status === "changes") {
      steps.push({
        stack: stack.stack,
        action: "stop",
        why: `not applied: it was planned with the ${changedDependency} stack's outputs before this apply changed them (${(changedOutputs.get(changedDependency) ?? []).join(", ")}); run the deploy again to plan and approve it against them`,
      });
      continue;
    }
    if (stack.status === "no-changes" || stack.planFile === undefined) {
      steps.push({ stack: stack.stack, action: "skip", why: "no changes planned" });
    } else {
      steps.push({ stack: stack.stack, action: "apply", planFile: stack.planFile });
    }
    changedOutputs.set(stack.stack, stack.outputChanges);
  }
  return steps;
}

/** Terraform refuses a saved plan whose state changed since ("Saved plan is stale"): say what that means. */
export function explainApplyFailure(stack: string, output: string): string | undefined {
  if (/Saved plan is stale/i.test(output)) {
    return `${stack}: the saved plan is stale: the stack's state changed after the plan was made (another apply, an import by npm run adopt, a state edit), so what was approved is no longer what would be applied. Nothing was changed. Run the deploy again to plan and approve the current changes.`;
  }
  if (/Saved plan (?:does not match|is for a different)/i.test(output)) {
    return `${stack}: the saved plan does not match this working directory (another configuration or backend). Nothing was changed. Run the deploy again.`;
  }
  return undefined;
}
