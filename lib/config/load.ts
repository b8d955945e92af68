/**
 * Reads one environment's config file, checks all of it, and returns the typed model, or throws a
 * ConfigError listing every problem: file, path, the bad value and what is expected.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import type { EnvironmentConfig } from "./model";
import { configSchema, type ParsedConfig } from "./schema";
import type { ConfigIssue } from "./validator";

export const defaultConfigFile = "config/sandbox.yaml";

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration in ${file} (${problems.length} ${problems.length === 1 ? "error" : "errors"}):\n` +
        problems.map((problem) => `  * ${problem}`).join("\n") +
        "\nNothing was synthesized. Fix the file and run the command again.",
    );
    this.name = "ConfigError";
  }
}

/** The config file chosen by LM_CONFIG, else the sandbox's. */
export function configFileFromEnvironment(environment: NodeJS.ProcessEnv = process.env): string {
  return environment.LM_CONFIG || defaultConfigFile;
}

export function loadConfig(file: string): EnvironmentConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`${file}: cannot be read: ${(error as Error).message}`]);
  }
  return parseConfig(text, file);
}

export function parseConfig(text: string, file: string): EnvironmentConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${file}:${line}:${col}: not valid YAML: ${error.message.split("\n")[0]}`;
      }),
    );
  }
  const raw: unknown = document.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      file,
      parsed.error.issues.flatMap((issue) => describeZodIssue(issue, raw)).map((line) => `${file}: ${line}`),
    );
  }
  return toModel(parsed.data, path.normalize(file));
}

function toModel(parsed: ParsedConfig, sourceFile: string): EnvironmentConfig {
  const licenseManagerRegions = parsed.licenseManager.regions ?? [parsed.homeRegion];
  return {
    ...parsed,
    sourceFile,
    backend: { ...parsed.backend, region: parsed.backend.region ?? parsed.homeRegion },
    licenseManager: {
      ...parsed.licenseManager,
      regions: licenseManagerRegions,
      licenseConfigurations: parsed.licenseManager.licenseConfigurations.map((licenseConfig) => ({
        ...licenseConfig,
        regions: licenseConfig.regions ?? licenseManagerRegions,
      })),
    },
  };
}

function describeZodIssue(issue: z.ZodIssue, raw: unknown): string[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const allowed = allowedKeysAt(configSchema, issue.path);
    return issue.keys.map((key) =>
      describeIssue(
        {
          path: [...issue.path, key],
          message: `unknown key; expected one of ${allowed.join(", ")}`,
        },
        raw,
      ),
    );
  }
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received === "undefined") {
    const message =
      issue.message === "Required" ? `required (expected ${article(issue.expected)})` : issue.message;
    return [`${formatPath(issue.path)}: ${message}`];
  }
  return [describeIssue({ path: issue.path, message: issue.message }, raw)];
}

/** Appends the bad value, unless the message already states what it got (e.g. when comparing two fields). */
function describeIssue(issue: ConfigIssue, raw: unknown): string {
  const got = issue.message.includes("(got ") ? "" : ` (got ${formatValue(valueAt(raw, issue.path))})`;
  return `${formatPath(issue.path)}: ${issue.message}${got}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** `organization.serviceAccessPrincipals[2]` */
export function formatPath(pathParts: readonly (string | number)[]): string {
  if (pathParts.length === 0) return "(top level)";
  return pathParts
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      const plain = /^[A-Za-z_][\w-]*$/.test(part) ? part : JSON.stringify(part);
      return index === 0 ? plain : `.${plain}`;
    })
    .join("");
}

function valueAt(root: unknown, pathParts: readonly (string | number)[]): unknown {
  let value = root;
  for (const part of pathParts) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The keys the schema allows at a path, for "unknown key" messages. */
function allowedKeysAt(schema: z.ZodTypeAny, pathParts: readonly (string | number)[]): string[] {
  let current: z.ZodTypeAny | undefined = schema;
  for (const part of [...pathParts, undefined]) {
    current = unwrap(current);
    if (part === undefined) break;
    if (current instanceof z.ZodObject) current = current.shape[part];
    else if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodRecord) current = current.valueSchema;
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodEffects) current = current.innerType();
    else if (current instanceof z.ZodOptional || current instanceof z.ZodDefault)
      current = current._def.innerType;
    else return current;
  }
}
