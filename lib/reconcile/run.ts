import type { CredentialsProvider } from "../aws/credentials";
import type { AnyKind, Difference } from "./contract";

export interface ReconcileResult {
  readonly kind: string;
  readonly region: string;
  readonly updated: boolean;
  readonly changes: readonly Difference[];
}

/** Reads the live state and makes only the calls that bring it to the desired one (`apply: false`: diff). */
export async function reconcile<Desired>(
  definition: AnyKind<Desired>,
  region: string,
  desired: Desired,
  options: { readonly credentials?: CredentialsProvider; readonly apply: boolean },
): Promise<ReconcileResult> {
  const target = { region, ...(options.credentials && { credentials: options.credentials }) };
  const plan = definition.plan(desired, await definition.read(target, desired));
  if (options.apply && plan.actions.length > 0) await definition.apply(target, desired, plan.actions);
  return {
    kind: definition.kind,
    region,
    updated: options.apply && plan.actions.length > 0,
    changes: plan.differences,
  };
}
