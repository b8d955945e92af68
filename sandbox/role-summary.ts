/**
 * Which identity made which calls in a sandbox run, read from the emulator's call log: the administrator for
 * the bootstrap and access stacks, the deploy role for the rest, with the IAM decisions the sandbox took.
 */
import { readFileSync } from "node:fs";
import type { CallLogEntry } from "./emulator/call-log";

interface IdentitySummary {
  /** The role ARN of a session, or the caller's ARN (the administrator user). */
  readonly identity: string;
  readonly calls: number;
  readonly denied: number;
  /** Distinct IAM actions used and allowed (or unrestricted, for the administrator's own keys). */
  readonly actions: readonly string[];
}

export function readCallLog(file: string): CallLogEntry[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CallLogEntry);
}

const permitted = (decision: string | undefined) => decision === "allowed" || decision === "unrestricted";

export function summarizeIdentities(log: readonly CallLogEntry[]): IdentitySummary[] {
  const byIdentity = new Map<string, CallLogEntry[]>();
  for (const entry of log) {
    const identity = entry.roleArn ?? entry.principal ?? "(anonymous)";
    byIdentity.set(identity, [...(byIdentity.get(identity) ?? []), entry]);
  }
  return [...byIdentity.entries()]
    .map(([identity, entries]) => ({
      identity,
      calls: entries.length,
      denied: entries.filter(
        (entry) =>
          entry.decision === "denied" || entry.additionalChecks?.some((check) => check.decision === "denied"),
      ).length,
      actions: [
        ...new Set(
          entries.flatMap((entry) => [
            ...(permitted(entry.decision) && entry.iamAction ? [entry.iamAction] : []),
            ...(entry.additionalChecks ?? [])
              .filter((check) => permitted(check.decision))
              .map((check) => check.iamAction),
          ]),
        ),
      ].sort(),
    }))
    .sort((a, b) => b.calls - a.calls);
}

export function formatIdentities(
  summaries: readonly IdentitySummary[],
  stacksByIdentity: ReadonlyMap<string, readonly string[]>,
): string {
  const lines = ["Calls by identity (IAM enforced; from the call log):"];
  for (const summary of summaries) {
    const stacks = stacksByIdentity.get(summary.identity);
    lines.push(
      `  ${summary.identity}${stacks ? ` (${stacks.join(", ")})` : ""}: ${summary.calls} calls, ` +
        `${summary.actions.length} distinct actions, ${summary.denied} denied`,
    );
  }
  return lines.join("\n");
}
