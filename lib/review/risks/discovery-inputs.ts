import { synthesizedResource } from "../../cdktf/synthesized-stack";
import { discoveryInputKind } from "../../license-manager/discovery";
import { asRecord, changeKind } from "../changes";
import type { RiskContext } from "./rule";

export interface DiscoveryEntry {
  readonly name: string;
  readonly productInformationList: readonly Record<string, unknown>[];
}
export interface ReportEntry {
  readonly name: string;
  readonly types: readonly string[];
  readonly period: string;
}

export interface DiscoveryInputs {
  readonly destroyed: boolean;
  readonly before: { readonly discovery: DiscoveryEntry[]; readonly reports: ReportEntry[] };
  /** Empty when destroyed. */
  readonly after: { readonly discovery: DiscoveryEntry[]; readonly reports: ReportEntry[] };
}

const listOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/**
 * A discovery-and-reports resource's desired rules and reports before and after a change
 * (lib/license-manager/discovery-resource.ts), or undefined for any other change. An input with unknown parts
 * (ARNs of configurations still to be created) is read from the synthesized configuration instead: names,
 * rules and schedules are literals there.
 */
export function discoveryInputs({ change, synthesized }: RiskContext): DiscoveryInputs | undefined {
  if (change.type !== "terraform_data" || change.mode !== "managed") return undefined;
  const before = asRecord(asRecord(change.change.before).input);
  if (before.kind !== discoveryInputKind) return undefined;
  const kind = changeKind(change.change.actions);
  const afterInput = asRecord(asRecord(change.change.after).input);
  const configured = asRecord(synthesizedResource(synthesized, change.type, change.name)?.input);
  const after = afterInput.kind === discoveryInputKind ? afterInput : configured;
  const destroyed = kind === "destroy";
  return {
    destroyed,
    before: { discovery: listOf(before.discovery), reports: listOf(before.reports) },
    after: destroyed
      ? { discovery: [], reports: [] }
      : { discovery: listOf(after.discovery), reports: listOf(after.reports) },
  };
}
