import { readFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { awsRegionPattern, examples, iamRoleArnPattern } from "../lib/aws/arn";
import { arnPartitionProblem, unknownRegionProblem } from "../lib/aws/partitions";
import { listOf, oneOf } from "../lib/messages/alternatives";
import { describeAwsError } from "../lib/aws/errors";
import type { ManifestStack } from "../lib/cdktf/manifest";

/** Wrong command-line usage: printed with a pointer to --help, exit code 1. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The options shared by the tools that synthesize the stacks and then work stack by stack (plan, drift, adopt). */
export const stackToolOptions = {
  stack: { type: "string", multiple: true },
  role: { type: "string" },
  json: { type: "boolean", default: false },
  "skip-synth": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseOptions<T extends Options>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The options of a tool that takes no positional arguments, or undefined once --help has printed the usage (the tool
 * then exits 0).
 */
export function parseToolOptions<T extends Options>(args: string[], options: T, usage: string) {
  const { values, positionals } = parseOptions(args, options);
  if ((values as { help?: unknown }).help) {
    printLine(usage);
    return undefined;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  return values;
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
      `unknown stack ${listOf(
        unknown.map((name) => JSON.stringify(name)),
        "unknown stacks",
      )}; expected ${oneOf([...known], { given: unknown[0], what: "stacks" })}`,
    );
  }
  return stacks.filter((stack) => names.includes(stack.name));
}

/**
 * JSON handed to a CLI as `--<option> JSON` or `--<option>-file FILE` (at most one), parsed by `parse` with the
 * option named as the source of any error; undefined when neither is given.
 */
export async function readJsonOption<T>(
  option: string,
  json: string | undefined,
  file: string | undefined,
  parse: (text: string, source: string) => T,
): Promise<T | undefined> {
  if (json !== undefined && file !== undefined)
    throw new UsageError(`give either --${option} or --${option}-file, not both`);
  if (json !== undefined) return parse(json, `--${option}`);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --${option}-file ${file}: ${(error as Error).message}`);
  }
  return parse(text, `--${option}-file ${file}`);
}

/** The value of --role-arn, checked (its partition against the AWS SDK's); undefined when not given. */
export function roleArnOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const got = ` (got ${JSON.stringify(value)})`;
  if (!iamRoleArnPattern.test(value))
    throw new UsageError(`--role-arn must be an IAM role ARN such as ${examples.iamRoleArn}${got}`);
  const problem = arnPartitionProblem(value);
  if (problem !== undefined) throw new UsageError(`--role-arn: ${problem}${got}`);
  return value;
}

/** A region given to a tool (`source` says where from), checked against the AWS SDK's regions. */
export function regionOption(value: string, source = "--region"): string {
  const got = ` (got ${JSON.stringify(value)})`;
  if (!awsRegionPattern.test(value))
    throw new UsageError(`${source} must be a Region code such as ${examples.region}${got}`);
  const problem = unknownRegionProblem(value);
  if (problem !== undefined) throw new UsageError(`${source} is ${problem}${got}`);
  return value;
}
