import type { SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { deployedInputs, type DeployedInput } from "../terraform/deployed-inputs";
import type { StateJson } from "../terraform/plan-json";
import { licenseManagerSettingsSchema, type LicenseManagerSettings } from "./settings";

/** A settings resource as deployed: what the last apply asked License Manager to be. */
export type DeployedSettings = DeployedInput<LicenseManagerSettings>;

/**
 * The terraform_data settings resources in a state (lib/license-manager/settings-resource.ts): their
 * input is the desired settings. Anything else in a terraform_data input is not a settings resource.
 */
export function deployedSettings(state: StateJson, synthesized?: SynthesizedStackJson): DeployedSettings[] {
  return deployedInputs(state, synthesized, (input) => {
    const parsed = licenseManagerSettingsSchema.safeParse(input);
    return parsed.success && parsed.data.region !== undefined
      ? { desired: parsed.data, region: parsed.data.region }
      : undefined;
  });
}
