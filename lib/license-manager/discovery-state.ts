import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";
import type { StateJson, StateModuleJson } from "../terraform/plan-json";
import { desiredDiscoveryAndReportsSchema, type DesiredDiscoveryAndReports } from "./discovery";

/** A discovery-and-reports resource as deployed: what the last apply asked License Manager for. */
export interface DeployedDiscoveryAndReports {
  readonly address: string;
  readonly constructPath?: string;
  readonly region: string;
  readonly desired: DesiredDiscoveryAndReports;
}

function* resourcesOf(
  module: StateModuleJson | undefined,
): Generator<NonNullable<StateModuleJson["resources"]>[number]> {
  for (const resource of module?.resources ?? []) yield resource;
  for (const child of module?.child_modules ?? []) yield* resourcesOf(child);
}

/**
 * The terraform_data discovery-and-reports resources in a state (lib/license-manager/discovery-resource.ts):
 * their input, marked by its `kind`, is the desired discovery rules and report generators of a region.
 */
export function deployedDiscoveryAndReports(
  state: StateJson,
  synthesized?: SynthesizedStackJson,
): DeployedDiscoveryAndReports[] {
  const paths = constructPaths(synthesized);
  const found: DeployedDiscoveryAndReports[] = [];
  for (const resource of resourcesOf(state.values?.root_module)) {
    if (resource.mode !== "managed" || resource.type !== "terraform_data") continue;
    const parsed = desiredDiscoveryAndReportsSchema.safeParse(resource.values?.input);
    if (!parsed.success) continue;
    const constructPath = paths.get(`${resource.type}.${resource.name}`);
    found.push({
      address: resource.address,
      ...(constructPath !== undefined && { constructPath }),
      region: parsed.data.region,
      desired: parsed.data,
    });
  }
  return found;
}
