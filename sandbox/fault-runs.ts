/**
 * npm run sandbox:faults: the sandbox under a fault profile and AWS-like rate limits, start to finish — a fresh
 * deploy of every stack, `npm run plan`, `npm run drift`, a deploy of a one-line change, a second change planned,
 * approved and applied as deploy.yml does, and `npm run deploy`, which must change nothing — once per seed, and
 * whether each run converged, with the throttles it met and absorbed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { runCommand } from "../lib/process/run-command";
import { RERUN_LINE } from "../lib/terraform/throttling";
import { CdktfCli } from "./cdktf-cli";
import type { CallLogEntry } from "./emulator/call-log";
import { parseFaultProfile } from "./emulator/faults/profile";
import { parseRateLimits } from "./emulator/faults/rate-limits";
import { readCallLog } from "./role-summary";
import { startSandboxSession, type SandboxSession } from "./session";
import { runSandboxCli } from "./run-cli";

/**
 * The default random profile: a quarter of calls throttled on every service whose throttling error the Terraform
 * AWS provider retries, and 2 % 5xx on every service. License Manager and SNS are throttled by rate instead (runRateLimits
 * below), as AWS throttles them: a share drawn call by call would fail some call of nearly every plan, and a
 * whole plan run again would meet the same odds, whereas a bucket refills while the command waits to run again.
 */
const defaultProfile = "throttle=0.25@organizations+iam+sts+s3+dynamodb,5xx=0.02";

/**
 * The default rate limits (SANDBOX_RATE_LIMITS), sized to the sandbox's config: License Manager's and SNS's
 * buckets hold one stack's refresh (so a run after a wait gets through) and refill slowly (so commands in a
 * row, and the apply after its refresh, meet throttles).
 */
export const runRateLimits =
  "license-manager-read=0.5/8,license-manager-write=0.5/8,sns=0.5/12,organizations=2/20,iam=2/20,sts=2/20";

const usage = `Usage: npm run sandbox:faults [-- --profile P] [--rate-limits L] [--seeds N] [--attempts N] [--neighbour S]

Runs the sandbox under a fault profile (SANDBOX_FAULTS) and rate limits (SANDBOX_RATE_LIMITS), once per seed
(1..N): starts it afresh, deploys every stack with the real cdktf CLI, runs npm run plan and npm run drift (with
the plan role), deploys a one-line change of the config (a license configuration's description) and runs drift
with it, plans a second change with npm run plan -- --save and applies exactly that with npm run apply
(deploy.yml's path), and runs npm run deploy (adopt, deploy, restore), which must change nothing. A command
that fails only because AWS throttled it is run again by the project's own code (lib/terraform/throttling.ts,
LM_THROTTLE_ATTEMPTS); --attempts adds an operator's re-runs on top (default none). A run converged when every
step succeeded, plan and drift found nothing to do and both changes were applied. Prints, per run and step, the
calls made, the throttles met (by service and AWS error code), how many of them were absorbed (the operation
succeeded later), and the re-runs of Terraform; writes them as JSON to .sandbox/fault-runs.json.
Each run takes a few minutes (the bootstrap's lifecycle configuration alone waits about a minute).

Options:
  --profile P       the random fault profile (default ${defaultProfile})
  --rate-limits L   the rate limits, "off" for none (default ${runRateLimits})
  --seeds N         how many runs, seeds 1..N (default 3)
  --attempts N      attempts per step (default 1: the commands' own re-runs only)
  --neighbour S     from the plan on, another caller of the account empties License Manager's and SNS's read
                    buckets every S seconds, as other tools do at organization scale (default 20, 0 for none);
                    its calls are not counted
  -h, --help        show this help

Exit codes: 0 every run converged, 2 a run did not, 1 error (bad option, the sandbox did not start).`;

const projectRoot = path.resolve(__dirname, "..");
const outputDirectory = path.join(projectRoot, ".sandbox");

/** The calls of a step and the throttles among them (random and by rate), from the emulator's call log. */
interface CallCounts {
  readonly calls: number;
  readonly throttled: number;
  /** "<service> <AWS error code>" → throttles. */
  readonly throttles: Readonly<Record<string, number>>;
  /** Throttled calls whose operation succeeded later in the same step. */
  readonly absorbed: number;
}

interface StepOutcome extends Partial<CallCounts> {
  readonly step: string;
  readonly attempts: number;
  readonly ok: boolean;
  readonly seconds: number;
  /** Terraform operations the project's code ran again because AWS throttled them. */
  readonly reruns?: number;
  /** The last failed attempt's error lines. */
  readonly lastError?: string;
}

interface RunOutcome extends CallCounts {
  readonly seed: number;
  readonly converged: boolean;
  readonly steps: readonly StepOutcome[];
  /** "<service> <kind>" → count of calls the profile or the rate limits failed. */
  readonly faults: Readonly<Record<string, number>>;
  readonly reruns: number;
  /** Calls of the neighbour (another caller of the account), not counted above. */
  readonly neighbourCalls: number;
}

/** The call log so far: none before the first call. */
const callsSoFar = (file: string): CallLogEntry[] => (existsSync(file) ? readCallLog(file) : []);

const isThrottle = (entry: CallLogEntry) => entry.fault === "throttle" || entry.fault === "rate";
const operationOf = (entry: { service: string; action: string }) => `${entry.service} ${entry.action}`;

/** What a slice of the call log met: throttles by AWS code, and how many were absorbed within it. */
export function countThrottles(entries: readonly CallLogEntry[]): CallCounts {
  const throttles: Record<string, number> = {};
  let absorbed = 0;
  entries.forEach((entry, index) => {
    if (!isThrottle(entry)) return;
    const key = `${entry.service} ${entry.errorCode}`;
    throttles[key] = (throttles[key] ?? 0) + 1;
    const operation = operationOf(entry);
    if (
      entries
        .slice(index + 1)
        .some((later) => !later.fault && later.status < 500 && operationOf(later) === operation)
    )
      absorbed++;
  });
  const throttled = Object.values(throttles).reduce((sum, count) => sum + count, 0);
  return { calls: entries.length, throttled, throttles, absorbed };
}

/** cdktf's cursor movements, which it prints even with --no-color. */
// eslint-disable-next-line no-control-regex
const CURSOR_MOVEMENT = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Terraform's and our tools' error lines, for the report. */
const errorLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => /Error|error:|failed/.test(line))
    .slice(0, 4)
    .map((line) => line.replace(CURSOR_MOVEMENT, "").replace(/[│╷╵]/g, "").trim())
    .join(" | ");

async function attempt(
  step: string,
  attempts: number,
  callLogFile: string,
  run: () => Promise<{ ok: boolean; output: string }>,
): Promise<StepOutcome> {
  const started = Date.now();
  const firstCall = callsSoFar(callLogFile).length;
  let lastError: string | undefined;
  let reruns = 0;
  let outcome: { ok: boolean; attempts: number } = { ok: false, attempts };
  for (let attemptNumber = 1; attemptNumber <= attempts; attemptNumber++) {
    const { ok, output } = await run();
    reruns += (output.match(RERUN_LINE) ?? []).length;
    if (ok) {
      outcome = { ok, attempts: attemptNumber };
      break;
    }
    lastError = errorLines(output);
    console.error(`    ${step}: attempt ${attemptNumber} failed: ${lastError}`);
  }
  const counts = countThrottles(ownCalls(callsSoFar(callLogFile).slice(firstCall)));
  console.error(
    `    ${step}: ${outcome.ok ? "ok" : "FAILED"} — ${counts.calls} calls, ${counts.throttled} throttled ` +
      `(${describeThrottles(counts.throttles)}), ${counts.absorbed} absorbed, ${reruns} Terraform re-run(s)`,
  );
  return {
    step,
    ...outcome,
    seconds: (Date.now() - started) / 1000,
    ...counts,
    reruns,
    ...(outcome.ok ? {} : { lastError }),
  };
}

const describeThrottles = (throttles: Readonly<Record<string, number>>) =>
  Object.entries(throttles)
    .map(([key, count]) => `${key} ${count}`)
    .join(", ") || "none";

const percent = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((100 * part) / whole)} %`;

/** The seeded administrator of the management account: the neighbour's caller, never the project's. */
const NEIGHBOUR_KEY = "AKIASANDBOXMANAGEMENT";
const NEIGHBOUR_PRINCIPAL = "arn:aws:iam::111111111111:user/sandbox-admin";

/**
 * Another caller of the same account: AWS's buckets are per account and Region, and at organization scale other
 * pipelines, consoles and tools spend them too. Every `everyMs` it reads License Manager and SNS in both of the
 * sandbox's Regions until the bucket throttles it, so that the project's next calls meet an emptied bucket. Its
 * own calls are left out of the counts (the seeded administrator's reads of those two; the project reads both
 * with its roles).
 */
function startNeighbour(url: string, everyMs: number): { stop(): Promise<void> } {
  let stopped = false;
  const call = (service: string, region: string, headers: Record<string, string>, body: string) =>
    fetch(url, {
      method: "POST",
      headers: {
        ...headers,
        authorization: `AWS4-HMAC-SHA256 Credential=${NEIGHBOUR_KEY}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    }).then(
      (response) => response.status,
      () => 0,
    );
  const drain = async (send: () => Promise<number>) => {
    for (let calls = 0; calls < 50 && !stopped; calls++) if ((await send()) !== 200) return;
  };
  const loop = (async () => {
    while (!stopped) {
      for (const region of ["us-east-1", "eu-west-1"]) {
        await drain(() =>
          call(
            "license-manager",
            region,
            {
              "content-type": "application/x-amz-json-1.1",
              "x-amz-target": "AWSLicenseManager.ListLicenseConfigurations",
            },
            "{}",
          ),
        );
        await drain(() =>
          call(
            "sns",
            region,
            { "content-type": "application/x-www-form-urlencoded" },
            "Action=ListTopics&Version=2010-03-31",
          ),
        );
      }
      for (let waited = 0; waited < everyMs && !stopped; waited += 250)
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** The neighbour's reads; the administrator's other calls are the project's own (the bootstrap and access stacks). */
const NEIGHBOUR_ACTIONS = new Set(["license-manager ListLicenseConfigurations", "sns ListTopics"]);

const ownCalls = (entries: readonly CallLogEntry[]) =>
  entries.filter(
    (entry) => !(entry.principal === NEIGHBOUR_PRINCIPAL && NEIGHBOUR_ACTIONS.has(operationOf(entry))),
  );

/** The config with the SQL Server configuration's description changed: `suffix` added to it. */
function changedConfig(configFile: string, directory: string, suffix: string, name: string): string {
  const text = readFileSync(path.join(projectRoot, configFile), "utf8");
  const changed = text.replace(/^(\s+description: SQL Server Enterprise, per vCPU)$/m, `$1${suffix}`);
  if (changed === text) throw new Error(`${configFile}: no line to change (the SQL Server description)`);
  const file = path.join(directory, name);
  writeFileSync(file, changed);
  return path.relative(projectRoot, file);
}

async function faultRun(
  seed: number,
  profile: string,
  rateLimits: string,
  attempts: number,
  neighbourEveryMs: number,
): Promise<RunOutcome> {
  process.env.SANDBOX_FAULTS = profile;
  process.env.SANDBOX_FAULTS_SEED = String(seed);
  process.env.SANDBOX_RATE_LIMITS = rateLimits;
  const configFile = "config/sandbox.yaml";
  const dataDirectory = path.join(outputDirectory, "fault-runs", String(seed));
  const session: SandboxSession = await startSandboxSession({ projectRoot, dataDirectory, configFile });
  const callLogFile = session.services.callLogFile;
  const steps: StepOutcome[] = [];
  let neighbour: { stop(): Promise<void> } | undefined;
  const ok = () => steps.every((step) => step.ok);
  // Each deploy's re-run lines, as the CLI wrapper reports them, also go into the step's output for counting.
  let reported: string[] = [];
  const cliFor = (environment: NodeJS.ProcessEnv) =>
    new CdktfCli({
      projectRoot,
      environment,
      logDirectory: session.logDirectory,
      throttleRetry: {
        report: (line) => {
          console.error(`      ${line}`);
          reported.push(line);
        },
      },
    });
  const deploy = (cli: CdktfCli, stacks: string | readonly string[]) => async () => {
    reported = [];
    const result = await cli.deploy(stacks);
    return { result, output: `${result.stdout}${result.stderr}\n${reported.join("\n")}` };
  };
  const tool = async (name: string, args: readonly string[], environment: NodeJS.ProcessEnv) => {
    const result = await runCommand(
      path.join(projectRoot, "node_modules/.bin/tsx"),
      [`tools/${name}.ts`, ...args],
      {
        cwd: projectRoot,
        env: environment,
        logFile: path.join(session.logDirectory, `${name}.log`),
      },
    );
    return result;
  };
  const noChanges = (output: string) =>
    (output.match(/No changes\. Your infrastructure matches the configuration\./g) ?? []).length;
  try {
    const cli = cliFor(session.environment);
    for (const stack of session.stacks) {
      steps.push(
        await attempt(`deploy ${stack}`, attempts, callLogFile, async () => {
          const { result, output } = await deploy(cli, stack)();
          return { ok: result.exitCode === 0, output };
        }),
      );
      if (!ok()) break;
    }
    if (ok() && neighbourEveryMs > 0)
      neighbour = startNeighbour(session.services.emulatorUrl, neighbourEveryMs);
    if (ok()) {
      steps.push(
        await attempt("npm run plan", attempts, callLogFile, async () => {
          const result = await tool(
            "plan",
            ["--out", path.join(dataDirectory, "plans")],
            session.environment,
          );
          // Exit 2 is a plan with changes: right after the deploy, a false one is a failure of the run.
          if (result.exitCode === 2) throw new Error(`plan found changes under faults:\n${result.stderr}`);
          return { ok: result.exitCode === 0, output: result.stderr };
        }),
      );
    }
    const drift = (environment: NodeJS.ProcessEnv) => async () => {
      const result = await tool("drift", [], environment);
      // Exit 2 is drift: a false one under faults is a failure of the run, not a reason to try again.
      if (result.exitCode === 2) throw new Error(`drift reported drift under faults:\n${result.stderr}`);
      return { ok: result.exitCode === 0, output: result.stderr };
    };
    if (ok())
      steps.push(
        await attempt("npm run drift (plan role)", attempts, callLogFile, drift(session.environment)),
      );
    const changedEnvironment = {
      ...session.environment,
      LM_CONFIG: changedConfig(
        configFile,
        dataDirectory,
        " (changed under throttling)",
        "changed-config.yaml",
      ),
    };
    const approvedEnvironment = {
      ...session.environment,
      LM_CONFIG: changedConfig(
        configFile,
        dataDirectory,
        " (changed under throttling, approved)",
        "approved-config.yaml",
      ),
    };
    if (ok()) {
      const changedCli = cliFor(changedEnvironment);
      steps.push(
        await attempt("deploy a one-line change (license-manager)", attempts, callLogFile, async () => {
          const synth = await changedCli.synth();
          if (synth.exitCode !== 0)
            throw new Error(`cdktf synth of the changed config failed:\n${synth.stderr}`);
          const { result, output } = await deploy(changedCli, "license-manager")();
          // The change is applied when this run, or an earlier throttled one, updated the configuration.
          if (result.exitCode === 0 && !/\b1 changed\b/.test(output) && noChanges(output) === 0)
            throw new Error(`the change was not applied:\n${output}`);
          return { ok: result.exitCode === 0, output };
        }),
      );
    }
    if (ok())
      steps.push(
        await attempt("npm run drift after the change", attempts, callLogFile, drift(changedEnvironment)),
      );
    if (ok()) {
      // deploy.yml's path: the plan saved for approval, then exactly that applied; a throttle part-way applies
      // what remains only if it is part of the approved plan (lib/terraform/approved-apply.ts).
      steps.push(
        await attempt(
          "npm run plan -- --save, then npm run apply (deploy.yml's path) of a second change",
          attempts,
          callLogFile,
          async () => {
            const saved = mkdtempSync(path.join(dataDirectory, "saved-plans-"));
            const stacks = ["--stack", "organization", "--stack", "license-manager"];
            const planOut = path.join(dataDirectory, "approved-plans");
            const plan = await tool(
              "plan",
              [...stacks, "--role", "deploy", "--out", planOut, "--save", saved],
              approvedEnvironment,
            );
            if (plan.exitCode === 0)
              throw new Error("the plan of the second change found nothing to approve");
            if (plan.exitCode !== 2) return { ok: false, output: plan.stderr };
            const apply = await tool("apply", [saved, "--skip-synth"], approvedEnvironment);
            if (apply.exitCode === 0 && !/license-manager: applied/.test(apply.stderr))
              throw new Error(`npm run apply did not apply the license-manager stack:\n${apply.stderr}`);
            return { ok: apply.exitCode === 0, output: `${plan.stderr}\n${apply.stderr}` };
          },
        ),
      );
    }
    if (ok()) {
      // The workstation's sequence (adopt, deploy, reconcile restore): after the approved apply, nothing to do.
      steps.push(
        await attempt(
          "npm run deploy (adopt, deploy, restore): no changes",
          attempts,
          callLogFile,
          async () => {
            const result = await tool(
              "deploy",
              ["--", "--skip-provider-lock", "--no-color"],
              approvedEnvironment,
            );
            const output = `${result.stdout}${result.stderr}`;
            if (result.exitCode === 0 && noChanges(output) < 2)
              throw new Error(`npm run deploy changed something:\n${output}`);
            return { ok: result.exitCode === 0, output };
          },
        ),
      );
    }
  } catch (error) {
    steps.push({ step: "run", attempts: 1, ok: false, seconds: 0, lastError: (error as Error).message });
  } finally {
    await neighbour?.stop();
    await session.close();
  }
  const log = readCallLog(callLogFile);
  const faults: Record<string, number> = {};
  for (const entry of ownCalls(log).filter((candidate) => candidate.fault)) {
    const key = `${entry.service} ${entry.fault}`;
    faults[key] = (faults[key] ?? 0) + 1;
  }
  const converged =
    steps.length > 0 && steps.every((step) => step.ok) && steps.at(-1)!.step.startsWith("npm run deploy");
  const reruns = steps.reduce((sum, step) => sum + (step.reruns ?? 0), 0);
  return {
    seed,
    converged,
    steps,
    faults,
    reruns,
    ...countThrottles(ownCalls(log)),
    neighbourCalls: log.length - ownCalls(log).length,
  };
}

function report(runs: readonly RunOutcome[], profile: string, rateLimits: string): string {
  const lines = [`Fault profile: ${profile}`, `Rate limits: ${rateLimits}`];
  for (const run of runs) {
    lines.push(
      `seed ${run.seed}: ${run.converged ? "CONVERGED" : "DID NOT CONVERGE"} — ${run.calls} calls, ` +
        `${run.throttled} throttled (${percent(run.throttled, run.calls)}: ${describeThrottles(run.throttles)}), ` +
        `${run.absorbed} absorbed, ${run.reruns} Terraform re-run(s); all faults: ${describeThrottles(run.faults)}; ` +
        `${run.neighbourCalls} calls of the neighbour not counted`,
    );
    for (const step of run.steps) {
      lines.push(
        `  ${step.step}: ${step.ok ? "ok" : "FAILED"} in ${step.attempts} attempt(s), ${step.seconds.toFixed(0)} s` +
          (step.calls !== undefined
            ? ` — ${step.calls} calls, ${step.throttled} throttled (${percent(step.throttled ?? 0, step.calls)}: ` +
              `${describeThrottles(step.throttles ?? {})}), ${step.absorbed} absorbed, ${step.reruns} re-run(s)`
            : "") +
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
      "rate-limits": { type: "string", default: runRateLimits },
      seeds: { type: "string", default: "3" },
      attempts: { type: "string", default: "1" },
      neighbour: { type: "string", default: "20" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const seeds = Number(values.seeds);
  const attempts = Number(values.attempts);
  const neighbourSeconds = Number(values.neighbour);
  if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(attempts) || attempts < 1) {
    console.error(`sandbox:faults: --seeds and --attempts expect whole numbers from 1\n\n${usage}`);
    return 1;
  }
  if (!Number.isFinite(neighbourSeconds) || neighbourSeconds < 0) {
    console.error(`sandbox:faults: --neighbour expects seconds (0 for none)\n\n${usage}`);
    return 1;
  }
  parseFaultProfile(values.profile); // a bad profile fails here, with its own message
  parseRateLimits(values["rate-limits"]);
  const runs: RunOutcome[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    console.error(
      `Run ${seed} of ${seeds} (SANDBOX_FAULTS=${values.profile}, SANDBOX_FAULTS_SEED=${seed}, ` +
        `SANDBOX_RATE_LIMITS=${values["rate-limits"]}) ...`,
    );
    runs.push(await faultRun(seed, values.profile, values["rate-limits"], attempts, neighbourSeconds * 1000));
  }
  mkdirSync(outputDirectory, { recursive: true });
  writeFileSync(
    path.join(outputDirectory, "fault-runs.json"),
    `${JSON.stringify({ profile: values.profile, rateLimits: values["rate-limits"], runs }, null, 2)}\n`,
  );
  console.log(report(runs, values.profile, values["rate-limits"]));
  return runs.every((run) => run.converged) ? 0 : 2;
}

runSandboxCli(module, "sandbox:faults", main);
