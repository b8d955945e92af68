import * as path from "node:path";
import { runCommand, type RunResult } from "../lib/process/run-command";
import { rerunWhileThrottled, type ThrottleRetryOptions } from "../lib/terraform/throttling";

interface CdktfCliOptions {
  readonly projectRoot: string;
  readonly environment: NodeJS.ProcessEnv;
  /** Each command's output is appended to <logDirectory>/<command>-<stack>.log. */
  readonly logDirectory: string;
  /**
   * How a deploy that failed only on AWS's throttling is run again (lib/terraform/throttling.ts).
   * @default LM_THROTTLE_ATTEMPTS (8) runs, 2 s doubling, a line on stderr for each re-run
   */
  readonly throttleRetry?: ThrottleRetryOptions;
}

// Offline, cdktf's `terraform providers lock` step fails; the lock is not ours to keep here anyway.
const commonFlags = ["--skip-synth", "--skip-provider-lock", "--no-color"];

/** The real cdktf CLI, run the way a user runs it, on an already synthesized cdktf.out. */
export class CdktfCli {
  constructor(private readonly options: CdktfCliOptions) {}

  synth(): Promise<RunResult> {
    return this.run(["synth", "--no-color"], "synth.log");
  }

  /** One stack, or several in one run of the CLI (as deploy.yml deploys organization and license-manager). */
  /**
   * A deploy that failed only because AWS throttled it runs again: `cdktf deploy` is `terraform apply` without a
   * saved plan, and Terraform records each resource in the state as its create returns, so the next run plans from
   * what the last one did. A call AWS throttled created nothing; a resource created whose follow-up read was
   * throttled is in the state as tainted, and the re-run replaces it rather than creating a second one.
   */
  deploy(stacks: string | readonly string[]): Promise<RunResult> {
    const names = typeof stacks === "string" ? [stacks] : stacks;
    return rerunWhileThrottled(
      `cdktf deploy ${names.join(" ")}`,
      () => this.deployOnce(names),
      ({ value }) => (value && value.exitCode !== 0 ? value.stdout + value.stderr : undefined),
      this.options.throttleRetry,
    );
  }

  private deployOnce(names: readonly string[]): Promise<RunResult> {
    // The stacks named depend only on stacks already deployed, or on each other. With
    // --ignore-missing-stack-dependencies cdktf ignores the order between them too and runs them all at once
    // (@cdktf/cli-core's deploy takes the first pending stack): --parallelism 1 runs them in the order given.
    return this.run(
      [
        "deploy",
        ...names,
        "--auto-approve",
        "--ignore-missing-stack-dependencies",
        "--parallelism",
        "1",
        ...commonFlags,
      ],
      `deploy-${names.join("+")}.log`,
    );
  }

  destroy(stack: string): Promise<RunResult> {
    return this.run(
      ["destroy", stack, "--auto-approve", "--ignore-missing-stack-dependencies", ...commonFlags],
      `destroy-${stack}.log`,
    );
  }

  /** `cdktf diff` exits 0 either way: whether the plan has changes is read from its output. */
  async diff(stack: string): Promise<RunResult & { readonly hasChanges: boolean }> {
    const result = await this.run(["diff", stack, ...commonFlags], `diff-${stack}.log`);
    const output = result.stdout + result.stderr;
    return {
      ...result,
      hasChanges: !/No changes\. Your infrastructure matches the configuration\./.test(output),
    };
  }

  private run(args: string[], logName: string): Promise<RunResult> {
    return runCommand(path.join(this.options.projectRoot, "node_modules", ".bin", "cdktf"), args, {
      cwd: this.options.projectRoot,
      env: this.options.environment,
      logFile: path.join(this.options.logDirectory, logName),
    });
  }
}
