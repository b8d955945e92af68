/**
 * The input a reconciled resource records (`{ kind, region, desired }`) and hands the reconcile CLI: parsed
 * strictly from the command line, leniently from states and plans, where any other terraform_data input is
 * simply not ours.
 */
import { z } from "zod";
import { examples } from "../aws/arn";
import { regionSchema } from "../aws/partitions";
import { listOf, oneOf } from "../messages/alternatives";
import { kindNamed, reconcileKinds } from "./registry";
import type { AnyKind } from "./contract";

interface ReconcileInput<Desired = unknown> {
  readonly kind: string;
  readonly region: string;
  readonly desired: Desired;
}

/** A recorded input with its kind resolved and its desired state parsed by the kind's schema. */
export interface ResolvedInput extends ReconcileInput {
  readonly definition: AnyKind;
}

/** Bad input on the command line; the message names the source, the path, the value and what is expected. */
class ReconcileInputError extends Error {
  override readonly name = "ReconcileInputError";
}

const envelope = z
  .object({
    kind: z.string(),
    region: regionSchema(`must be a Region code such as ${examples.region}`),
    desired: z.unknown(),
  })
  .strict();

const valueAt = (input: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined,
    input,
  );

/** The fields of an object schema, inside refinements; none for anything else. */
function fieldsOf(schema: z.ZodTypeAny | undefined): string[] {
  let current = schema;
  while (current instanceof z.ZodEffects) current = current.innerType();
  return current instanceof z.ZodObject ? Object.keys(current.shape as object) : [];
}

function describeIssue(issue: z.ZodIssue, input: unknown, schema?: z.ZodTypeAny): string {
  const where = issue.path.join(".") || "(top level)";
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const parent = valueAt(input, issue.path) as Record<string, unknown>;
    const known = fieldsOf(schema);
    const expected = known.length > 0 ? `; known fields are ${listOf(known, "fields")}` : "";
    return issue.keys
      .map(
        (key) =>
          `${[...issue.path, key].join(".")}: unknown field (got ${JSON.stringify(parent[key])})${expected}`,
      )
      .join("; ");
  }
  const value = valueAt(input, issue.path);
  return value === undefined
    ? `${where} ${issue.message}`
    : `${where} ${issue.message} (got ${JSON.stringify(value)})`;
}

/** Parses `--input` JSON; every problem at once, each with its path and the value found. */
export function parseReconcileInput(json: string, source: string): ResolvedInput {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    throw new ReconcileInputError(
      `${source} is not valid JSON (${(error as Error).message}); expected {"kind": …, "region": …, "desired": {…}}`,
    );
  }
  const parsed = envelope.safeParse(input);
  if (!parsed.success) {
    throw new ReconcileInputError(
      `${source}: ${parsed.error.issues.map((issue) => describeIssue(issue, input, envelope)).join("; ")}`,
    );
  }
  const definition = kindNamed(parsed.data.kind);
  if (!definition) {
    throw new ReconcileInputError(
      `${source}: kind ${JSON.stringify(parsed.data.kind)} is not a known kind; expected ${oneOf(
        reconcileKinds.map((kind) => kind.kind),
        { given: parsed.data.kind, what: "kinds" },
      )}`,
    );
  }
  const recordedRegion = (parsed.data.desired as { region?: unknown } | null)?.region;
  if (recordedRegion !== undefined && recordedRegion !== parsed.data.region) {
    throw new ReconcileInputError(
      `${source}: desired.region is ${JSON.stringify(recordedRegion)} but region is ${JSON.stringify(parsed.data.region)}; expected the same region, or none in desired`,
    );
  }
  const desired = definition.schema.safeParse(parsed.data.desired);
  if (!desired.success) {
    const issues = desired.error.issues.map((issue) =>
      describeIssue(
        { ...issue, path: ["desired", ...issue.path] },
        input,
        issue.path.length === 0 ? definition.schema : undefined,
      ),
    );
    throw new ReconcileInputError(`${source}: ${issues.join("; ")}`);
  }
  return { kind: definition.kind, region: parsed.data.region, desired: desired.data, definition };
}

/**
 * The envelope of a terraform_data input, its desired state not yet parsed (it may hold unresolved references
 * in a synthesized configuration), or undefined when it is no reconciled input. Inputs of another shape are
 * offered to each kind's legacyInput reader.
 */
export function inputEnvelope(value: unknown): ReconcileInput | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.kind === "string" && "desired" in record && typeof record.region === "string")
    return { kind: record.kind, region: record.region, desired: record.desired };
  for (const definition of reconcileKinds) {
    const legacy = definition.legacyInput?.(record);
    if (legacy) return { kind: definition.kind, ...legacy };
  }
  return undefined;
}

/** A recorded input of a known kind that its kind's schema refuses (a later version tightened it, say). */
class UnreadableInputError extends Error {
  override readonly name = "UnreadableInputError";
}

/**
 * The reconcile input of a terraform_data input, parsed by its kind's schema; undefined for anything that is no
 * reconciled input. An input of a known kind that does not parse is an error, never silently skipped: drift
 * would call it clean and restore would leave it.
 */
export function recordedInput(
  value: unknown,
  address = "a terraform_data resource",
): ResolvedInput | undefined {
  const envelope = inputEnvelope(value);
  const definition = envelope && kindNamed(envelope.kind);
  if (!envelope || !definition) return undefined;
  const parsed = definition.schema.safeParse(envelope.desired);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) =>
      describeIssue({ ...issue, path: ["desired", ...issue.path] }, { desired: envelope.desired }),
    );
    throw new UnreadableInputError(
      `${address} records a ${envelope.kind} input this version cannot read: ${issues.join("; ")}`,
    );
  }
  return { ...envelope, desired: parsed.data, definition };
}
