/**
 * Plans and drift checks at scale (npm run sandbox:scale, npm run bench -- --plan-and-drift): what one run of
 * each cost against a sandbox with many deployed license configurations, and how that grows with them.
 */

export interface ToolRun {
  readonly seconds: number;
  readonly exitCode: number;
  readonly calls: number;
  /** "<service> <operation>" → calls, most first. */
  readonly callsByOperation: Readonly<Record<string, number>>;
}

export interface ScaleRun {
  readonly licenseConfigurations: number;
  readonly associations: number;
  /** Managed resources in the license-manager stack's state after the deploy. */
  readonly resources: number;
  readonly deployLicenseManagerSeconds: number;
  readonly plan: ToolRun;
  readonly drift: ToolRun;
}

/** Calls in the log between two instants, counted by service and operation. */
export function callsBetween(
  log: readonly { time: string; service: string; action: string }[],
  from: number,
  to: number,
): Pick<ToolRun, "calls" | "callsByOperation"> {
  const counts = new Map<string, number>();
  let calls = 0;
  for (const entry of log) {
    const time = Date.parse(entry.time);
    if (time < from || time > to) continue;
    calls++;
    const key = `${entry.service} ${entry.action}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { calls, callsByOperation: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])) };
}

export function renderScaleRuns(runs: readonly ScaleRun[]): string {
  const lines = [
    "configs  resources  deploy LM s  plan s  plan calls  drift s  drift calls  plan ms/res  drift ms/res  calls/res (plan, drift)",
  ];
  for (const run of runs) {
    const per = (value: number) => (value / run.resources).toFixed(2);
    lines.push(
      [
        String(run.licenseConfigurations).padStart(7),
        String(run.resources).padStart(9),
        run.deployLicenseManagerSeconds.toFixed(1).padStart(11),
        run.plan.seconds.toFixed(1).padStart(6),
        String(run.plan.calls).padStart(10),
        run.drift.seconds.toFixed(1).padStart(7),
        String(run.drift.calls).padStart(11),
        ((run.plan.seconds * 1000) / run.resources).toFixed(1).padStart(11),
        ((run.drift.seconds * 1000) / run.resources).toFixed(1).padStart(12),
        `  ${per(run.plan.calls)}, ${per(run.drift.calls)}`,
      ].join("  "),
    );
  }
  for (const run of runs) {
    const top = (tool: ToolRun) =>
      Object.entries(tool.callsByOperation)
        .slice(0, 5)
        .map(([operation, count]) => `${operation} ${count}`)
        .join(", ");
    lines.push(`${run.licenseConfigurations} configs: plan ${top(run.plan)}; drift ${top(run.drift)}`);
  }
  return lines.join("\n");
}
