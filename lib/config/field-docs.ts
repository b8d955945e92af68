/**
 * Each config field is documented once, as data attached to its zod schema by `field`: what it means, when it
 * is required although the schema lets it be absent, and its default. The README's configuration reference reads
 * that data (`fieldDoc`); the JSON Schema (editors show it on hover) carries it rendered as the description.
 */
import { z } from "zod";

interface FieldDoc {
  /** What the field is for, as a sentence without its final period; backticks for keys and values. */
  readonly meaning: string;
  /** The condition under which an otherwise optional field must be set, e.g. "`source: import`". */
  readonly requiredWith?: string;
  /**
   * The default in words, when it is not a literal default of the schema (those are shown as they are).
   * @default - the schema's literal default, or none
   */
  readonly default?: string;
}

// Each documented schema's doc, as written: the reference reads it here, the JSON Schema gets it rendered as
// the schema's description (editors show that on hover). Nothing parses a description back.
const fieldDocs = new WeakMap<z.ZodTypeAny, FieldDoc>();

/** The schema, documented; the default is read from the schema when it has a literal one. */
export function field<T extends z.ZodTypeAny>(schema: T, doc: FieldDoc): T {
  const literal =
    schema instanceof z.ZodDefault ? `\`${formatDefault(schema._def.defaultValue())}\`` : undefined;
  const defaultText = doc.default ?? literal;
  const complete: FieldDoc = { ...doc, ...(defaultText === undefined ? {} : { default: defaultText }) };
  const documented = schema.describe(describeField(complete));
  fieldDocs.set(documented, complete);
  return documented;
}

/** The doc `field` gave this schema (the very object it returned); undefined for any other schema. */
export function fieldDoc(schema: z.ZodTypeAny): FieldDoc | undefined {
  return fieldDocs.get(schema);
}

function formatDefault(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The doc as one sentence or three, the description the JSON Schema carries. */
function describeField(doc: FieldDoc): string {
  return (
    `${doc.meaning}.` +
    (doc.requiredWith ? ` Required with ${doc.requiredWith}.` : "") +
    (doc.default ? ` Default: ${doc.default}.` : "")
  );
}

/** The schema inside optional, default and refinement wrappers. */
export function unwrap(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
      current = current._def.innerType;
    else return current;
  }
}
