/**
 * Wall time and peak memory of one command. Peak memory is the largest resident set of any single process
 * the command starts (`npx tsx main.ts` is three Node processes: npx, the tsx CLI and the app itself):
 * measured by GNU time's %M where it works, else by a preloaded module that every Node process of the
 * command runs at exit (process.resourceUsage().maxRSS).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCommand } from "../process/run-command";

export type MemoryMethod = "gnu-time" | "node-preload";

interface Measurement {
  readonly exitCode: number;
  readonly wallSeconds: number;
  /** Peak resident set size of the largest process, in MiB (ru_maxrss is in KiB). */
  readonly peakRssMiB: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface MeasureOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** @default - no limit */
  readonly timeoutMs?: number;
}

const gnuTime = "/usr/bin/time";

// Appends this process's peak RSS (KiB) to the file named by the variable.
const preloadSource = `"use strict";
process.on("exit", () => {
  require("node:fs").appendFileSync(process.env.LM_BENCH_MAXRSS_FILE, process.resourceUsage().maxRSS + "\\n");
});
`;

/** A shell command measured in a scratch directory of its own; `dispose` removes that directory. */
export class CommandMeter {
  readonly method: MemoryMethod;
  private readonly scratch: string;

  private constructor(method: MemoryMethod, scratch: string) {
    this.method = method;
    this.scratch = scratch;
  }

  /**
   * GNU time when it runs and writes %M (BSD and macOS time take no -f), else the Node preload.
   * @param method - "node-preload" to skip GNU time; "gnu-time" fails where it does not work
   */
  static async create(method?: MemoryMethod): Promise<CommandMeter> {
    const scratch = mkdtempSync(path.join(tmpdir(), "lm-bench-meter-"));
    writeFileSync(path.join(scratch, "maxrss.cjs"), preloadSource);
    if (method === "node-preload") return new CommandMeter(method, scratch);
    const probeFile = path.join(scratch, "probe");
    if (existsSync(gnuTime)) {
      const probe = await runCommand(gnuTime, ["-f", "%M", "-o", probeFile, "true"]).catch(() => undefined);
      if (probe?.exitCode === 0 && /^\d+\s*$/.test(readFileOr(probeFile, ""))) {
        return new CommandMeter("gnu-time", scratch);
      }
    }
    if (method === "gnu-time") {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`${gnuTime} does not run as GNU time (-f %M -o FILE); leave out --memory gnu-time`);
    }
    return new CommandMeter("node-preload", scratch);
  }

  async measure(command: string, options: MeasureOptions): Promise<Measurement> {
    const rssFile = path.join(this.scratch, "rss");
    rmSync(rssFile, { force: true });
    const result =
      this.method === "gnu-time"
        ? await runCommand(gnuTime, ["-f", "%M", "-o", rssFile, "/bin/sh", "-c", command], options)
        : await runCommand("/bin/sh", ["-c", command], {
            ...options,
            env: {
              ...options.env,
              LM_BENCH_MAXRSS_FILE: rssFile,
              NODE_OPTIONS: `${options.env.NODE_OPTIONS ?? ""} --require "${path.join(this.scratch, "maxrss.cjs")}"`,
            },
          });
    const kilobytes = readFileOr(rssFile, "")
      .split("\n")
      .filter((line) => /^\d+$/.test(line.trim()))
      .map(Number);
    return {
      exitCode: result.exitCode,
      wallSeconds: result.durationMs / 1000,
      peakRssMiB: kilobytes.length > 0 ? Math.max(...kilobytes) / 1024 : Number.NaN,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

function readFileOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}
