/**
 * npm test: the static checks and the three test tiers, in two lanes at once. The end-to-end tier is one
 * sandbox session that mostly waits on terraform and the cdktf CLI, so it runs in a lane of its own while the
 * other lane runs everything else; on 2 cores the whole suite then costs about what the end-to-end tier costs.
 */
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import { runCommand, type RunResult } from "../lib/process/run-command";
import { backgroundLaneNiceness, testGoGarbageCollection } from "../lib/tuning";
import { listOf, oneOf } from "../lib/messages/alternatives";
import { parseToolOptions, printLine, runCli, UsageError } from "./cli";

const toolName = "test";

/** Each lane runs its steps in order and stops at its first failure; the lanes run side by side. */
export const lanes: readonly (readonly string[])[] = [
  ["test:e2e"],
  ["typecheck", "lint", "format:check", "test:unit", "test:integration", "check:cdk-terrain"],
];

const goGc = testGoGarbageCollection;

const usage = `Usage: npm test [-- --sequential] [--step NAME]...

Runs the checks and the test tiers (npm scripts) in two lanes at the same time:
${lanes.map((lane, index) => `  lane ${index + 1}: ${lane.join(", ")}`).join("\n")}
Lane 2 runs at a lower CPU priority (nice -n ${backgroundLaneNiceness}): lane 1 is the longer one. A lane stops at its first
failing step; the other lane goes on. Terraform and the AWS provider, Go programs started hundreds of times,
run with GOGC=${goGc} unless GOGC is set: a fifth less CPU for about 40 % more memory per process. Each step's
output is written to .test-logs/<step>.log and printed whole when the step ends, so the lanes' output never
interleaves; a table of every step's result and wall time comes last.

Options:
  --sequential   One step at a time, in the order above (lane 2 first, as a fast failure comes first there)
  --step NAME    Run only this step (repeatable)
  -h, --help     Show this help

Exit codes: 0 every step passed, 1 a step failed (the table names it) or usage error.`;

const options = {
  sequential: { type: "boolean", default: false },
  step: { type: "string", multiple: true },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");
const logDirectory = path.join(projectRoot, ".test-logs");

interface StepResult {
  readonly step: string;
  readonly lane: number;
  readonly status: "passed" | "failed" | "not run";
  readonly seconds?: number;
}

const elapsed = (since: number) => ((Date.now() - since) / 1000).toFixed(1);

async function runStep(step: string, lane: number, started: number): Promise<StepResult> {
  printLine(`[${elapsed(started)} s] lane ${lane}: ${step} started`);
  let result: RunResult;
  try {
    // Lane 1 is the critical path: the other lane runs niced (lib/tuning.ts says why).
    const [command, args] =
      lane === 1 || process.platform === "win32"
        ? ["npm", ["run", "--silent", step]]
        : ["nice", ["-n", String(backgroundLaneNiceness), "npm", "run", "--silent", step]];
    result = await runCommand(command, args, {
      cwd: projectRoot,
      env: { GOGC: goGc, ...process.env },
      logFile: path.join(logDirectory, `${step.replace(/:/g, "-")}.log`),
    });
  } catch (error) {
    printLine(`${step}: could not start npm: ${(error as Error).message}`);
    return { step, lane, status: "failed" };
  }
  const seconds = result.durationMs / 1000;
  const status = result.exitCode === 0 ? "passed" : "failed";
  const output = `${result.stdout}${result.stderr}`.trimEnd();
  process.stdout.write(
    `\n===== ${step} (lane ${lane}): ${status} in ${seconds.toFixed(1)} s =====\n${output ? `${output}\n` : ""}\n`,
  );
  printLine(`[${elapsed(started)} s] lane ${lane}: ${step} ${status} (${seconds.toFixed(1)} s)`);
  return { step, lane, status, seconds };
}

async function runLane(steps: readonly string[], lane: number, started: number): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    if (results.some((result) => result.status === "failed")) {
      results.push({ step, lane, status: "not run" });
      continue;
    }
    results.push(await runStep(step, lane, started));
  }
  return results;
}

export function renderTable(results: readonly StepResult[], totalSeconds: number): string {
  const width = Math.max(...results.map((result) => result.step.length), "total".length);
  const rows = results.map((result) =>
    `  ${result.step.padEnd(width)}  lane ${result.lane}  ${result.status.padEnd(7)}  ${
      result.seconds === undefined ? "" : `${result.seconds.toFixed(1).padStart(6)} s`
    }`.trimEnd(),
  );
  // "lane N  <status>  " is 17 characters wide.
  const total = `  ${"total".padEnd(width)}  ${"wall".padEnd(17)}${totalSeconds.toFixed(1).padStart(6)} s`;
  return [...rows, total].join("\n");
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const known = lanes.flat();
  const unknown = (values.step ?? []).filter((step) => !known.includes(step));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown step ${listOf(unknown, "unknown steps")}; expected ${oneOf(known, { given: unknown[0], what: "steps" })}`,
    );
  }
  const selected = lanes.map((lane) => lane.filter((step) => !values.step || values.step.includes(step)));
  mkdirSync(logDirectory, { recursive: true });
  const started = Date.now();
  const results = values.sequential
    ? [...(await runLane(selected[1]!, 2, started)), ...(await runLane(selected[0]!, 1, started))]
    : (await Promise.all(selected.map((steps, index) => runLane(steps, index + 1, started)))).flat();
  const failed = results.filter((result) => result.status === "failed");
  printLine(
    `\nnpm test: ${failed.length === 0 ? "every step passed" : `FAILED: ${failed.map((r) => r.step).join(", ")}`}`,
  );
  printLine(renderTable(results, (Date.now() - started) / 1000));
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) runCli(toolName, main);
