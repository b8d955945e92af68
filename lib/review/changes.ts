import type { ChangeKind } from "./model";
import type { PlanAction, PlanChangeJson } from "../terraform/plan-json";

/** The review's kind of a change: Terraform lists a replace as delete+create in either order. */
export function changeKind(actions: readonly PlanAction[]): ChangeKind {
  const has = (action: PlanAction) => actions.includes(action);
  if (has("delete") && has("create")) return "replace";
  if (has("create")) return "create";
  if (has("delete")) return "destroy";
  if (has("update")) return "update";
  if (has("forget")) return "forget";
  return "no-op";
}

/** Top-level attributes that differ between before and after, or become known only after apply. */
export function changedAttributes(change: PlanChangeJson): string[] {
  const before = asRecord(change.before);
  const after = asRecord(change.after);
  const unknown = asRecord(change.after_unknown);
  const names = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...names]
    .filter((name) => isUnknown(unknown[name]) || !deepEqual(before[name] ?? null, after[name] ?? null))
    .sort();
}

/**
 * For a replacement, the attributes that force it (the plan's replace_paths, which Terraform fills from the
 * provider's RequiresReplace attributes: configured ones, never a computed id or arn), top-level names sorted.
 */
export function replacementCauses(change: PlanChangeJson): string[] {
  const names = (change.replace_paths ?? []).map((path) => String(path[0]));
  return [...new Set(names)].sort();
}

/**
 * A replacement's attributes a reviewer needs: those whose configured value changes (known on both sides) and
 * those that force it. Every computed attribute becomes unknown on a replacement (id, arn, owner_account_id):
 * listing them says nothing.
 */
export function replacementAttributes(change: PlanChangeJson): string[] {
  const before = asRecord(change.before);
  const after = asRecord(change.after);
  const unknown = asRecord(change.after_unknown);
  const known = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (name) => !isUnknown(unknown[name]) && !deepEqual(before[name] ?? null, after[name] ?? null),
  );
  return [...new Set([...known, ...replacementCauses(change)])].sort();
}

/** Changed attribute paths to two levels (e.g. tags.Owner), for drift where the detail matters. */
export function changedPaths(before: unknown, after: unknown, depth = 2, prefix = ""): string[] {
  const left = asRecord(before);
  const right = asRecord(after);
  const paths: string[] = [];
  for (const name of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const a = emptyAsNull(left[name]);
    const b = emptyAsNull(right[name]);
    if (deepEqual(a, b)) continue;
    const bothObjects = isPlainObject(a) && isPlainObject(b);
    if (depth > 1 && bothObjects) paths.push(...changedPaths(a, b, depth - 1, `${prefix}${name}.`));
    else paths.push(`${prefix}${name}`);
  }
  return paths;
}

/** Providers read an unset map or list back as empty (tags: null -> {}): no one changed anything. */
function emptyAsNull(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (isPlainObject(value) && Object.keys(value).length === 0) return null;
  return value;
}

function isUnknown(value: unknown): boolean {
  if (value === true) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (isPlainObject(value)) return Object.values(value).some(isUnknown);
  return false;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}
