/**
 * npm run sandbox:faults: the sandbox under a fault profile, start to finish — a fresh deploy of every stack,
 * `npm run drift`, and a redeploy — once per seed, and whether each run converged.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runCommand } from "../lib/process/run-command";
import { parseFaultProfile } from "./emulator/faults/profile";
import { readCallLog } from "./role-summary";
import { startSandboxSession, type SandboxSession } from "./session";
import { runSandboxCli } from "./run-cli";

/**
 * The default profile: 20 % throttling on every service whose throttling error the Terraform AWS provider
 * retries, and 2 % 5xx on every service. License Manager's RateLimitExceededException and SNS's Throttled are
 * left out: the provider gives up at the first one (test/emulator/provider-retries.test.ts), so no deploy
 * converges under them, whatever the project does; `--profile throttle=0.2,5xx=0.02` shows it.
 */
const defaultProfile = "throttle=0.2@organizations+iam+sts+s3+dynamodb,5xx=0.02";

const usage = `Usage: npm run sandbox:faults [-- --profile PROFILE] [--seeds N] [--attempts N]

Runs the sandbox under a fault profile (SANDBOX_FAULTS), once per seed (1..N): starts it afresh, deploys
every stack with the real cdktf CLI (a stack that fails is deployed again, up to --attempts times, as an
operator would), runs npm run drift with the plan role (again up to --attempts times while it exits 1), and
deploys the organization and License Manager stacks once more, which must change nothing. A run converged
when every step succeeded within its attempts and drift exited 0. Prints, per run, the attempts each step
took and the faults injected (by service and kind), and writes them as JSON to .sandbox/fault-runs.json.
Each run takes a few minutes (the bootstrap's lifecycle configuration alone waits about a minute).

Options:
  --profile P    the fault profile (default ${defaultProfile})
  --seeds N      how many runs, seeds 1..N (default 3)
  --attempts N   attempts per step (default 3)
  -h, --help     show this help

Exit codes: 0 every run converged, 2 a run did not, 1 error (bad option, the sandbox did not start).`;

const projectRoot = path.resolve(__dirname, "..");
const outputDirectory = path.join(projectRoot, ".sandbox");

interface StepOutcome {
  readonly step: string;
  readonly attempts: number;
  readonly ok: boolean;
  readonly seconds: number;
  /** The last failed attempt's error lines. */
  readonly lastError?: string;
}

interface RunOutcome {
  readonly seed: number;
  readonly converged: boolean;
  readonly steps: readonly StepOutcome[];
  readonly calls: number;
  /** "<service> <kind>" → count of calls the profile failed. */
  readonly faults: Readonly<Record<string, number>>;
  /** Faulted calls whose operation later succeeded in the same run (retried by the SDK, the provider or a re-run). */
  readonly recovered: number;
}

/** Terraform's and our tools' error lines, for the report. */
const errorLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => /Error|error:|failed/.test(line))
    .slice(0, 4)
    .map((line) => line.replace(/[│╷╵]/g, "").trim())
    .join(" | ");

async function attempt(
  step: string,
  attempts: number,
  run: () => Promise<{ ok: boolean; output: string }>,
): Promise<StepOutcome> {
  const started = Date.now();
  let lastError: string | undefined;
  for (let attemptNumber = 1; attemptNumber <= attempts; attemptNumber++) {
    const { ok, output } = await run();
    if (ok) {
      console.error(`    ${step}: ok after ${attemptNumber} attempt(s)`);
      return { step, attempts: attemptNumber, ok, seconds: (Date.now() - started) / 1000 };
    }
    lastError = errorLines(output);
    console.error(`    ${step}: attempt ${attemptNumber} failed: ${lastError}`);
  }
  return { step, attempts, ok: false, seconds: (Date.now() - started) / 1000, lastError };
}

async function faultRun(seed: number, profile: string, attempts: number): Promise<RunOutcome> {
  process.env.SANDBOX_FAULTS = profile;
  process.env.SANDBOX_FAULTS_SEED = String(seed);
  const session: SandboxSession = await startSandboxSession({
    projectRoot,
    dataDirectory: path.join(outputDirectory, "fault-runs", String(seed)),
    configFile: "config/sandbox.yaml",
  });
  const steps: StepOutcome[] = [];
  try {
    for (const stack of session.stacks) {
      const outcome = await attempt(`deploy ${stack}`, attempts, async () => {
        const result = await session.cli.deploy(stack);
        return { ok: result.exitCode === 0, output: result.stdout + result.stderr };
      });
      steps.push(outcome);
      if (!outcome.ok) break;
    }
    if (steps.every((step) => step.ok)) {
      steps.push(
        await attempt("npm run drift (plan role)", attempts, async () => {
          const result = await runCommand(
            path.join(projectRoot, "node_modules/.bin/tsx"),
            ["tools/drift.ts"],
            {
              cwd: projectRoot,
              env: session.environment,
              logFile: path.join(session.logDirectory, "drift.log"),
            },
          );
          // Exit 2 is drift: a false one under faults is a failure of the run, not a reason to try again.
          if (result.exitCode === 2) throw new Error(`drift reported drift under faults:\n${result.stderr}`);
          return { ok: result.exitCode === 0, output: result.stderr };
        }),
      );
    }
    if (steps.every((step) => step.ok)) {
      steps.push(
        await attempt("redeploy organization + license-manager", attempts, async () => {
          const result = await session.cli.deploy(["organization", "license-manager"]);
          const output = result.stdout + result.stderr;
          const unchanged = (
            output.match(/No changes\. Your infrastructure matches the configuration\./g) ?? []
          ).length;
          if (result.exitCode === 0 && unchanged < 2)
            throw new Error(`the redeploy changed something:\n${output}`);
          return { ok: result.exitCode === 0, output };
        }),
      );
    }
  } catch (error) {
    steps.push({ step: "run", attempts: 1, ok: false, seconds: 0, lastError: (error as Error).message });
  } finally {
    await session.close();
  }
  const log = readCallLog(session.services.callLogFile);
  const faults: Record<string, number> = {};
  const succeeded = new Set(log.filter((entry) => !entry.fault && entry.status < 500).map(operationOf));
  let recovered = 0;
  for (const entry of log.filter((candidate) => candidate.fault)) {
    const key = `${entry.service} ${entry.fault}`;
    faults[key] = (faults[key] ?? 0) + 1;
    if (succeeded.has(operationOf(entry))) recovered++;
  }
  const converged =
    steps.length > 0 && steps.every((step) => step.ok) && steps.at(-1)!.step.startsWith("redeploy");
  return { seed, converged, steps, calls: log.length, faults, recovered };
}

const operationOf = (entry: { service: string; action: string }) => `${entry.service} ${entry.action}`;

function report(runs: readonly RunOutcome[], profile: string): string {
  const lines = [`Fault profile: ${profile}`];
  for (const run of runs) {
    const injected = Object.values(run.faults).reduce((sum, count) => sum + count, 0);
    lines.push(
      `seed ${run.seed}: ${run.converged ? "CONVERGED" : "DID NOT CONVERGE"} — ${run.calls} calls, ${injected} faulted ` +
        `(${Object.entries(run.faults)
          .map(([key, count]) => `${key} ${count}`)
          .join(", ")}), ${run.recovered} of them for operations that later succeeded`,
    );
    for (const step of run.steps) {
      lines.push(
        `  ${step.step}: ${step.ok ? "ok" : "FAILED"} in ${step.attempts} attempt(s), ${step.seconds.toFixed(0)} s` +
          (step.lastError ? ` — ${step.lastError}` : ""),
      );
    }
  }
  const converged = runs.filter((run) => run.converged).length;
  lines.push(`${converged} of ${runs.length} run(s) converged.`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      profile: { type: "string", default: defaultProfile },
      seeds: { type: "string", default: "3" },
      attempts: { type: "string", default: "3" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const seeds = Number(values.seeds);
  const attempts = Number(values.attempts);
  if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(attempts) || attempts < 1) {
    console.error(`sandbox:faults: --seeds and --attempts expect whole numbers from 1\n\n${usage}`);
    return 1;
  }
  parseFaultProfile(values.profile); // a bad profile fails here, with its own message
  const runs: RunOutcome[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    console.error(
      `Run ${seed} of ${seeds} (SANDBOX_FAULTS=${values.profile}, SANDBOX_FAULTS_SEED=${seed}) ...`,
    );
    runs.push(await faultRun(seed, values.profile, attempts));
  }
  mkdirSync(outputDirectory, { recursive: true });
  writeFileSync(
    path.join(outputDirectory, "fault-runs.json"),
    `${JSON.stringify({ profile: values.profile, runs }, null, 2)}\n`,
  );
  console.log(report(runs, values.profile));
  return runs.every((run) => run.converged) ? 0 : 2;
}

runSandboxCli(module, "sandbox:faults", main);
