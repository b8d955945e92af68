import { licenseManagerSettingsSchema, type LicenseManagerSettings } from "./settings";
import type { StateJson, StateModuleJson } from "../terraform/plan-json";
import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";

/** A settings resource as deployed: what the last apply asked License Manager to be. */
export interface DeployedSettings {
  readonly address: string;
  readonly constructPath?: string;
  readonly region: string;
  readonly desired: LicenseManagerSettings;
}

function* resourcesOf(
  module: StateModuleJson | undefined,
): Generator<NonNullable<StateModuleJson["resources"]>[number]> {
  for (const resource of module?.resources ?? []) yield resource;
  for (const child of module?.child_modules ?? []) yield* resourcesOf(child);
}

/**
 * The terraform_data settings resources in a state (lib/license-manager/settings-resource.ts): their
 * input is the desired settings. Anything else in a terraform_data input is not a settings resource.
 */
export function deployedSettings(state: StateJson, synthesized?: SynthesizedStackJson): DeployedSettings[] {
  const paths = constructPaths(synthesized);
  const found: DeployedSettings[] = [];
  for (const resource of resourcesOf(state.values?.root_module)) {
    if (resource.mode !== "managed" || resource.type !== "terraform_data") continue;
    const parsed = licenseManagerSettingsSchema.safeParse(resource.values?.input);
    if (!parsed.success || parsed.data.region === undefined) continue;
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
