import { Testing, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../../lib/config/model";
import { addStacks } from "../../stacks/app";

export type SynthesizedStack = Record<string, any>;

/** Synthesizes every stack of a config and returns each stack's Terraform JSON by stack name. */
export function synthesizeStacks(config: EnvironmentConfig): Record<string, SynthesizedStack> {
  const app = Testing.app();
  const stacks: Record<string, TerraformStack> = addStacks(app, config);
  return Object.fromEntries(
    Object.values(stacks).map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]),
  );
}

/** The one resource of a type in a synthesized stack (fails when there is not exactly one). */
export function onlyResource(stack: SynthesizedStack, type: string): Record<string, any> {
  const resources = Object.values(stack.resource?.[type] ?? {});
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0] as Record<string, any>;
}
