import { parseArgs, type ParseArgsConfig } from "node:util";
import { describeAwsError } from "../lib/aws/errors";
import type { ManifestStack } from "../lib/cdktf/manifest";

/** Wrong command-line usage: printed with a pointer to --help, exit code 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stderr.write(`${line}\n`);
}

/** Runs a CLI's main function and sets the exit code: its result, or 1 with the error printed to stderr. */
export function runCli(toolName: string, main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      const hint = error instanceof UsageError ? ` (run ${toolName} --help for usage)` : "";
      printLine(`${toolName}: error: ${describeAwsError(error)}${hint}`);
      process.exitCode = 1;
    },
  );
}

/** The stacks named by --stack (all when none is), or a UsageError naming the unknown ones. */
export function selectStacks(
  stacks: readonly ManifestStack[],
  names: readonly string[] | undefined,
): ManifestStack[] {
  if (!names || names.length === 0) return [...stacks];
  const known = new Set(stacks.map((stack) => stack.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown stack ${unknown.map((name) => JSON.stringify(name)).join(", ")}; the stacks are ${[...known].join(", ")}`,
    );
  }
  return stacks.filter((stack) => names.includes(stack.name));
}
