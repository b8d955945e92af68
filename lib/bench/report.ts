/**
 * The benchmark's JSON report and its table. One section per kind of measurement: `synthesis`, `planAndDrift`
 * (plan and drift against the sandbox at scale) and `deploy` (deploy time per resource at scale).
 */
import type { DeployBench } from "./deploy";
import type { ScaleRun } from "./plan-and-drift";
import { rounded, type Spread } from "./stats";
import type { MemoryMethod } from "./measure";

export interface SynthesisCase {
  /** `shipped`, or `scale-<license configurations>` for a generated config. */
  readonly name: string;
  /** The shipped config's path, or a description of the generated one. */
  readonly config: string;
  readonly licenseConfigurations: number;
  readonly amiAssociations: number;
  readonly wallSeconds: Spread;
  readonly peakRssMiB: Spread;
  /** Median over the shipped config's median. */
  readonly ratioToShipped: { readonly wallSeconds: number; readonly peakRss: number };
  /**
   * Medians above the shipped config's, divided by the number of license configurations: flat from one
   * size to the next means synthesis grows linearly. Absent for the shipped config.
   */
  readonly perLicenseConfiguration?: { readonly wallMs: number; readonly peakRssMiB: number };
}

interface SynthesisBench {
  /** The command timed, run in the project directory (cdktf.json's app unless --app). */
  readonly command: string;
  readonly projectDirectory: string;
  readonly runsPerCase: number;
  readonly warmupRuns: number;
  readonly memoryMethod: MemoryMethod;
  readonly cases: readonly SynthesisCase[];
}

export interface BenchReport {
  readonly schemaVersion: 1;
  readonly createdAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly totalMemoryMiB: number;
    readonly platform: string;
    readonly node: string;
    /** 1-minute load average before and after: other work on the machine shows here. */
    readonly loadAverage: { readonly before: number; readonly after: number };
  };
  readonly git: { readonly commit: string | null; readonly dirty: boolean | null };
  /** Absent with --deploy, which times deploys alone. */
  readonly synthesis?: SynthesisBench;
  /** With --plan-and-drift: npm run plan and npm run drift against that many deployed configurations. */
  readonly planAndDrift?: readonly ScaleRun[];
  /** With --deploy: cdktf deploy of the license-manager stack at each size, seconds per resource. */
  readonly deploy?: DeployBench;
}

/** The shipped config's medians are the reference for ratios and per-configuration figures. */
export function synthesisCase(
  measured: Omit<SynthesisCase, "ratioToShipped" | "perLicenseConfiguration">,
  shipped: Pick<SynthesisCase, "wallSeconds" | "peakRssMiB" | "licenseConfigurations"> | undefined,
): SynthesisCase {
  const reference = shipped ?? measured;
  const ratioToShipped = {
    wallSeconds: rounded(measured.wallSeconds.median / reference.wallSeconds.median),
    peakRss: rounded(measured.peakRssMiB.median / reference.peakRssMiB.median),
  };
  if (!shipped) return { ...measured, ratioToShipped };
  const added = measured.licenseConfigurations - shipped.licenseConfigurations;
  const perLicenseConfiguration =
    added > 0
      ? {
          wallMs: rounded(((measured.wallSeconds.median - shipped.wallSeconds.median) * 1000) / added),
          peakRssMiB: rounded((measured.peakRssMiB.median - shipped.peakRssMiB.median) / added),
        }
      : undefined;
  return { ...measured, ratioToShipped, perLicenseConfiguration };
}

const columns = [
  { title: "config", width: 10 },
  { title: "license configs", width: 16, right: true },
  { title: "AMI assoc.", width: 11, right: true },
  { title: "time s: median (min–max)", width: 26 },
  { title: "peak MiB: median (min–max)", width: 27 },
  { title: "× shipped: time, RSS", width: 21 },
  { title: "per license config above shipped", width: 0 },
];

function row(cells: readonly string[]): string {
  return cells
    .map((cell, index) => {
      const { width, right } = columns[index];
      return right ? cell.padStart(width) : cell.padEnd(width);
    })
    .join("  ")
    .trimEnd();
}

function spreadText(spread: Spread, decimals: number): string {
  return `${spread.median.toFixed(decimals)} (${spread.min.toFixed(decimals)}–${spread.max.toFixed(decimals)})`;
}

/** The synthesis section as a plain-text table, for stderr. */
export function renderSynthesis(synthesis: SynthesisBench): string {
  const lines = [
    `Synthesis: ${synthesis.command} in ${synthesis.projectDirectory}`,
    `${synthesis.runsPerCase} run(s) per config after ${synthesis.warmupRuns} warm-up run(s); ` +
      `peak RSS of the largest process by ${synthesis.memoryMethod === "gnu-time" ? "GNU time (%M)" : "process.resourceUsage() at exit"}`,
    "",
    row(columns.map((column) => column.title)),
  ];
  for (const entry of synthesis.cases) {
    const perConfig = entry.perLicenseConfiguration;
    lines.push(
      row([
        entry.name,
        entry.licenseConfigurations.toLocaleString("en-US"),
        entry.amiAssociations.toLocaleString("en-US"),
        spreadText(entry.wallSeconds, 2),
        spreadText(entry.peakRssMiB, 0),
        `${entry.ratioToShipped.wallSeconds.toFixed(2)}, ${entry.ratioToShipped.peakRss.toFixed(2)}`,
        perConfig ? `${perConfig.wallMs.toFixed(2)} ms, ${perConfig.peakRssMiB.toFixed(3)} MiB` : "",
      ]),
    );
  }
  return lines.join("\n");
}
