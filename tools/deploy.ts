import { spawn } from "node:child_process";
import * as path from "node:path";
import { rerunWhileThrottled } from "../lib/terraform/throttling";
import { parseOptions, printLine, runCli, UsageError } from "./cli";

const toolName = "deploy";

const usage = `Usage: npm run deploy -- [--skip-adopt] [-- <extra cdktf deploy flags>]

Deploys from a workstation exactly as .github/workflows/deploy.yml deploys on main (the workflow runs this
command): the same three steps, in the same order, each shown as it starts and ends.
  1. npm run adopt: imports the license configurations, report buckets and topics of the license-manager
     stack that an interrupted deploy left in no state (the license-manager stack also adopts its own
     configurations at plan time, so a bare cdktf deploy makes no duplicate either: docs/operations.md)
  2. npx cdktf deploy organization license-manager --auto-approve --ignore-missing-stack-dependencies
     --parallelism 1: the organization first, then License Manager, whose trusted-access checks need it
  3. npm run reconcile -- restore: re-applies what Terraform cannot read back (settings, discovery rules,
     report generators, grant activation)
A deploy that failed only because AWS throttled it (the AWS provider does not retry License Manager's or SNS's
throttling) runs again after 2 s, 4 s, … (LM_THROTTLE_ATTEMPTS runs in all, default 8), saying so; it is
terraform apply without a saved plan, so each run plans from what the last one did. Any other failure of a step
stops the sequence: the next steps do not run. LM_CONFIG selects the config and LM_ROLE the
role, as for every tool (docs/operations.md).

Options:
  --skip-adopt  Leave out step 1
  -h, --help    Show this help
Arguments after -- go to cdktf deploy (offline, the sandbox adds --skip-provider-lock).

Exit codes: 0 every step succeeded, 1 a step failed (its own exit code is printed) or bad usage.`;

const options = {
  "skip-adopt": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");

/** The workflow's deploy of the two stacks, one after the other (see deploy.yml's comment on the flags). */
const deployStacksCommand = [
  "cdktf",
  "deploy",
  "organization",
  "license-manager",
  "--auto-approve",
  "--ignore-missing-stack-dependencies",
  "--parallelism",
  "1",
] as const;

export interface Step {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
  /**
   * Run again, with backoff and a bound, when it failed only because AWS throttled it (lib/terraform/throttling.ts):
   * the deploy, since the AWS provider does not retry License Manager's or SNS's throttling. The other steps retry
   * their own calls.
   */
  readonly rerunWhenThrottled?: boolean;
}

/** The steps, in order: what deploy.yml ran before it called this tool. */
export function deploySteps(skipAdopt: boolean, extraDeployArgs: readonly string[]): Step[] {
  return [
    ...(skipAdopt
      ? []
      : [
          {
            title: "Adopt what an interrupted deploy left outside the state",
            command: "npm",
            args: ["run", "adopt"],
          },
        ]),
    {
      title: "Deploy the organization and License Manager stacks",
      command: "npx",
      args: [...deployStacksCommand, ...extraDeployArgs],
      rerunWhenThrottled: true,
    },
    {
      title: "Restore what Terraform cannot read back",
      command: "npm",
      args: ["run", "reconcile", "--", "restore"],
    },
  ];
}

/**
 * Runs one step, its output going to our stderr as it comes (its progress is for a person; stdout stays free).
 * A step that may run again when throttled has its output kept too, so that a failure can be read for throttling;
 * the others keep the terminal, as cdktf and the tools render progress for one.
 */
function runStepOnce(step: Step): Promise<{ readonly exitCode: number; readonly output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, step.args, {
      cwd: projectRoot,
      env: { ...process.env, CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE ?? "1" },
      stdio: step.rerunWhenThrottled ? ["inherit", "pipe", "pipe"] : ["inherit", process.stderr, "inherit"],
    });
    const chunks: Buffer[] = [];
    const forward = (chunk: Buffer) => {
      chunks.push(chunk);
      process.stderr.write(chunk);
    };
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({ exitCode: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString("utf8") }),
    );
  });
}

async function runStep(step: Step): Promise<number> {
  if (!step.rerunWhenThrottled) return (await runStepOnce(step)).exitCode;
  const result = await rerunWhileThrottled(
    JSON.stringify(step.title),
    () => runStepOnce(step),
    ({ value }) => (value && value.exitCode !== 0 ? value.output : undefined),
  );
  return result.exitCode;
}

async function main(args: string[]): Promise<number> {
  const separator = args.indexOf("--");
  const own = separator < 0 ? args : args.slice(0, separator);
  const extra = separator < 0 ? [] : args.slice(separator + 1);
  const { values, positionals } = parseOptions(own, options);
  if (values.help) {
    printLine(usage);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  return runSteps(deploySteps(values["skip-adopt"], extra));
}

/** Runs the steps in order, each announced and timed; the first that fails stops the rest (exit 1). */
export async function runSteps(steps: readonly Step[]): Promise<number> {
  for (const [index, step] of steps.entries()) {
    const commandLine = [step.command, ...step.args].join(" ");
    printLine(`[${index + 1}/${steps.length}] ${step.title}: ${commandLine}`);
    const started = Date.now();
    const exitCode = await runStep(step);
    const seconds = Math.round((Date.now() - started) / 1000);
    if (exitCode !== 0) {
      printLine(
        `[${index + 1}/${steps.length}] failed after ${seconds} s (exit ${exitCode}): ${commandLine}` +
          (index + 1 < steps.length
            ? `; not run: ${steps
                .slice(index + 1)
                .map((s) => s.title)
                .join("; ")}`
            : ""),
      );
      return 1;
    }
    printLine(`[${index + 1}/${steps.length}] done in ${seconds} s`);
  }
  printLine(`deploy: all ${steps.length} steps done`);
  return 0;
}

if (require.main === module) runCli(toolName, main);
