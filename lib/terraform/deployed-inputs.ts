import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { stateResources, type StateJson } from "./plan-json";

/** A terraform_data resource as deployed: the input the last apply handed the project's CLI. */
export interface DeployedInput<T> {
  readonly address: string;
  readonly constructPath?: string;
  readonly region: string;
  readonly desired: T;
}

/**
 * The managed terraform_data resources of a state whose input `parse` recognises (returning the input and
 * its region, or undefined for another kind of input), with their construct paths from the synthesis.
 */
export function deployedInputs<T>(
  state: StateJson,
  synthesized: SynthesizedStackJson | undefined,
  parse: (input: unknown) => { desired: T; region: string } | undefined,
): DeployedInput<T>[] {
  const paths = constructPaths(synthesized);
  const found: DeployedInput<T>[] = [];
  for (const resource of stateResources(state.values?.root_module)) {
    if (resource.mode !== "managed" || resource.type !== "terraform_data") continue;
    const parsed = parse(resource.values?.input);
    if (!parsed) continue;
    const constructPath = paths.get(`${resource.type}.${resource.name}`);
    found.push({
      address: resource.address,
      ...(constructPath !== undefined && { constructPath }),
      region: parsed.region,
      desired: parsed.desired,
    });
  }
  return found;
}
