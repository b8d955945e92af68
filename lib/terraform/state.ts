import { runCommand } from "../process/run-command";

/** A resource in `terraform show -json` output (values.root_module.resources[]). */
export interface StateResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

/**
 * The resources in a stack's current state, read with `terraform show -json` in the stack's (already
 * initialized) working directory. An empty state yields no resources.
 */
export async function readStateResources(
  stackDirectory: string,
  environment: NodeJS.ProcessEnv,
): Promise<StateResource[]> {
  const result = await runCommand("terraform", ["show", "-json", "-no-color"], {
    cwd: stackDirectory,
    env: { ...environment, CHECKPOINT_DISABLE: "1" },
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `terraform show -json in ${stackDirectory} failed: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  const state = JSON.parse(result.stdout) as { values?: { root_module?: { resources?: StateResource[] } } };
  return state.values?.root_module?.resources ?? [];
}
