/**
 * Reads one environment's config file, checks all of it, and returns the typed model, or throws a
 * ConfigError listing every problem, one line each: file, path, what is expected and what it got.
 * No input, however malformed, gets past here as anything but a ConfigError.
 */
import { oneOf } from "../messages/alternatives";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";
import { unwrap } from "./field-docs";
import { environmentName as environmentNameFormat, invalidKey } from "./formats";
import { environmentName } from "../names/project-tags";
import type { EnvironmentConfig } from "./model";
import { configSchema } from "./schema";

const defaultConfigFile = "config/sandbox.yaml";

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
  const raw = readYaml(text, file);
  const parsed = configSchema.safeParse(raw, { errorMap: expectedErrorMap });
  const fileProblem = fileEnvironmentProblem(raw, file);
  if (!parsed.success || fileProblem) {
    const problems = parsed.success
      ? []
      : parsed.error.issues.flatMap((issue) => describeZodIssue(issue, raw));
    throw new ConfigError(
      file,
      [...new Set(problems), ...(fileProblem ? [fileProblem] : [])].map((problem) => `${file}: ${problem}`),
    );
  }
  return { ...parsed.data, sourceFile: path.normalize(file) };
}

/**
 * Without `environment`, the file's name is the environment's: it goes into the project's tags and into the
 * deploy role's tag conditions, so it must be a name the `environment` field would accept (no `*`, `?` or
 * `${…}`, which IAM would read as a wildcard or a policy variable).
 */
function fileEnvironmentProblem(raw: unknown, file: string): string | undefined {
  if (raw && typeof raw === "object" && "environment" in raw) return undefined;
  const name = environmentName(file);
  const result = environmentNameFormat.safeParse(name);
  if (result.success) return undefined;
  return `environment: the file's name gives the environment ${JSON.stringify(name)}, which is not ${result.error.issues[0]?.message.replace(/^expected /, "")}; set environment: <name> in the file, or rename the file`;
}

const topLevelExpected = "a mapping of config keys such as managementAccountId and homeRegion";

/**
 * The file as plain data: YAML 1.2's core schema, no custom or binary tags, text keys only, aliases expanded
 * within limits (an alias bomb is refused). Every problem is a ConfigError naming line and column.
 */
function readYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined) => {
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  let document: Document.Parsed;
  try {
    document = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      // A %YAML 1.1 directive would otherwise bring back 1.1's yes/no booleans, merge keys and known tags.
      schema: "core",
      merge: false,
      resolveKnownTags: false,
      uniqueKeys: true,
    });
  } catch (error) {
    throw new ConfigError(file, [`${file}: not valid YAML: ${(error as Error).message}`]);
  }
  // Too deep a nesting fails once per level: one message is enough.
  const errors = document.errors.filter(
    (error, index, all) =>
      error.code !== "RESOURCE_EXHAUSTION" || all.findIndex((other) => other.code === error.code) === index,
  );
  const syntaxProblems = errors.map(
    (error) => `${at(error.pos[0])}: not valid YAML: ${yamlMessage(error.code, error.message)}`,
  );
  if (syntaxProblems.length > 0) throw new ConfigError(file, [...new Set(syntaxProblems)]);
  const plainDataProblems = nonPlainData(document.contents, at);
  if (plainDataProblems.length > 0) throw new ConfigError(file, plainDataProblems);
  if (document.contents === null) {
    throw new ConfigError(file, [
      `${file}: ${formatPath([])}: the file is empty; expected ${topLevelExpected} (got nothing)`,
    ]);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // yaml refuses excessive alias expansion (an "alias bomb") and aliases to anchors defined later.
    throw new ConfigError(file, [`${file}: not valid YAML: ${(error as Error).message}`]);
  }
}

function yamlMessage(code: string, message: string): string {
  const firstLine = message.split("\n")[0]!;
  return code === "RESOURCE_EXHAUSTION" ? `nested too deeply (${firstLine})` : firstLine;
}

// The tags of YAML 1.2's core schema; anything else (!!binary, !!set, !custom) is refused, not guessed at.
const plainTags = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((name) => `tag:yaml.org,2002:${name}`),
);

/** Non-text keys and tags outside the core schema, walked without recursion (any depth). */
function nonPlainData(root: Node | null, at: (offset: number | undefined) => string): string[] {
  const problems: string[] = [];
  const pending: { node: unknown; path: (string | number)[] }[] = root ? [{ node: root, path: [] }] : [];
  const source = (node: Node): string => {
    const text = isScalar(node) ? String(node.source ?? node.value) : node.toString();
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  while (pending.length > 0) {
    const { node, path: nodePath } = pending.pop()!;
    if (isAlias(node) || !(isScalar(node) || isMap(node) || isSeq(node))) continue;
    if (node.tag !== undefined && !plainTags.has(node.tag)) {
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
      problems.push(
        `${at(node.range?.[0])}: ${formatPath(nodePath)}: unsupported YAML tag ${tag}; expected plain text, numbers, true/false, lists and mappings (got ${tag} ${source(node)})`,
      );
      continue;
    }
    if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push({ node: item, path: [...nodePath, index] }));
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key) || typeof key.value !== "string") {
          const shown = key === null ? "nothing" : source(key);
          problems.push(
            `${at(key?.range?.[0])}: ${formatPath(nodePath)}: invalid key; expected a text key, quoted if it looks like a number, true/false or null (got ${shown})`,
          );
          continue;
        }
        pending.push({ node: pair.value, path: [...nodePath, key.value] });
      }
    }
  }
  return problems.sort();
}

/** zod's own messages ("Expected object, received array") in this file's words, for fields without their own. */
const expectedErrorMap: z.ZodErrorMap = (issue, context) => {
  // A schema's own words (invalid_type_error, required_error) arrive as the default: keep them.
  if (/^(expected|required)\b/.test(context.defaultError)) return { message: context.defaultError };
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return {
        message:
          issue.received === "undefined"
            ? `required; expected ${typeName(issue.expected)}`
            : `expected ${typeName(issue.expected)}`,
      };
    case z.ZodIssueCode.too_small:
      return { message: `expected at least ${issue.minimum} ${unitOf(issue.type, issue.minimum)}`.trimEnd() };
    case z.ZodIssueCode.too_big:
      return { message: `expected at most ${issue.maximum} ${unitOf(issue.type, issue.maximum)}`.trimEnd() };
    case z.ZodIssueCode.invalid_enum_value:
      return { message: `expected ${oneOf(issue.options.map(String), { given: issue.received })}` };
    case z.ZodIssueCode.not_finite:
      return { message: "expected a finite number" };
    default:
      return { message: `expected a valid value (${context.defaultError})` };
  }
};

function typeName(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    boolean: "true or false",
    integer: "a whole number",
  };
  return names[type] ?? article(type);
}

function unitOf(type: string, count: unknown): string {
  const plural = count === 1 ? "" : "s";
  if (type === "string") return `character${plural}`;
  if (type === "array" || type === "set") return `item${plural}`;
  return "";
}

function describeZodIssue(issue: z.ZodIssue, raw: unknown): string[] {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    const allowed = allowedKeysAt(configSchema, issue.path);
    return issue.keys.map((key) =>
      describeIssue(
        [...issue.path, key],
        `unknown key; expected ${oneOf(allowed, { given: key, what: "keys" })}`,
        raw,
      ),
    );
  }
  return [describeIssue(issue.path, issue.message, raw)];
}

/** Appends what was there, unless the message already states what it got (e.g. when comparing two fields). */
function describeIssue(issuePath: readonly (string | number)[], message: string, raw: unknown): string {
  const got = message.startsWith(`${invalidKey};`)
    ? JSON.stringify(issuePath[issuePath.length - 1])
    : formatValue(valueAt(raw, issuePath));
  return `${formatPath(issuePath)}: ${message}${message.includes("(got ") ? "" : ` (got ${got})`}`;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** `organization.serviceAccessPrincipals[2]` */
function formatPath(pathParts: readonly (string | number)[]): string {
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
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "number" ? String(value) : JSON.stringify(value);
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
