import type { SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { deployedInputs, type DeployedInput } from "../terraform/deployed-inputs";
import type { StateJson } from "../terraform/plan-json";
import { desiredDiscoveryAndReportsSchema, type DesiredDiscoveryAndReports } from "./discovery";

/** A discovery-and-reports resource as deployed: what the last apply asked License Manager for. */
export type DeployedDiscoveryAndReports = DeployedInput<DesiredDiscoveryAndReports>;

/**
 * The terraform_data discovery-and-reports resources in a state (lib/license-manager/discovery-resource.ts):
 * their input, marked by its `kind`, is the desired discovery rules and report generators of a region.
 */
export function deployedDiscoveryAndReports(
  state: StateJson,
  synthesized?: SynthesizedStackJson,
): DeployedDiscoveryAndReports[] {
  return deployedInputs(state, synthesized, (input) => {
    const parsed = desiredDiscoveryAndReportsSchema.safeParse(input);
    return parsed.success ? { desired: parsed.data, region: parsed.data.region } : undefined;
  });
}
