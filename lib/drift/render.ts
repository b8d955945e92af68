import { describeDifference } from "../reconcile/contract";
import type { DriftReport, StackDrift } from "./model";

const where = (resource: { address: string; constructPath?: string }) =>
  resource.constructPath ? `${resource.address} (${resource.constructPath})` : resource.address;

function stackLines(stack: StackDrift): string[] {
  if (stack.status === "failed")
    return [`${stack.stack}: could not be checked`, ...indent(stack.error ?? "")];
  const changed = stack.drift.length + stack.reconciled.length;
  const unmanaged = stack.unmanaged?.length ?? 0;
  const lines = [
    stack.status !== "drift"
      ? `${stack.stack}: no drift`
      : [
          changed > 0 && `${stack.stack}: DRIFT in ${changed} resource(s), changed outside Terraform`,
          unmanaged > 0 &&
            `${stack.stack}: ${unmanaged} UNMANAGED resource(s), tagged for this stack but in no state`,
        ]
          .filter(Boolean)
          .join("\n"),
  ];
  for (const resource of stack.drift) {
    if (resource.actions.includes("delete")) {
      lines.push(`  drift ${where(resource)}: deleted outside Terraform`);
      continue;
    }
    lines.push(`  drift ${where(resource)}: changed (recorded → live):`);
    for (const change of resource.changes) {
      lines.push(
        "sensitive" in change
          ? `    ${change.attribute}: (sensitive value changed)`
          : `    ${change.attribute}: ${shownValue(change.recorded)} → ${shownValue(change.live)}`,
      );
    }
  }
  for (const reconciled of stack.reconciled) {
    lines.push(
      `  drift ${where(reconciled)}: ${reconciled.title} in ${reconciled.region} differ from the deployed ones`,
    );
    for (const difference of reconciled.differences) lines.push(`    ${describeDifference(difference)}`);
  }
  if (stack.reconciled.length > 0)
    lines.push(
      `  put them back: npm run reconcile -- restore (with the deploy role), or the next cdktf deploy for trusted access`,
    );
  for (const resource of stack.unmanaged ?? []) {
    lines.push(
      `  unmanaged ${resource.type} ${JSON.stringify(resource.name)} in ${resource.region} (${resource.id}): carries this stack's tags, but no state holds it`,
    );
    const adoptedByDeploy = stack.pendingChanges.some(
      (change) => change.address === resource.address && change.adopts === resource.id,
    );
    if (adoptedByDeploy) {
      lines.push(
        `    the next deploy adopts it as ${resource.address} (the plan imports it; cdktf deploy is enough)`,
      );
    } else if (resource.adoptCommand) {
      lines.push(
        `    adopt it as ${resource.address}: ${resource.adoptCommand}`,
        `      (or: npm run adopt)`,
      );
    }
    lines.push(
      `    ${resource.adoptCommand ? "or remove it" : "remove it (no configured resource of that name is free)"}: ${resource.removeCommand}`,
    );
  }
  if (stack.pendingChanges.length > 0) {
    lines.push(`  pending configuration changes (not drift; the next apply makes them):`);
    for (const change of stack.pendingChanges) {
      const action = !change.adopts
        ? change.kind
        : change.kind === "no-op"
          ? `adopts ${change.adopts} into`
          : `adopts ${change.adopts}, then ${change.kind}`;
      lines.push(
        `    ${action} ${where(change)}${change.revertsDrift ? " (puts back the drifted values)" : ""}`,
      );
    }
  }
  if (stack.error)
    lines.push("  the full plan failed, so pending changes are unknown:", ...indent(stack.error, 4));
  return lines;
}

/** A value as the report shows it: JSON, cut at 400 characters (a list of principals fits). */
function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

function indent(text: string, spaces = 2): string[] {
  return text
    .trim()
    .split("\n")
    .map((line) => `${" ".repeat(spaces)}${line}`);
}

/** The human summary on stderr: each drifted resource with address, construct path and changed attributes. */
export function renderDrift(report: DriftReport): string {
  const lines = report.stacks.flatMap(stackLines);
  lines.push(
    report.hasFailures
      ? "Some stacks could not be checked."
      : report.hasDrift
        ? report.hasUnmanaged
          ? "Drift found: unmanaged resources (adopt or remove them) or resources changed outside Terraform."
          : "Drift found: resources changed outside Terraform."
        : "No drift: every stack matches its state.",
  );
  return lines.join("\n");
}
