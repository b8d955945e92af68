import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { spawn } from "node:child_process";
import { deployBench, renderDeployBench, type DeployRun } from "../lib/bench/deploy";
import { CommandMeter } from "../lib/bench/measure";
import { renderScaleRuns, type ScaleRun } from "../lib/bench/plan-and-drift";
import { renderSynthesis, synthesisCase, type BenchReport, type SynthesisCase } from "../lib/bench/report";
import { scaleConfigYaml } from "../lib/bench/scale-config";
import { rounded, spreadOf } from "../lib/bench/stats";
import { runCommand } from "../lib/process/run-command";
import { parseToolOptions, printJson, printLine, runCli, UsageError } from "./cli";

const toolName = "bench";

const usage = `Usage: npm run bench -- [--runs N] [--sizes N,N,...] [--json] [--out DIR]
       npm run bench -- --deploy N,N,... [--json] [--out DIR] [--project DIR]

Times synthesis (cdktf.json's app, node --require tsx/cjs main.ts) with the shipped config and with generated scale
configs: the shipped config with its license configurations replaced by N vCPU configurations, each with
10 AMI associations in one region (written to a temporary directory, never committed). Every run
synthesizes into a temporary directory (CDKTF_OUTDIR), never cdktf.out. Runs go round-robin over the
configs, so load from other work on the machine spreads over all of them.
Prints per config the wall time and the peak RSS of the largest process (median, min and max), the ratio
to the shipped config, and the time and memory per license configuration above the shipped config (flat
from one size to the next = linear). Writes the figures as JSON to <out>/bench-<time>.json and
<out>/latest.json.

Options:
  --runs N          Measured runs per config (default 5)
  --warmup N        Unmeasured runs of the shipped config first, for tsx's compile cache (default 1)
  --sizes LIST      License configurations per scale config, comma-separated (default 100,1000,2000;
                    "" for the shipped config alone)
  --config FILE     The shipped config, the reference and the base of the scale configs
                    (default config/sandbox.yaml)
  --project DIR     The checkout to measure, e.g. a clean clone for before/after figures (default this one)
  --app CMD         The synthesis command, run with /bin/sh in --project (default: cdktf.json's app)
  --memory METHOD   How peak memory is measured: gnu-time (/usr/bin/time -f %M) or node-preload
                    (process.resourceUsage() of every Node process at exit); default gnu-time where it works
  --plan-and-drift LIST
                    Also deploy LIST license configurations (comma-separated, e.g. 50,200) into a fresh sandbox
                    each (npm run sandbox:scale, in --project) and time npm run plan and npm run drift there, with
                    their calls by operation and per resource; minutes per size, so off by default
  --deploy LIST     Instead of synthesis: deploy LIST license configurations × 10 AMI associations
                    (comma-separated, e.g. 50,200,500) into a fresh sandbox each (npm run sandbox:scale --
                    --deploy-only, in --project), time the real cdktf deploy of the license-manager stack,
                    and print seconds per resource and the largest size's over the smallest's (flat within
                    25 % = linear); minutes per size
  --out DIR         Where the JSON goes (default .bench/ in this checkout, git-ignored)
  --json            Also print the JSON on stdout
  -h, --help        Show this help

Benchmarks are not tests: nothing here fails on a slow run. Exit codes: 0 measured, 1 error (bad usage,
a synthesis or deploy that failed).`;

const options = {
  runs: { type: "string", default: "5" },
  warmup: { type: "string", default: "1" },
  sizes: { type: "string", default: "100,1000,2000" },
  "plan-and-drift": { type: "string" },
  deploy: { type: "string" },
  config: { type: "string", default: "config/sandbox.yaml" },
  project: { type: "string" },
  app: { type: "string" },
  out: { type: "string" },
  memory: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const repositoryRoot = path.resolve(__dirname, "..");

function wholeNumber(flag: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < minimum) {
    throw new UsageError(`--${flag} expects a whole number ≥ ${minimum} (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** A comma-separated list of sizes: whole numbers ≥ 1, sorted, each once. */
export function parseSizes(text: string, flag = "sizes"): number[] {
  const sizes = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => wholeNumber(flag, part, 1));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

interface ConfigCase {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly licenseConfigurations: number;
  readonly amiAssociations: number;
}

/** Counted from the YAML itself, so --project may point at a checkout with another schema version. */
function countLicenseConfigurations(yamlText: string): { configurations: number; associations: number } {
  const document = parse(yamlText) as {
    licenseManager?: { licenseConfigurations?: { associatedAmis?: Record<string, unknown[]> }[] };
  };
  const configurations = document?.licenseManager?.licenseConfigurations ?? [];
  const associations = configurations
    .flatMap((configuration) => Object.values(configuration.associatedAmis ?? {}))
    .reduce((total, amis) => total + amis.length, 0);
  return { configurations: configurations.length, associations };
}

async function gitState(directory: string): Promise<BenchReport["git"]> {
  const head = await runCommand("git", ["rev-parse", "HEAD"], { cwd: directory }).catch(() => undefined);
  const status = await runCommand("git", ["status", "--porcelain"], { cwd: directory }).catch(
    () => undefined,
  );
  return {
    commit: head?.exitCode === 0 ? head.stdout.trim() : null,
    dirty: status?.exitCode === 0 ? status.stdout.trim() !== "" : null,
  };
}

function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const runs = wholeNumber("runs", values.runs, 1);
  const warmupRuns = wholeNumber("warmup", values.warmup, 0);
  const sizes = parseSizes(values.sizes);
  const planAndDriftSizes =
    values["plan-and-drift"] === undefined
      ? undefined
      : parseSizes(values["plan-and-drift"], "plan-and-drift");
  const projectDirectory = path.resolve(values.project ?? repositoryRoot);
  const outDirectory = path.resolve(values.out ?? path.join(repositoryRoot, ".bench"));
  if (values.deploy !== undefined) {
    const deploySizes = parseSizes(values.deploy, "deploy");
    if (deploySizes.length === 0) throw new UsageError("--deploy expects at least one size, e.g. 50,200,500");
    return deployOnly(projectDirectory, outDirectory, deploySizes, values.json);
  }
  const shippedFile = path.resolve(projectDirectory, values.config);
  if (!existsSync(shippedFile)) throw new UsageError(`no config file ${shippedFile}`);
  const command =
    values.app ??
    (JSON.parse(readFileSync(path.join(projectDirectory, "cdktf.json"), "utf8")) as { app: string }).app;

  const memoryMethods = ["gnu-time", "node-preload"] as const;
  const memoryMethod = memoryMethods.find((method) => method === values.memory);
  if (values.memory !== undefined && !memoryMethod) {
    throw new UsageError(
      `--memory expects ${memoryMethods.join(" or ")} (got ${JSON.stringify(values.memory)})`,
    );
  }

  const workDirectory = mkdtempSync(path.join(os.tmpdir(), "lm-bench-"));
  const meter = await CommandMeter.create(memoryMethod).catch((error: unknown) => {
    rmSync(workDirectory, { recursive: true, force: true });
    throw error;
  });
  try {
    const shippedYaml = readFileSync(shippedFile, "utf8");
    const shippedCounts = countLicenseConfigurations(shippedYaml);
    const configCases: ConfigCase[] = [
      {
        name: "shipped",
        file: shippedFile,
        description: path.relative(projectDirectory, shippedFile),
        licenseConfigurations: shippedCounts.configurations,
        amiAssociations: shippedCounts.associations,
      },
    ];
    for (const size of sizes) {
      const file = path.join(workDirectory, `scale-${size}.yaml`);
      const yamlText = scaleConfigYaml(shippedYaml, { count: size });
      writeFileSync(file, yamlText);
      const counts = countLicenseConfigurations(yamlText);
      configCases.push({
        name: `scale-${size}`,
        file,
        description: `generated from ${path.relative(projectDirectory, shippedFile)}: ${size} vCPU license configurations × 10 AMI associations, one region`,
        licenseConfigurations: counts.configurations,
        amiAssociations: counts.associations,
      });
    }

    const synthesize = async (configCase: ConfigCase) => {
      const outdir = path.join(workDirectory, "cdktf.out");
      rmSync(outdir, { recursive: true, force: true });
      const measurement = await meter.measure(command, {
        cwd: projectDirectory,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", LM_CONFIG: configCase.file, CDKTF_OUTDIR: outdir },
        timeoutMs: 10 * 60 * 1000,
      });
      const synthesized = existsSync(path.join(outdir, "manifest.json"));
      rmSync(outdir, { recursive: true, force: true });
      if (measurement.exitCode !== 0 || !synthesized) {
        throw new Error(
          `synthesis of ${configCase.name} (${configCase.description}) failed with exit code ${measurement.exitCode}` +
            `${synthesized ? "" : ", no manifest.json"}:\n${tail(measurement.stderr || measurement.stdout)}`,
        );
      }
      return measurement;
    };

    const loadBefore = os.loadavg()[0];
    printLine(`Synthesis benchmark: ${command} in ${projectDirectory}, ${runs} run(s) per config`);
    for (let warmup = 1; warmup <= warmupRuns; warmup++) {
      const measurement = await synthesize(configCases[0]);
      printLine(`  warm-up ${warmup}/${warmupRuns}: shipped ${measurement.wallSeconds.toFixed(2)} s`);
    }
    const samples = new Map<string, { wall: number[]; rss: number[] }>(
      configCases.map((configCase) => [configCase.name, { wall: [], rss: [] }]),
    );
    for (let run = 1; run <= runs; run++) {
      for (const configCase of configCases) {
        const measurement = await synthesize(configCase);
        const entry = samples.get(configCase.name)!;
        entry.wall.push(rounded(measurement.wallSeconds));
        entry.rss.push(rounded(measurement.peakRssMiB, 1));
        printLine(
          `  run ${run}/${runs}: ${configCase.name} ${measurement.wallSeconds.toFixed(2)} s, ` +
            `${measurement.peakRssMiB.toFixed(0)} MiB`,
        );
      }
    }

    let shipped: SynthesisCase | undefined;
    const cases = configCases.map((configCase) => {
      const entry = samples.get(configCase.name)!;
      const measured = synthesisCase(
        {
          name: configCase.name,
          config: configCase.description,
          licenseConfigurations: configCase.licenseConfigurations,
          amiAssociations: configCase.amiAssociations,
          wallSeconds: spreadOf(entry.wall),
          peakRssMiB: spreadOf(entry.rss),
        },
        shipped,
      );
      shipped ??= measured;
      return measured;
    });

    const report: BenchReport & { synthesis: NonNullable<BenchReport["synthesis"]> } = {
      schemaVersion: 1,
      createdAt: new Date().toISOString(),
      machine: machineOf(loadBefore),
      git: await gitState(projectDirectory),
      synthesis: {
        command,
        projectDirectory,
        runsPerCase: runs,
        warmupRuns,
        memoryMethod: meter.method,
        cases,
      },
      ...(planAndDriftSizes && { planAndDrift: await planAndDrift(projectDirectory, planAndDriftSizes) }),
    };

    const reportFile = writeReport(outDirectory, report);

    printLine();
    printLine(renderSynthesis(report.synthesis));
    if (report.planAndDrift) {
      printLine();
      printLine(renderScaleRuns(report.planAndDrift));
    }
    printTrailer(report, reportFile);
    if (values.json) printJson(report);
    return 0;
  } finally {
    meter.dispose();
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

function machineOf(loadBefore: number): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverage: { before: rounded(loadBefore, 2), after: rounded(os.loadavg()[0], 2) },
  };
}

/** <out>/bench-<time>.json and <out>/latest.json; returns the first. */
function writeReport(outDirectory: string, report: BenchReport): string {
  mkdirSync(outDirectory, { recursive: true });
  const reportFile = path.join(outDirectory, `bench-${report.createdAt.replace(/[:.]/g, "-")}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  writeFileSync(reportFile, json);
  writeFileSync(path.join(outDirectory, "latest.json"), json);
  return reportFile;
}

function printTrailer(report: BenchReport, reportFile: string): void {
  printLine();
  printLine(
    `1-minute load average ${report.machine.loadAverage.before} before, ${report.machine.loadAverage.after} after ` +
      `(${report.machine.cpus} CPUs). Written to ${path.relative(process.cwd(), reportFile) || reportFile}`,
  );
}

/** --deploy: the deploy benchmark alone (synthesis is timed without it). */
async function deployOnly(
  projectDirectory: string,
  outDirectory: string,
  sizes: readonly number[],
  json: boolean,
): Promise<number> {
  const loadBefore = os.loadavg()[0];
  printLine(
    `Deploy benchmark: ${sizes.join(", ")} license configurations × 10 AMI associations, a fresh sandbox each ` +
      `(npm run sandbox:scale -- --deploy-only in ${projectDirectory})`,
  );
  const runs = await deploys(projectDirectory, sizes);
  const report: BenchReport = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    machine: machineOf(loadBefore),
    git: await gitState(projectDirectory),
    deploy: deployBench(runs),
  };
  const reportFile = writeReport(outDirectory, report);
  printLine();
  printLine(renderDeployBench(report.deploy!));
  printTrailer(report, reportFile);
  if (json) printJson(report);
  return 0;
}

/** npm run sandbox:scale -- --deploy-only in the measured checkout; its progress goes straight to our stderr. */
function deploys(projectDirectory: string, sizes: readonly number[]): Promise<DeployRun[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(projectDirectory, "node_modules/.bin/tsx"),
      ["sandbox/scale-run.ts", "--sizes", sizes.join(","), "--deploy-only", "--json"],
      {
        cwd: projectDirectory,
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const stdout: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`npm run sandbox:scale -- --deploy-only exited ${code} (its output is above)`));
        return;
      }
      resolve((JSON.parse(Buffer.concat(stdout).toString("utf8")) as { runs: DeployRun[] }).runs);
    });
  });
}

/** npm run sandbox:scale in the measured checkout: a sandbox per size, plan and drift timed there. */
async function planAndDrift(projectDirectory: string, sizes: readonly number[]): Promise<ScaleRun[]> {
  printLine(
    `Plans and drift at ${sizes.join(", ")} deployed license configurations (npm run sandbox:scale)…`,
  );
  const result = await runCommand(
    path.join(projectDirectory, "node_modules/.bin/tsx"),
    ["sandbox/scale-run.ts", "--sizes", sizes.join(","), "--json"],
    { cwd: projectDirectory, env: { ...process.env, CHECKPOINT_DISABLE: "1" } },
  );
  if (result.exitCode !== 0) throw new Error(`npm run sandbox:scale failed:\n${result.stderr.trim()}`);
  return (JSON.parse(result.stdout) as { runs: ScaleRun[] }).runs;
}

if (require.main === module) runCli(toolName, main);
