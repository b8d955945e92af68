import * as path from "node:path";
import { runCommand, type RunResult } from "../lib/process/run-command";

interface CdktfCliOptions {
  readonly projectRoot: string;
  readonly environment: NodeJS.ProcessEnv;
  /** Each command's output is appended to <logDirectory>/<command>-<stack>.log. */
  readonly logDirectory: string;
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
  deploy(stacks: string | readonly string[]): Promise<RunResult> {
    const names = typeof stacks === "string" ? [stacks] : stacks;
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
