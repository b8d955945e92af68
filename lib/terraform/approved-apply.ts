/**
 * Applying an approved (saved) plan that AWS throttles part-way.
 *
 * `terraform apply <plan>` of a License Manager or SNS change fails at the first throttle (the AWS provider does
 * not retry their codes: ./throttling.ts), after the changes before it were made and recorded. The saved plan is
 * then stale (Terraform refuses it: its state changed), and planning afresh could apply something nobody
 * approved. So the apply plans what remains, and applies it only when every change in it is one the approved
 * plan had: the same address, actions among the approved ones, the same import, and the values the approved plan
 * showed wherever it knew them (a value it showed as "known after apply" may be anything). Anything else stops the
 * apply, naming the changes no one approved; the next run plans them for approval.
 *
 * One exception to "actions among the approved ones": a create that AWS throttled after the object existed (a read
 * back, a tag call) leaves it tainted, and the remainder replaces it (delete, then create). The approved change was
 * to create that object with those values; replacing the half-made one this very apply created is that change.
 */
import * as path from "node:path";
import { parsePlanJson, type PlanChangeJson, type PlanJson, type ResourceChangeJson } from "./plan-json";
import { Terraform, TerraformError } from "./terraform";
import { describeCodes, throttleRetry, throttlingOnly, type ThrottleRetryOptions } from "./throttling";

/** A change of the remainder that the approved plan does not cover, and why. */
interface ChangeOutsideApproval {
  readonly address: string;
  readonly why: string;
}

/** A resource change as Terraform writes it, with the deposed key its JSON carries for a deposed object. */
type ResourceChange = ResourceChangeJson & { readonly deposed?: string };

const changeKey = (change: ResourceChange): string =>
  change.deposed ? `${change.address} (deposed object ${change.deposed})` : change.address;

/** A change of a managed resource that does something: data source reads and no-ops without import do not. */
const changesSomething = (change: ResourceChange): boolean =>
  change.mode === "managed" &&
  (change.change.actions.some((action) => action !== "no-op") || change.change.importing !== undefined);

/** Whether applying the plan would change the state: a resource change, or an output that changes. */
export function planChangesAnything(plan: PlanJson): boolean {
  return (
    (plan.resource_changes ?? []).some(changesSomething) ||
    Object.values(plan.output_changes ?? {}).some((change) =>
      change.actions.some((action) => action !== "no-op"),
    )
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The first path where `actual` differs from the approved value, skipping what the approved plan showed as
 * known only after apply (`unknown`, its after_unknown mirror); undefined when they agree.
 */
function firstDifference(
  approved: unknown,
  unknown: unknown,
  actual: unknown,
  at: string,
): string | undefined {
  if (unknown === true) return undefined;
  if (Array.isArray(approved) || Array.isArray(actual)) {
    if (!Array.isArray(approved) || !Array.isArray(actual) || approved.length !== actual.length) return at;
    for (const [index, item] of actual.entries()) {
      const difference = firstDifference(
        approved[index],
        Array.isArray(unknown) ? unknown[index] : undefined,
        item,
        `${at}[${index}]`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  if (isRecord(approved) || isRecord(actual)) {
    if (!isRecord(approved) || !isRecord(actual)) return at;
    for (const key of new Set([...Object.keys(approved), ...Object.keys(actual)])) {
      const difference = firstDifference(
        approved[key],
        isRecord(unknown) ? unknown[key] : undefined,
        actual[key],
        at ? `${at}.${key}` : key,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  // null and absent are the same to Terraform's JSON (an unset attribute).
  return (approved ?? null) === (actual ?? null) ? undefined : at || "(the whole object)";
}

const isTaintedReplaceOfApprovedCreate = (remainder: ResourceChange, approved: PlanChangeJson): boolean =>
  remainder.action_reason === "replace_because_tainted" &&
  approved.actions.includes("create") &&
  remainder.change.actions.every((action) => action === "delete" || action === "create");

/** Why one remaining change is not the approved one; undefined when it is. */
function outsideApproval(
  remainder: ResourceChange,
  approved: ResourceChange | undefined,
): string | undefined {
  const actions = remainder.change.actions.join(", ");
  if (!approved) return `${actions}: the approved plan has no change of it`;
  const allowed = approved.change.actions;
  if (
    !remainder.change.actions.every((action) => action === "no-op" || allowed.includes(action)) &&
    !isTaintedReplaceOfApprovedCreate(remainder, approved.change)
  ) {
    return `${actions}: the approved plan would ${allowed.join(", ")} it`;
  }
  const importing = remainder.change.importing;
  if (importing && importing.id !== approved.change.importing?.id) {
    return `imports ${importing.id ?? "an object"}: the approved plan ${approved.change.importing ? `imports ${approved.change.importing.id}` : "imports nothing there"}`;
  }
  if (remainder.change.actions.some((action) => action === "create" || action === "update")) {
    const difference = firstDifference(
      approved.change.after,
      approved.change.after_unknown,
      remainder.change.after,
      "",
    );
    if (difference) return `${actions} with another value of ${difference} than the approved plan showed`;
  }
  return undefined;
}

/** The remainder's changes that the approved plan does not cover (none: the remainder may be applied). */
export function changesOutsideApproval(approved: PlanJson, remainder: PlanJson): ChangeOutsideApproval[] {
  const approvedByKey = new Map(
    ((approved.resource_changes ?? []) as ResourceChange[]).map((change) => [changeKey(change), change]),
  );
  return ((remainder.resource_changes ?? []) as ResourceChange[])
    .filter(changesSomething)
    .flatMap((change) => {
      const why = outsideApproval(change, approvedByKey.get(changeKey(change)));
      return why ? [{ address: changeKey(change), why }] : [];
    });
}

/** The apply stopped because what remained after a throttle was no longer only what was approved. */
export class RemainderNotApprovedError extends Error {
  override readonly name = "RemainderNotApprovedError";
  constructor(
    readonly stackName: string,
    readonly outside: readonly ChangeOutsideApproval[],
  ) {
    super(
      [
        `${stackName}: AWS throttled the apply part-way, and what remains to apply is not only what was approved, so it ` +
          `was not applied (the changes before the throttle were made and recorded):`,
        ...outside.map((change) => `  ${change.address}: ${change.why}`),
        `Run the deploy again to plan and approve what remains.`,
      ].join("\n"),
    );
  }
}

interface ApprovedApplyResult {
  /** Runs of `terraform apply`, the saved plan's included. */
  readonly applies: number;
  /** The remainder plans made after throttles, in order (absolute paths). */
  readonly remainderPlans: readonly string[];
}

/**
 * Applies the saved plan `planFile` (absolute). When the apply fails only on throttling, waits (backoff as
 * rerunWhileThrottled: LM_THROTTLE_ATTEMPTS runs in all, LM_THROTTLE_DELAY_MS doubled each time, at most 30 s),
 * plans what remains into `<plan>.remainder-N.tfplan` beside it, and applies that when every change in it is
 * approved (RemainderNotApprovedError otherwise); done when nothing remains. Any other failure is thrown as it
 * came (a TerraformError), and so is the last throttled one.
 */
export async function applyApprovedPlan(
  terraform: Terraform,
  planFile: string,
  options: ThrottleRetryOptions = {},
): Promise<ApprovedApplyResult> {
  const { attempts, delayBefore, sleep, report } = throttleRetry(options);
  const stack = path.basename(terraform.workingDirectory);
  let approved: PlanJson | undefined;
  const remainderPlans: string[] = [];
  let current = planFile;
  for (let number = 1; ; number++) {
    // Read before the first apply: the approved plan's JSON, to hold remainders against.
    approved ??= parsePlanJson(await terraform.showJson(planFile), planFile);
    try {
      await terraform.applySavedPlan(current);
      return { applies: number, remainderPlans };
    } catch (error) {
      if (!(error instanceof TerraformError) || error.stateLock) throw error;
      const codes = throttlingOnly(`${error.result.stderr}\n${error.result.stdout}`);
      if (!codes) throw error;
      if (number >= attempts) {
        report(
          `throttled by AWS (${describeCodes(codes)}); gave up on terraform apply in ${stack} after ${attempts} attempts`,
        );
        throw error;
      }
      const delayMs = delayBefore(number + 1);
      report(
        `throttled by AWS (${describeCodes(codes)}); retrying terraform apply in ${stack} with what remains of the ` +
          `approved plan in ${delayMs / 1000} s, attempt ${number + 1} of ${attempts}`,
      );
      await sleep(delayMs);
    }
    const remainderFile = planFile.replace(/(\.tfplan)?$/, `.remainder-${number}.tfplan`);
    await terraform.plan(remainderFile);
    const remainder = parsePlanJson(await terraform.showJson(remainderFile), remainderFile);
    remainderPlans.push(remainderFile);
    const outside = changesOutsideApproval(approved, remainder);
    if (outside.length > 0) throw new RemainderNotApprovedError(stack, outside);
    if (!planChangesAnything(remainder)) {
      report(`${stack}: nothing of the approved plan remains to apply`);
      return { applies: number, remainderPlans };
    }
    report(
      `${stack}: what remains is part of the approved plan (${remainder.resource_changes?.filter(changesSomething).length ?? 0} change(s)); applying it`,
    );
    current = remainderFile;
  }
}
