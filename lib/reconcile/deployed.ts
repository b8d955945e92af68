import { constructPaths, type SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { stateResources, type StateJson } from "../terraform/plan-json";
import { recordedInput, type ResolvedInput } from "./input";

/** A reconciled resource as deployed: the input the last apply handed the reconcile CLI. */
interface DeployedInput extends ResolvedInput {
  readonly address: string;
  readonly constructPath?: string;
}

/** Every reconciled resource of a state, of any kind, with its construct path from the synthesis. */
export function deployedInputs(state: StateJson, synthesized?: SynthesizedStackJson): DeployedInput[] {
  const paths = constructPaths(synthesized);
  const found: DeployedInput[] = [];
  for (const resource of stateResources(state.values?.root_module)) {
    if (resource.mode !== "managed" || resource.type !== "terraform_data") continue;
    const input = recordedInput(resource.values?.input, resource.address);
    if (!input) continue;
    const constructPath = paths.get(`${resource.type}.${resource.name}`);
    found.push({
      ...input,
      address: resource.address,
      ...(constructPath !== undefined && { constructPath }),
    });
  }
  return found;
}
