import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runCommand, type RunResult } from "../process/run-command";
import { DEFAULT_MAX_ATTEMPTS } from "../aws/client-config";
import { parsePlanJson } from "./plan-json";
import { explainStateLock, parseStateLockError, type StateLock } from "./state-lock";
import { rerunWhileThrottled, type ThrottleRetryOptions } from "./throttling";

interface TerraformOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Every command's output is appended here. */
  readonly logFile?: string;
  /** @default "terraform" on the PATH */
  readonly binary?: string;
  /**
   * How a command that failed only on AWS's throttling is run again (lib/terraform/throttling.ts).
   * @default LM_THROTTLE_ATTEMPTS (8) runs, 2 s doubling, a line on stderr for each re-run
   */
  readonly throttleRetry?: ThrottleRetryOptions;
  /**
   * Whether plans take the state lock. Plans and drift checks run with the read-only plan role, which may write
   * nothing, the lock included (-lock=false); they may then read a state that an apply is writing at that moment
   * (docs/repository-settings.md, "The plan role writes nothing").
   * @default true
   */
  readonly planLock?: boolean;
}

/**
 * Commands that are safe to run again after a failure: they change no infrastructure (plan, show, init) or record
 * what they did in the state before they end (import). `apply` of a saved plan is not: after a partial apply its
 * plan is stale, so importAll plans again instead.
 */
const RERUNNABLE_COMMANDS = new Set(["plan", "show", "init", "import", "state", "output"]);

/** Terraform failed; the message carries the end of its output, where Terraform puts the error. */
export class TerraformError extends Error {
  override readonly name = "TerraformError";
  /** The lock that stopped the command, when it failed on "Error acquiring the state lock". */
  readonly stateLock?: StateLock;
  constructor(
    readonly command: string,
    readonly result: RunResult,
    workingDirectory?: string,
  ) {
    const lock = parseStateLockError(`${result.stderr}\n${result.stdout}`);
    super(
      lock
        ? `terraform ${command} failed (exit ${result.exitCode}): the state is locked.\n${explainStateLock(lock, workingDirectory, process.cwd())}`
        : `terraform ${command} failed (exit ${result.exitCode}):\n${outputTail(result)}`,
    );
    if (lock) this.stateLock = lock;
  }
}

/** The last lines of a failed command's output: Terraform prints its "Error:" blocks last. */
function outputTail(result: Pick<RunResult, "stdout" | "stderr">, lines = 30): string {
  const text = `${result.stderr.trim()}\n${result.stdout.trim()}`.trim();
  const all = text.split("\n");
  return (all.length > lines ? ["…", ...all.slice(-lines)] : all).join("\n");
}

/** The output of a Terraform command that failed, for deciding whether it failed only on throttling. */
function throttledOutput({ error }: { error?: unknown }): string | undefined {
  return error instanceof TerraformError && !error.stateLock
    ? `${error.result.stderr}\n${error.result.stdout}`
    : undefined;
}

/** Whether a failed command's output is Terraform asking for `terraform init` (see Terraform.runInitialized). */
export function initRequired(result: Pick<RunResult, "stdout" | "stderr">): boolean {
  return /terraform init\b/.test(`${result.stderr}\n${result.stdout}`);
}

/** Terraform in one stack's directory of cdktf.out, never prompting, never calling home. */
export class Terraform {
  constructor(
    readonly workingDirectory: string,
    private readonly options: TerraformOptions,
  ) {}

  /** Runs a command; a rerunnable one (RERUNNABLE_COMMANDS) that failed only on throttling runs again. */
  run(args: readonly string[], acceptExitCodes: readonly number[] = [0]): Promise<RunResult> {
    const command = args[0] ?? "";
    if (!RERUNNABLE_COMMANDS.has(command)) return this.runOnce(args, acceptExitCodes);
    return rerunWhileThrottled(
      `terraform ${command} in ${path.basename(this.workingDirectory)}`,
      () => this.runOnce(args, acceptExitCodes),
      throttledOutput,
      this.options.throttleRetry,
    );
  }

  private async runOnce(args: readonly string[], acceptExitCodes: readonly number[]): Promise<RunResult> {
    const result = await runCommand(this.options.binary ?? "terraform", [...args, "-no-color"], {
      cwd: this.workingDirectory,
      env: {
        // The S3 backend's role assumption makes the Go SDK's default 3 attempts unless AWS_MAX_ATTEMPTS says
        // otherwise (the provider's own calls keep its max_retries, 25): as many as the CLIs' SDK clients make.
        AWS_MAX_ATTEMPTS: String(DEFAULT_MAX_ATTEMPTS),
        ...this.options.env,
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
      },
      logFile: this.options.logFile,
    });
    if (!acceptExitCodes.includes(result.exitCode))
      throw new TerraformError(args[0] ?? "", result, this.workingDirectory);
    return result;
  }

  /**
   * -reconfigure: cdktf.out is reused across configs (LM_CONFIG), and a backend cached for another
   * config would stop init ("Backend configuration block has changed"); a plan never migrates state.
   */
  init(): Promise<RunResult> {
    return this.run(["init", "-input=false", "-reconfigure"]);
  }

  /**
   * Runs a command that needs the directory initialized, and runs `init` first only when Terraform refuses for
   * want of it: never initialized, a backend block changed since (another config, another role), a provider not
   * installed or not the one the lock file names. Terraform checks all three before it starts anything and says
   * `terraform init` in each refusal. Init is not free on a ready directory either: it hashes the provider package
   * (700 MB for AWS) against the lock file, about 1.3 s of CPU per stack on every plan, drift and adopt.
   */
  async runInitialized(
    args: readonly string[],
    acceptExitCodes: readonly number[] = [0],
  ): Promise<RunResult> {
    try {
      return await this.run(args, acceptExitCodes);
    } catch (error) {
      if (!(error instanceof TerraformError) || error.stateLock || !initRequired(error.result)) throw error;
      await this.init();
      return this.run(args, acceptExitCodes);
    }
  }

  /** A plan waits up to 2 minutes for the lock, or takes none (planLock: false). */
  private planLockArgs(): string[] {
    return this.options.planLock === false ? ["-lock=false"] : ["-lock-timeout=120s"];
  }

  /** Saves the plan to planFile (absolute, or relative to the stack directory). */
  plan(planFile: string, extraArgs: readonly string[] = []): Promise<RunResult> {
    return this.runInitialized([
      "plan",
      "-input=false",
      `-out=${path.resolve(this.workingDirectory, planFile)}`,
      ...this.planLockArgs(),
      ...extraArgs,
    ]);
  }

  /**
   * A plan saved to planFile that also says whether there is anything to look at: `clean` when it plans no
   * change (-detailed-exitcode 0) and refreshing found nothing changed outside Terraform (no "Objects have
   * changed outside of Terraform" note), so that `terraform show -json` of it can be skipped.
   */
  async planIsClean(planFile: string): Promise<boolean> {
    const result = await this.runInitialized(
      [
        "plan",
        "-input=false",
        `-out=${path.resolve(this.workingDirectory, planFile)}`,
        ...this.planLockArgs(),
        "-detailed-exitcode",
      ],
      [0, 2],
    );
    return result.exitCode === 0 && !/Objects have changed outside of Terraform/.test(result.stdout);
  }

  /**
   * Adopts live resources into the state in one plan and one apply, where `terraform import` starts the provider
   * once per resource: an import block per resource (in a file beside the stack's cdk.tf.json, for this run
   * only), the plan limited to those addresses (-target, which also plans what they depend on), applied only if
   * it imports each of them and changes nothing else but them. Otherwise (a dependency the interrupted apply had
   * not created yet, say) nothing of that plan is applied and each one is imported on its own, which never
   * touches anything else. Says which way it went and which adopted resources the apply also updated.
   */
  async importAll(
    imports: readonly { address: string; id: string }[],
    planFile: string,
  ): Promise<{ oneByOne?: string; updated: string[] }> {
    if (imports.length === 0) return { updated: [] };
    // An apply throttled part-way leaves its saved plan stale: plan and apply again. What it imported is in the
    // state, and an import block of a resource already in the state imports nothing.
    return rerunWhileThrottled(
      `adopt (import and apply) in ${path.basename(this.workingDirectory)}`,
      () => this.importAllOnce(imports, planFile),
      throttledOutput,
      this.options.throttleRetry,
    );
  }

  private async importAllOnce(
    imports: readonly { address: string; id: string }[],
    planFile: string,
  ): Promise<{ oneByOne?: string; updated: string[] }> {
    const importFile = path.join(this.workingDirectory, "adopt-imports.tf.json");
    writeFileSync(
      importFile,
      JSON.stringify({ import: imports.map(({ address, id }) => ({ to: address, id })) }),
    );
    try {
      await this.plan(
        planFile,
        imports.map(({ address }) => `-target=${address}`),
      );
      const plan = parsePlanJson(await this.showJson(planFile), "the adopt plan");
      const wanted = new Set(imports.map(({ address }) => address));
      const changes = plan.resource_changes ?? [];
      const only = (change: { actions: readonly string[] }, actions: readonly string[]) =>
        change.actions.length === 1 && actions.includes(change.actions[0]!);
      // -target also plans what the targets depend on: those must stay as they are.
      const unexpected = changes.filter(({ address, change }) =>
        wanted.has(address)
          ? !change.importing || !only(change, ["no-op", "update"])
          : !only(change, ["no-op"]),
      );
      const missing = [...wanted].filter((address) => !changes.some((change) => change.address === address));
      if (unexpected.length > 0 || missing.length > 0) {
        const described = [
          ...unexpected.map(({ address, change }) => `${address}: ${change.actions.join(", ")}`),
          ...missing.map((address) => `${address}: not imported`),
        ];
        rmSync(importFile, { force: true });
        for (const { address, id } of imports) {
          await this.run(["import", "-input=false", "-lock-timeout=120s", address, id]);
        }
        return {
          oneByOne: `the plan of import blocks did more than import: ${described.join("; ")}`,
          updated: [],
        };
      }
      await this.run([
        "apply",
        "-input=false",
        "-lock-timeout=120s",
        path.resolve(this.workingDirectory, planFile),
      ]);
      return {
        updated: changes
          .filter(({ address, change }) => wanted.has(address) && change.actions[0] === "update")
          .map(({ address }) => address),
      };
    } finally {
      rmSync(importFile, { force: true });
    }
  }

  /**
   * Applies a saved plan as it is: Terraform takes the state lock, refuses a plan whose state changed since
   * ("Saved plan is stale") and changes nothing then. Never run again on failure (RERUNNABLE_COMMANDS).
   */
  applySavedPlan(planFile: string): Promise<RunResult> {
    return this.runInitialized([
      "apply",
      "-input=false",
      "-lock-timeout=120s",
      path.resolve(this.workingDirectory, planFile),
    ]);
  }

  /** `terraform show -json` of a saved plan, or of the current state without one. */
  async showJson(planFile?: string): Promise<string> {
    const args = ["show", "-json", ...(planFile ? [path.resolve(this.workingDirectory, planFile)] : [])];
    return (await this.runInitialized(args)).stdout;
  }
}

/**
 * Synthesizes the project with the config in LM_CONFIG, every stack, into `outputDirectory` (relative to the
 * project root) with the given LM_ROLE — what `cdktf synth` does, without the CLI's 3 s of start-up: run
 * cdktf.json's `app` command with CDKTF_OUTDIR set, then remove the stack folders the new manifest no longer
 * names (so that a stack removed from the app leaves no directory behind), as cdktf-cli's SynthStack does
 * (@cdktf/cli-core/src/lib/synth-stack.js).
 */
export async function synthesize(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  logFile?: string,
  target: { readonly role?: string; readonly outputDirectory?: string } = {},
): Promise<void> {
  const { app } = JSON.parse(readFileSync(path.join(projectRoot, "cdktf.json"), "utf8")) as { app: string };
  const outdir = path.resolve(projectRoot, target.outputDirectory ?? "cdktf.out");
  const result = await runCommand("/bin/sh", ["-c", app], {
    cwd: projectRoot,
    env: {
      ...env,
      CDKTF_OUTDIR: outdir,
      CHECKPOINT_DISABLE: "1",
      ...(target.role ? { LM_ROLE: target.role } : {}),
    },
    logFile,
  });
  if (result.exitCode !== 0) {
    throw new Error(`synthesis (${app}) failed (exit ${result.exitCode}):\n${outputTail(result)}`);
  }
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, unknown>;
  };
  const stacksFolder = path.join(outdir, "stacks");
  for (const entry of readdirSync(stacksFolder, { withFileTypes: true })) {
    if (entry.isDirectory() && !(entry.name in manifest.stacks)) {
      rmSync(path.join(stacksFolder, entry.name), { recursive: true, force: true });
    }
  }
}
