import { parseArgs, type ParseArgsConfig } from "node:util";
import { describeAwsError } from "../lib/aws/errors";

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
