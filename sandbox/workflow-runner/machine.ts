import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";

/**
 * What this machine's runner needs that a hosted runner has through the internet: cdktf deploy runs
 * `terraform providers lock`, which asks the registry unless told a mirror (it does not read the CLI config's
 * provider_installation; Terraform docs, "Command: providers lock"). Where the CLI config names a filesystem
 * mirror, TF_CLI_ARGS_providers_lock points the command at it, so that the workflows' own cdktf commands run
 * unchanged offline. Elsewhere, nothing is added.
 */
export function offlineRunnerEnvironment(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const cliConfig = environment.TF_CLI_CONFIG_FILE || path.join(homedir(), ".terraformrc");
  if (!existsSync(cliConfig)) return environment;
  const mirror = /filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"/.exec(
    readFileSync(cliConfig, "utf8"),
  )?.[1];
  return mirror ? { ...environment, TF_CLI_ARGS_providers_lock: `-fs-mirror=${mirror}` } : environment;
}
