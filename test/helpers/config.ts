import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import type { EnvironmentConfig } from "../../lib/config/model";
import { parseConfig } from "../../lib/config/load";

export const sandboxConfigFile = "config/sandbox.yaml";
export const productionExampleFile = "config/production.example.yaml";

/** The sandbox config as plain data, to be changed by a test. */
export function sandboxDocument(): Record<string, any> {
  return parse(readFileSync(sandboxConfigFile, "utf8"));
}

/** Parses a changed copy of the sandbox config, under the given file name. */
export function configWith(
  change: (document: Record<string, any>) => void,
  file = "config/test.yaml",
): EnvironmentConfig {
  const document = sandboxDocument();
  change(document);
  return parseConfig(stringify(document), file);
}

/** The messages a changed sandbox config is rejected with (fails the test if it is accepted). */
export function problemsOf(change: (document: Record<string, any>) => void): readonly string[] {
  try {
    configWith(change);
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
  throw new Error("expected the config to be rejected, but it was accepted");
}
