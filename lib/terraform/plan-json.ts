/**
 * The part of Terraform's machine-readable plan (`terraform show -json`, format 1.x) the review reads.
 * See https://developer.hashicorp.com/terraform/internals/json-format ("Plan Representation").
 */
export type PlanAction = "no-op" | "create" | "read" | "update" | "delete" | "forget";

export interface PlanChangeJson {
  /** ["create"], ["update"], ["delete"], ["delete","create"] / ["create","delete"] (replace), ["no-op"], ... */
  readonly actions: readonly PlanAction[];
  readonly before: unknown;
  readonly after: unknown;
  /** Mirrors `after`: true where the value is known only after apply. */
  readonly after_unknown?: unknown;
  readonly replace_paths?: readonly (readonly (string | number)[])[];
  /** Mirror `before` and `after`: true where the value is sensitive (shown as (sensitive value) by Terraform). */
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
  /** Present when the resource is being imported (Terraform 1.5+). */
  readonly importing?: { readonly id?: string };
}

export interface ResourceChangeJson {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly previous_address?: string;
  readonly action_reason?: string;
  readonly change: PlanChangeJson;
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version?: string;
  readonly errored?: boolean;
  readonly resource_changes?: readonly ResourceChangeJson[];
  /** Changes Terraform found outside of Terraform while refreshing. */
  readonly resource_drift?: readonly ResourceChangeJson[];
  readonly output_changes?: Readonly<Record<string, PlanChangeJson>>;
  /** The state the plan was made from, as refreshed (absent when the state is empty). */
  readonly prior_state?: StateJson;
}

/** The parts of `terraform show -json` of a state (no plan file) the drift check reads. */
export interface StateJson {
  readonly format_version?: string;
  readonly values?: { readonly root_module?: StateModuleJson };
}

interface StateModuleJson {
  readonly resources?: readonly StateResourceJson[];
  readonly child_modules?: readonly StateModuleJson[];
}

interface StateResourceJson {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * The state without the resources at `addresses`. A plan's `prior_state` already holds what the plan imports
 * (Terraform reads an import target during the plan), though no state records it until the apply.
 */
export function stateWithout(state: StateJson, addresses: ReadonlySet<string>): StateJson {
  if (addresses.size === 0) return state;
  const prune = (module: StateModuleJson): StateModuleJson => ({
    ...module,
    ...(module.resources && {
      resources: module.resources.filter((resource) => !addresses.has(resource.address)),
    }),
    ...(module.child_modules && { child_modules: module.child_modules.map(prune) }),
  });
  const root = state.values?.root_module;
  return root ? { ...state, values: { ...state.values, root_module: prune(root) } } : state;
}

/** Every resource of a state, child modules included. */
export function* stateResources(module: StateModuleJson | undefined): Generator<StateResourceJson> {
  for (const resource of module?.resources ?? []) yield resource;
  for (const child of module?.child_modules ?? []) yield* stateResources(child);
}

/** Checks the few fields everything else relies on, so a wrong file fails with its name, not later. */
export function parsePlanJson(text: string, source: string): PlanJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message})`);
  }
  const plan = value as PlanJson;
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string") {
    throw new Error(
      `${source}: not a Terraform plan in JSON (no format_version); expected terraform show -json output`,
    );
  }
  if (!plan.format_version.startsWith("1.")) {
    throw new Error(`${source}: plan JSON format ${plan.format_version} is not supported (expected 1.x)`);
  }
  return plan;
}
