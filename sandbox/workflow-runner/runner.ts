import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { runCommand } from "../../lib/process/run-command";
import { ActionFailure, knownActions, localActions, type ActionOutcome } from "./actions";
import {
  asText,
  condition,
  ExpressionError,
  substitute,
  type ExpressionObject,
  type ExpressionScope,
  type ExpressionValue,
} from "./expressions";
import {
  eventRef,
  githubContext,
  jobToken,
  triggerProblem,
  type RepositoryIdentity,
  type RunIdentity,
  type WorkflowEvent,
} from "./events";
import { listOf } from "../../lib/messages/alternatives";

/**
 * Runs a GitHub Actions workflow file on this machine as GitHub would run it for an event: its jobs in `needs`
 * order, each in a fresh workspace with the workflow's and the job's `env`, each `run:` step with bash in order
 * until one fails, `if:` conditions evaluated (or an error for what the runner cannot evaluate), and the
 * actions replaced by local equivalents (actions.ts): checkout copies the working tree,
 * configure-aws-credentials assumes its role with the job's OIDC token through the sandbox's STS. An action
 * with no local equivalent is an error before anything runs.
 */

export interface WorkflowRunOptions {
  /** The workflow file (a copy may stand for a branch's version of it). */
  readonly workflowFile: string;
  /** The file name the run is for (`job_workflow_ref`). @default - the base name of workflowFile */
  readonly workflowFileName?: string;
  readonly event: WorkflowEvent;
  readonly repository: RepositoryIdentity;
  /** The repository's or environment's variables (`vars`). */
  readonly vars: Readonly<Record<string, string>>;
  /** The jobs to run, with what they need. @default - every job */
  readonly jobs?: readonly string[];
  /** Jobs taken as succeeded without running (e.g. plan.yml's `test`, which runs npm test). @default [] */
  readonly assumeSucceeded?: readonly string[];
  /** What checkout copies. */
  readonly sourceDirectory: string;
  /** Emptied first: the jobs' workspaces, the artifacts and the step logs. */
  readonly workDirectory: string;
  /**
   * The runner machine's environment (PATH, the sandbox's endpoints…). AWS credentials in it are dropped: a
   * hosted runner has none, and the job must get its own from configure-aws-credentials.
   */
  readonly machineEnvironment: NodeJS.ProcessEnv;
  /**
   * `run:` scripts (exact text, trimmed) this machine runs differently, e.g. `npm ci` by linking the
   * project's node_modules. Each replacement is logged and reported; one that no step used is an error.
   * @default {}
   */
  readonly replaceRunSteps?: Readonly<Record<string, string>>;
  /** Progress lines. @default - stderr */
  readonly log?: (line: string) => void;
}

export type StepOutcome = "success" | "failure" | "skipped";

export interface StepResult {
  readonly name: string;
  readonly outcome: StepOutcome;
  /** The step's own output (and the log file that keeps it whole). */
  readonly logFile?: string;
  readonly error?: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly replacedBy?: string;
  readonly notes?: Readonly<Record<string, unknown>>;
}

export interface JobResult {
  readonly job: string;
  readonly result: "success" | "failure" | "skipped";
  readonly steps: readonly StepResult[];
  readonly outputs: Readonly<Record<string, string>>;
  readonly workspace: string;
  /** The OIDC token the job got, if any step asked for one. */
  readonly idToken?: string;
}

export interface WorkflowRunResult {
  readonly jobs: Readonly<Record<string, JobResult>>;
  readonly artifactsDirectory: string;
}

export class WorkflowRunnerError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file} cannot run here:\n${problems.map((problem) => `  * ${problem}`).join("\n")}`);
  }
}

/** The parts of a workflow file the runner reads (GitHub Docs, "Workflow syntax for GitHub Actions"). */
interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly if?: string | boolean;
  readonly shell?: string;
  readonly "working-directory"?: string;
  readonly "continue-on-error"?: boolean | string;
}
interface Job {
  readonly needs?: string | readonly string[];
  readonly if?: string | boolean;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly environment?: string | { readonly name?: string };
  readonly permissions?: Readonly<Record<string, string>>;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps?: readonly Step[];
  readonly "timeout-minutes"?: number;
  readonly [key: string]: unknown;
}
interface Workflow {
  readonly name?: string;
  readonly on?: unknown;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly jobs?: Readonly<Record<string, Job>>;
}

const AWS_CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
];

const actionName = (uses: string) => uses.split("@")[0];
const stepName = (step: Step, index: number) =>
  String(step.name ?? (step.uses ? `Run ${step.uses}` : `Run ${String(step.run).split("\n")[0]}`)) ||
  `step ${index + 1}`;

/** Everything that would stop the run, found before any job starts. */
function problemsOf(
  workflow: Workflow,
  requested: readonly string[],
  jobIds: readonly string[],
  options: WorkflowRunOptions,
): string[] {
  const problems: string[] = [];
  const jobs = (workflow.jobs ?? {}) as Record<string, Job>;
  const trigger = triggerProblem(workflow.on, options.event, options.repository);
  if (trigger) problems.push(trigger);
  for (const id of [...requested, ...(options.assumeSucceeded ?? [])]) {
    if (!(id in jobs)) problems.push(`jobs.${id}: no such job (jobs: ${Object.keys(jobs).join(", ")})`);
  }
  for (const id of jobIds.filter((candidate) => candidate in jobs)) {
    const job = jobs[id];
    for (const key of ["strategy", "container", "services", "uses", "defaults"]) {
      if (job[key] !== undefined) problems.push(`jobs.${id}.${key}: not supported by this runner`);
    }
    ((job.steps ?? []) as Step[]).forEach((step, index) => {
      const where = `jobs.${id}.steps[${index}]`;
      if (step.uses !== undefined && !knownActions.includes(actionName(String(step.uses)))) {
        problems.push(
          `${where}.uses: ${String(step.uses)} has no local equivalent (known: ${listOf(knownActions, "actions")})`,
        );
      }
      if (step.run !== undefined && step.shell !== undefined && step.shell !== "bash") {
        problems.push(`${where}.shell: ${String(step.shell)} is not supported (bash only)`);
      }
      if (step.uses === undefined && step.run === undefined) problems.push(`${where}: neither run nor uses`);
    });
  }
  return problems;
}

/** The jobs to run, each after what it needs; jobs taken as succeeded are left out. */
function jobOrder(
  jobs: Record<string, Job>,
  requested: readonly string[],
  assumed: readonly string[],
): string[] {
  const order: string[] = [];
  const visit = (id: string, trail: string[]) => {
    if (order.includes(id) || assumed.includes(id) || !(id in jobs)) return;
    if (trail.includes(id)) throw new Error(`jobs.${id}.needs: a cycle (${[...trail, id].join(" → ")})`);
    for (const need of [jobs[id].needs ?? []].flat() as string[]) visit(need, [...trail, id]);
    order.push(id);
  };
  for (const id of requested) visit(id, []);
  return order;
}

/** `name=value` lines and `name<<DELIMITER` blocks, as GITHUB_OUTPUT and GITHUB_ENV take them. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2], index + 1);
      if (end < 0) throw new Error(`no closing ${block[2]} for ${block[1]}`);
      values[block[1]] = lines.slice(index + 1, end).join("\n");
      index = end;
    } else if (line.includes("=")) {
      values[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return values;
}

export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRunResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const file = path.basename(options.workflowFile);
  const workflow = parse(readFileSync(options.workflowFile, "utf8")) as Workflow;
  const jobs = (workflow.jobs ?? {}) as Record<string, Job>;
  const assumed = options.assumeSucceeded ?? [];
  const requested = options.jobs ?? Object.keys(jobs).filter((id) => !assumed.includes(id));
  const order = jobOrder(jobs, requested, assumed);
  const problems = problemsOf(workflow, requested, order, options);
  if (problems.length > 0) throw new WorkflowRunnerError(file, problems);

  rmSync(options.workDirectory, { recursive: true, force: true });
  const artifactsDirectory = path.join(options.workDirectory, "artifacts");
  mkdirSync(artifactsDirectory, { recursive: true });
  const run: RunIdentity = {
    runId: String(Date.now()),
    sha: (await runCommand("git", ["rev-parse", "HEAD"], { cwd: options.sourceDirectory })).stdout.trim(),
    workflowFile: options.workflowFileName ?? file,
    workflowName: String(workflow.name ?? file),
  };
  const replacements = new Map(Object.entries(options.replaceRunSteps ?? {}));
  const usedReplacements = new Set<string>();
  const results: Record<string, JobResult> = {};
  for (const id of assumed) {
    results[id] = { job: id, result: "success", steps: [], outputs: {}, workspace: "" };
    log(`${file} ${id}: taken as succeeded (not run)`);
  }
  for (const id of order) {
    results[id] = await runJob(id, jobs[id], {
      options,
      workflow,
      run,
      results,
      artifactsDirectory,
      replacements,
      usedReplacements,
      log: (line) => log(`${file} ${id}: ${line}`),
    });
  }
  const unused = [...replacements.keys()].filter((script) => !usedReplacements.has(script));
  if (unused.length > 0) {
    throw new WorkflowRunnerError(file, [
      `replaceRunSteps: no step runs ${unused.map((script) => `\`${script}\``).join(", ")}`,
    ]);
  }
  return { jobs: results, artifactsDirectory };
}

interface JobRun {
  readonly options: WorkflowRunOptions;
  readonly workflow: Workflow;
  readonly run: RunIdentity;
  readonly results: Readonly<Record<string, JobResult>>;
  readonly artifactsDirectory: string;
  readonly replacements: ReadonlyMap<string, string>;
  readonly usedReplacements: Set<string>;
  readonly log: (line: string) => void;
}

/** `env:` maps are evaluated in order, each value seeing what came before it (workflow, then job, then step). */
function evaluateEnvironment(
  env: Record<string, unknown> | undefined,
  scope: (environment: Record<string, string>) => ExpressionScope,
  base: Record<string, string>,
): Record<string, string> {
  const evaluated: Record<string, string> = {};
  for (const [name, value] of Object.entries(env ?? {})) {
    evaluated[name] = substitute(asText(value as ExpressionValue), scope({ ...base, ...evaluated }));
  }
  return evaluated;
}

async function runJob(id: string, job: Job, context: JobRun): Promise<JobResult> {
  const { options, workflow, run, results, log } = context;
  const jobDirectory = path.join(options.workDirectory, id);
  const workspace = path.join(jobDirectory, "workspace");
  const runnerTemp = path.join(jobDirectory, "temp");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  const needs: Record<string, ExpressionValue> = {};
  for (const need of [job.needs ?? []].flat() as string[]) {
    needs[need] = { result: results[need].result, outputs: { ...results[need].outputs } };
  }
  const github = githubContext(options.event, options.repository, run, id);
  const environmentTemplate =
    typeof job.environment === "object" && job.environment !== null
      ? (job.environment as { name?: string }).name
      : (job.environment as string | undefined);
  const steps: Record<string, ExpressionObject> = {};
  let status: "success" | "failure" = Object.values(needs).every(
    (need) => (need as ExpressionObject).result === "success",
  )
    ? "success"
    : "failure";
  const scope = (environment: Record<string, string>): ExpressionScope => ({
    contexts: {
      github,
      vars: { ...options.vars },
      secrets: {},
      env: environment,
      needs,
      steps,
      job: { status },
      runner: { os: "Linux", arch: "X64", temp: runnerTemp },
    },
    status,
    workspace,
  });

  // A job's environment may read the github, needs, vars and inputs contexts (GitHub Docs, "Contexts", context
  // availability: jobs.<job_id>.environment): deploy.yml names it from the config job's output.
  const environmentName =
    environmentTemplate === undefined ? undefined : substitute(environmentTemplate, scope({})) || undefined;

  if (!condition(job.if as string | boolean | undefined, scope({}))) {
    log(`skipped (if: ${String(job.if ?? "success()")})`);
    return { job: id, result: "skipped", steps: [], outputs: {}, workspace };
  }
  const machine = Object.fromEntries(
    Object.entries(options.machineEnvironment).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !AWS_CREDENTIAL_VARIABLES.includes(entry[0]),
    ),
  );
  // GitHub's default variables (GitHub Docs, "Store information in variables", default environment variables).
  const defaults: Record<string, string> = {
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: options.repository.repository,
    GITHUB_REPOSITORY_ID: options.repository.repositoryId,
    GITHUB_REF: eventRef(options.event, options.repository),
    GITHUB_SHA: run.sha,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_RUN_ID: run.runId,
    GITHUB_JOB: id,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: "Linux",
  };
  const workflowEnv = evaluateEnvironment(workflow.env, scope, {});
  const jobEnv = evaluateEnvironment(job.env, scope, workflowEnv);
  // What steps export (GITHUB_ENV, an action's exportVariable) overrides the workflow's and the job's env for
  // the later steps; a step's own env overrides everything (actions/runner keeps them in that order).
  const exported: Record<string, string> = {};
  const pathEntries: string[] = [];
  const timeoutMs = Number(job["timeout-minutes"] ?? 360) * 60_000;
  let idToken: string | undefined;
  const results_: StepResult[] = [];
  const hasIdToken = (job.permissions as Record<string, string> | undefined)?.["id-token"] === "write";

  for (const [index, step] of ((job.steps ?? []) as Step[]).entries()) {
    const contextEnv = { ...workflowEnv, ...jobEnv, ...exported };
    const name = substitute(stepName(step, index), scope(contextEnv));
    const runsIf = condition(step.if as string | boolean | undefined, scope(contextEnv));
    if (!runsIf) {
      log(`- ${name}: skipped (if: ${String(step.if ?? "success()")})`);
      results_.push({ name, outcome: "skipped", outputs: {} });
      if (step.id) steps[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      continue;
    }
    const stepEnv = evaluateEnvironment(step.env, scope, contextEnv);
    const environment: Record<string, string> = {
      ...machine,
      ...defaults,
      ...contextEnv,
      ...stepEnv,
      PATH: [...pathEntries, machine.PATH ?? ""].join(path.delimiter),
    };
    const outputFile = path.join(runnerTemp, `output-${index}`);
    const envFile = path.join(runnerTemp, `env-${index}`);
    const pathFile = path.join(runnerTemp, `path-${index}`);
    for (const each of [outputFile, envFile, pathFile]) writeFileSync(each, "");
    Object.assign(environment, {
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      GITHUB_PATH: pathFile,
      GITHUB_STEP_SUMMARY: path.join(runnerTemp, "step-summary.md"),
    });
    const logFile = path.join(jobDirectory, `step-${String(index + 1).padStart(2, "0")}.log`);
    log(`- ${name}`);
    let outcome: StepOutcome = "success";
    let error: string | undefined;
    let outputs: Record<string, string> = {};
    let replacedBy: string | undefined;
    let notes: Readonly<Record<string, unknown>> | undefined;
    try {
      if (step.uses !== undefined) {
        const inputs = Object.fromEntries(
          Object.entries((step.with ?? {}) as Record<string, unknown>).map(([key, value]) => [
            key,
            substitute(asText(value as ExpressionValue), scope(contextEnv)),
          ]),
        );
        const action = localActions({
          repo: { owner: github.repository_owner, repo: String(github.repository).split("/")[1] },
          issue: { number: options.event.name === "pull_request" ? options.event.number : undefined },
          serverUrl: github.server_url,
          runId: run.runId,
          eventName: options.event.name,
          ref: github.ref,
          sha: run.sha,
          payload: github.event,
        })[actionName(String(step.uses))];
        const lines: string[] = [];
        const outcomeOf: ActionOutcome = await action({
          inputs,
          workspace,
          runnerTemp,
          sourceDirectory: options.sourceDirectory,
          artifactsDirectory: context.artifactsDirectory,
          environment,
          idToken: (audience) => {
            // Without id-token: write, GitHub gives the job no token (ACTIONS_ID_TOKEN_REQUEST_URL is unset).
            if (!hasIdToken) throw new ActionFailure("the job has no permissions: id-token: write");
            idToken = jobToken(options.event, options.repository, run, environmentName, audience);
            return idToken;
          },
          log: (line) => {
            lines.push(line);
            log(`  ${line}`);
          },
        });
        writeFileSync(logFile, `${lines.join("\n")}\n`);
        outputs = { ...outcomeOf.outputs };
        Object.assign(exported, outcomeOf.exportedEnvironment ?? {});
        notes = outcomeOf.notes;
      } else {
        const script = substitute(String(step.run), scope(contextEnv));
        replacedBy = context.replacements.get(script.trim());
        if (replacedBy !== undefined) {
          context.usedReplacements.add(script.trim());
          log(`  replaced on this machine by: ${replacedBy}`);
        }
        const scriptFile = path.join(runnerTemp, `step-${index}.sh`);
        writeFileSync(scriptFile, replacedBy ?? script);
        // GitHub's shells on Linux: unspecified is `bash -e {0}`; `shell: bash` is
        // `bash --noprofile --norc -eo pipefail {0}` (GitHub Docs, "Workflow syntax", jobs.<job_id>.steps[*].shell;
        // github/docs#18933 and #23853 on what the runner really does).
        const shellArgs = step.shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail"] : ["-e"];
        const workingDirectory = step["working-directory"]
          ? path.resolve(workspace, substitute(String(step["working-directory"]), scope(contextEnv)))
          : workspace;
        const result = await runCommand("bash", [...shellArgs, scriptFile], {
          cwd: workingDirectory,
          env: environment,
          logFile,
          timeoutMs,
        });
        if (result.exitCode !== 0) {
          const tail = (result.stdout + result.stderr).trim().split("\n").slice(-15).join("\n");
          throw new ActionFailure([`exit code ${result.exitCode}`, tail].filter(Boolean).join("\n"));
        }
        outputs = parseCommandFile(readFileSync(outputFile, "utf8"));
      }
      Object.assign(exported, parseCommandFile(readFileSync(envFile, "utf8")));
      pathEntries.unshift(...readFileSync(pathFile, "utf8").split("\n").filter(Boolean).reverse());
    } catch (caught) {
      if (!(caught instanceof ActionFailure) && !(caught instanceof ExpressionError)) throw caught;
      outcome = "failure";
      error = caught.message;
      if (!existsSync(logFile)) writeFileSync(logFile, "");
      appendFileSync(logFile, `\n${error}\n`);
      // A step's output written before it failed is still its output.
      outputs = existsSync(outputFile) ? parseCommandFile(readFileSync(outputFile, "utf8")) : {};
      log(`  failed: ${error.split("\n")[0]}`);
    }
    const continueOnError = step["continue-on-error"] === true || step["continue-on-error"] === "true";
    if (outcome === "failure" && !continueOnError) status = "failure";
    if (step.id) {
      steps[step.id] = {
        outcome,
        conclusion: outcome === "failure" && continueOnError ? "success" : outcome,
        outputs,
      };
    }
    results_.push({ name, outcome, logFile, error, outputs, replacedBy, notes });
  }
  const outputs = Object.fromEntries(
    Object.entries((job.outputs ?? {}) as Record<string, string>).map(([name, value]) => [
      name,
      substitute(String(value), scope({ ...workflowEnv, ...jobEnv, ...exported })),
    ]),
  );
  log(status === "success" ? "succeeded" : "failed");
  return { job: id, result: status, steps: results_, outputs, workspace, idToken };
}
