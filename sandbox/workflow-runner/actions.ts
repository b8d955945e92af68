import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { runCommand } from "../../lib/process/run-command";
import { STS_AUDIENCE } from "../emulator/github-oidc-token";

/** What a `uses:` step gets: its inputs (`with:`, expressions substituted) and the job's files and state. */
export interface ActionContext {
  readonly inputs: Readonly<Record<string, string>>;
  readonly workspace: string;
  readonly runnerTemp: string;
  /** The directory checkout copies: the project's working tree. */
  readonly sourceDirectory: string;
  /** Artifacts of the whole run, one folder per name. */
  readonly artifactsDirectory: string;
  /** The environment the step runs with (the machine's, GitHub's defaults, the workflow's, the job's, the step's). */
  readonly environment: Readonly<Record<string, string>>;
  /** Mints the job's OIDC token (needs `permissions: id-token: write`). */
  readonly idToken: (audience: string) => string;
  readonly log: (line: string) => void;
}

/** What a step leaves behind: outputs, variables for later steps (`core.exportVariable`, like GITHUB_ENV). */
export interface ActionOutcome {
  readonly outputs?: Readonly<Record<string, string>>;
  readonly exportedEnvironment?: Readonly<Record<string, string>>;
  /** e.g. the assumed role's ARN. */
  readonly notes?: Readonly<Record<string, unknown>>;
}

export class ActionFailure extends Error {}

type LocalAction = (context: ActionContext) => Promise<ActionOutcome>;

/** The working tree as `git ls-files` sees it: tracked files and new ones, not what .gitignore leaves out. */
async function checkout({ sourceDirectory, workspace, log }: ActionContext): Promise<ActionOutcome> {
  const listed = await runCommand("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: sourceDirectory,
  });
  if (listed.exitCode !== 0) throw new ActionFailure(`git ls-files failed: ${listed.stderr.trim()}`);
  const files = listed.stdout.split("\0").filter((file) => file !== "");
  let copied = 0;
  for (const file of files) {
    const source = path.join(sourceDirectory, file);
    // A file deleted in the working tree is still in the index: the working tree is what a run checks out.
    if (!existsSync(source)) continue;
    mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
    cpSync(source, path.join(workspace, file));
    copied += 1;
  }
  log(`checked out ${copied} files of ${sourceDirectory}`);
  return {};
}

/** The runner machine's tool must be the version the workflow asks for. */
async function requireVersion(tool: string, args: string[], wanted: string | undefined, found: RegExp) {
  if (wanted === undefined) return;
  const result = await runCommand(tool, args);
  const version = found.exec(result.stdout)?.[1];
  if (version === undefined || !(version === wanted || version.startsWith(`${wanted}.`))) {
    throw new ActionFailure(
      `the workflow asks for ${tool} ${wanted}; this machine has ${version ?? "none"} on its PATH`,
    );
  }
}

const setupNode: LocalAction = async ({ inputs, log }) => {
  await requireVersion("node", ["--version"], inputs["node-version"], /^v(\d+\.\d+\.\d+)/);
  log(`node ${inputs["node-version"] ?? ""} from the machine's PATH`);
  return {};
};

const setupTerraform: LocalAction = async ({ inputs, log }) => {
  // The wrapper changes terraform's stdout; the machine's terraform has none, so the workflow must not rely on it.
  if (inputs.terraform_wrapper !== "false") {
    throw new ActionFailure("terraform_wrapper is not false: this runner has no wrapper to install");
  }
  await requireVersion("terraform", ["version"], inputs.terraform_version, /Terraform v(\d+\.\d+\.\d+)/);
  log(`terraform ${inputs.terraform_version ?? ""} from the machine's PATH`);
  return {};
};

/**
 * aws-actions/configure-aws-credentials with `role-to-assume` and OIDC: it asks GitHub for the job's token
 * (audience `sts.amazonaws.com` unless `audience` says otherwise), calls AssumeRoleWithWebIdentity, and exports
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION and AWS_DEFAULT_REGION for the
 * later steps (the action's README: "exports environment variables for your other Actions to use").
 */
const configureAwsCredentials: LocalAction = async ({ inputs, environment, idToken, log }) => {
  const roleArn = inputs["role-to-assume"];
  const region = inputs["aws-region"];
  if (!roleArn || !region) {
    throw new ActionFailure("needs role-to-assume and aws-region (this runner supports the OIDC way only)");
  }
  const token = idToken(inputs.audience || STS_AUDIENCE);
  const sts = new STSClient({
    region,
    endpoint: environment.AWS_ENDPOINT_URL_STS ?? environment.AWS_ENDPOINT_URL,
  });
  try {
    const { Credentials, AssumedRoleUser } = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: inputs["role-session-name"] || "GitHubActions",
        WebIdentityToken: token,
        DurationSeconds: inputs["role-duration-seconds"] ? Number(inputs["role-duration-seconds"]) : 3600,
      }),
    );
    log(`assumed ${AssumedRoleUser?.Arn ?? roleArn}`);
    return {
      exportedEnvironment: {
        AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!,
        AWS_SESSION_TOKEN: Credentials!.SessionToken!,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
      outputs: { "aws-account-id": roleArn.split(":")[4] },
      notes: { assumedRole: AssumedRoleUser?.Arn },
    };
  } catch (error) {
    const { name, message } = error as Error;
    throw new ActionFailure(`Could not assume role with OIDC: ${name}: ${message}`);
  } finally {
    sts.destroy();
  }
};

/** The paths of `path:` (one per line), copied into the artifact as upload-artifact lays them out. */
const uploadArtifact: LocalAction = async ({ inputs, workspace, artifactsDirectory, log }) => {
  const name = inputs.name || "artifact";
  const paths = (inputs.path ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (paths.some((entry) => /[*?!]/.test(entry))) {
    throw new ActionFailure(`path ${inputs.path}: patterns are not supported by this runner`);
  }
  const target = path.join(artifactsDirectory, name);
  const found = paths.map((entry) => path.resolve(workspace, entry)).filter((entry) => existsSync(entry));
  if (found.length === 0) {
    // if-no-files-found: warn is the action's default.
    if (inputs["if-no-files-found"] === "error") throw new ActionFailure(`no files at ${paths.join(", ")}`);
    log(`no files at ${paths.join(", ")}: no artifact ${name}`);
    return {};
  }
  for (const source of found) {
    const destination = statSync(source).isDirectory() ? target : path.join(target, path.basename(source));
    cpSync(source, destination, { recursive: true });
  }
  log(`artifact ${name}: ${readdirSync(target, { recursive: true }).length} entries`);
  return {};
};

const downloadArtifact: LocalAction = async ({ inputs, workspace, artifactsDirectory, log }) => {
  const name = inputs.name;
  if (!name) throw new ActionFailure("needs name (downloading every artifact is not supported)");
  const source = path.join(artifactsDirectory, name);
  if (!existsSync(source)) throw new ActionFailure(`Artifact not found for name: ${name}`);
  const target = path.resolve(workspace, inputs.path || ".");
  cpSync(source, target, { recursive: true });
  log(`artifact ${name} into ${path.relative(workspace, target) || "."}`);
  return {};
};

/**
 * actions/github-script: the script runs in Node.js with the step's environment, in the workspace, with
 * `github` standing for a repository that has no issues and no comments yet: every REST call is recorded
 * (and answered `{ data: {} }`, or an empty list for a list call, as GitHub's REST API shapes each: `{ data: {
 * total_count: 0, <what>: [] } }` for a run's artifacts; paginate with `[]`) instead of being sent to GitHub.
 */
const wrapper = `
const fs = require("node:fs");
const { createRequire } = require("node:module");
const [scriptFile, callsFile, outputFile] = process.argv.slice(2);
const calls = [];
const rest = new Proxy({}, { get: (_, area) => new Proxy({}, { get: (_, method) => {
  const endpoint = async (params) => {
    calls.push({ call: area + "." + method, params });
    // List endpoints that answer an object with a count and the list (e.g. listWorkflowRunArtifacts: artifacts).
    const listed = { listWorkflowRunArtifacts: "artifacts", listArtifactsForRepo: "artifacts", listWorkflowRuns: "workflow_runs", listJobsForWorkflowRun: "jobs" }[method];
    return { data: listed ? { total_count: 0, [listed]: [] } : {} };
  };
  endpoint.endpointName = area + "." + method;
  return endpoint;
} }) });
const github = { rest, paginate: async (endpoint, params) => { calls.push({ call: endpoint.endpointName, params, paginate: true }); return []; } };
const context = JSON.parse(process.env.RUNNER_GITHUB_SCRIPT_CONTEXT);
const core = {
  setOutput: (name, value) => fs.appendFileSync(outputFile, name + "=" + value + "\\n"),
  setFailed: (message) => { console.error(message); process.exitCode = 1; },
  info: (message) => console.log(message),
};
const AsyncFunction = (async () => undefined).constructor;
const script = fs.readFileSync(scriptFile, "utf8");
new AsyncFunction("require", "github", "context", "core", script)(createRequire(process.cwd() + "/"), github, context, core)
  .catch((error) => { console.error(error && error.stack || String(error)); process.exitCode = 1; })
  .finally(() => fs.writeFileSync(callsFile, JSON.stringify(calls, null, 2)));
`;

export function githubScript(context: Readonly<Record<string, unknown>>): LocalAction {
  return async ({ inputs, workspace, runnerTemp, environment, log }) => {
    if (!inputs.script) throw new ActionFailure("needs script");
    const stamp = `${Date.now()}`;
    const files = ["wrapper.cjs", "script.js", "calls.json", "output.txt"].map((file) =>
      path.join(runnerTemp, `github-script-${stamp}-${file}`),
    );
    writeFileSync(files[0], wrapper);
    writeFileSync(files[1], inputs.script);
    writeFileSync(files[3], "");
    const result = await runCommand(process.execPath, [files[0], files[1], files[2], files[3]], {
      cwd: workspace,
      env: { ...environment, RUNNER_GITHUB_SCRIPT_CONTEXT: JSON.stringify(context) },
    });
    const calls = existsSync(files[2]) ? (JSON.parse(readFileSync(files[2], "utf8")) as unknown[]) : [];
    log(`github-script: ${calls.length} GitHub API calls recorded`);
    if (result.exitCode !== 0) {
      throw new ActionFailure(`the script failed: ${(result.stderr || result.stdout).trim().slice(-2000)}`);
    }
    const outputs = Object.fromEntries(
      readFileSync(files[3], "utf8")
        .split("\n")
        .filter((line: string) => line.includes("="))
        .map((line: string) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    ) as Record<string, string>;
    return { outputs, notes: { githubApiCalls: calls } };
  };
}

/** The local equivalent of each action the runner knows, by `owner/name` (the part of `uses:` before `@`). */
export function localActions(
  githubScriptContext: Readonly<Record<string, unknown>>,
): Record<string, LocalAction> {
  return {
    "actions/checkout": checkout,
    "actions/setup-node": setupNode,
    "hashicorp/setup-terraform": setupTerraform,
    "aws-actions/configure-aws-credentials": configureAwsCredentials,
    "actions/upload-artifact": uploadArtifact,
    "actions/download-artifact": downloadArtifact,
    "actions/github-script": githubScript(githubScriptContext),
  };
}

export const knownActions = Object.keys(localActions({}));
