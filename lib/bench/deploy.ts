/**
 * Deploys at scale (npm run bench -- --deploy): `cdktf deploy` of the license-manager stack into a fresh sandbox
 * per size, and whether its time per resource stays flat as the stack grows.
 */
import { rounded } from "./stats";

export interface DeployRun {
  readonly licenseConfigurations: number;
  readonly associations: number;
  /** Managed resources in the license-manager stack's state after the deploy. */
  readonly resources: number;
  /** Wall time of `cdktf deploy license-manager` (the real CLI: its start-up, terraform init and apply). */
  readonly seconds: number;
}

interface DeployCase extends DeployRun {
  readonly secondsPerResource: number;
  /** Seconds per resource over the smallest size's. */
  readonly ratioToSmallest: number;
}

export interface DeployBench {
  readonly cases: readonly DeployCase[];
  /** The largest size's seconds per resource over the smallest's: 1 = linear. */
  readonly ratio: number;
  /** Whether the ratio is within the tolerance (flat within 25 %). */
  readonly flat: boolean;
  readonly tolerance: number;
}

/** Per-resource time may grow this much from the smallest size to the largest and still count as flat. */
const deployTolerance = 0.25;

/** The runs, smallest first, with their time per resource and its ratio to the smallest size's. */
export function deployBench(runs: readonly DeployRun[]): DeployBench {
  if (runs.length === 0) throw new Error("deployBench needs at least one run");
  const sorted = [...runs].sort((a, b) => a.licenseConfigurations - b.licenseConfigurations);
  const perResource = (run: DeployRun) => {
    if (run.resources <= 0) {
      throw new Error(
        `the deploy of ${run.licenseConfigurations} configurations left no resource in the state`,
      );
    }
    return run.seconds / run.resources;
  };
  const smallest = perResource(sorted[0]);
  const cases = sorted.map((run) => ({
    ...run,
    seconds: rounded(run.seconds, 2),
    secondsPerResource: rounded(perResource(run), 4),
    ratioToSmallest: rounded(perResource(run) / smallest),
  }));
  const ratio = cases[cases.length - 1].ratioToSmallest;
  return { cases, ratio, flat: ratio <= 1 + deployTolerance, tolerance: deployTolerance };
}

/** The deploy section as a plain-text table, for stderr. */
export function renderDeployBench(bench: DeployBench): string {
  const lines = [
    "Deploy: cdktf deploy license-manager into a fresh sandbox per size (the real cdktf CLI, terraform and provider)",
    "",
    "configs  associations  resources  deploy s  s/resource  × smallest",
  ];
  for (const run of bench.cases) {
    lines.push(
      [
        String(run.licenseConfigurations).padStart(7),
        String(run.associations).padStart(12),
        String(run.resources).padStart(9),
        run.seconds.toFixed(1).padStart(8),
        run.secondsPerResource.toFixed(4).padStart(10),
        run.ratioToSmallest.toFixed(2).padStart(10),
      ].join("  "),
    );
  }
  const percent = Math.round(bench.tolerance * 100);
  lines.push(
    "",
    `Largest over smallest, seconds per resource: ${bench.ratio.toFixed(2)} — ` +
      (!bench.flat
        ? `grows faster than the stack (more than ${percent} %)`
        : bench.ratio < 1 - bench.tolerance
          ? `does not grow (falls: fixed start-up costs spread over more resources)`
          : `flat (within ${percent} %)`),
  );
  return lines.join("\n");
}
