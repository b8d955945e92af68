/**
 * Each config field is documented once, in its zod schema's description: what it means, when it is required
 * although the schema lets it be absent, and its default. The JSON Schema (editors show it on hover) and the
 * README's configuration reference are both generated from these descriptions.
 */
import { z } from "zod";

export interface FieldDoc {
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

/** The schema with its description; the default is read from the schema when it has a literal one. */
export function field<T extends z.ZodTypeAny>(schema: T, doc: FieldDoc): T {
  const literal =
    schema instanceof z.ZodDefault ? `\`${formatDefault(schema._def.defaultValue())}\`` : undefined;
  return schema.describe(describeField({ ...doc, default: doc.default ?? literal }));
}

function formatDefault(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function describeField(doc: FieldDoc): string {
  return (
    `${doc.meaning}.` +
    (doc.requiredWith ? ` Required with ${doc.requiredWith}.` : "") +
    (doc.default ? ` Default: ${doc.default}.` : "")
  );
}

/** The parts of a description written by `describeField`. */
export function parseFieldDoc(description: string): FieldDoc {
  const match = /^(.*?)\.(?: Required with (.+?)\.)?(?: Default: (.+)\.)?$/s.exec(description);
  if (!match) throw new Error(`not a field description: ${JSON.stringify(description)}`);
  const [, meaning, requiredWith, defaultText] = match;
  return {
    meaning: meaning!,
    ...(requiredWith ? { requiredWith } : {}),
    ...(defaultText ? { default: defaultText } : {}),
  };
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
