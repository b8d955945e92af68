/**
 * No config value widens a policy: for every string field of the config schema (walked from its JSON Schema, so
 * a new field is covered without touching this test), a wildcard, a policy variable or an ARN of another
 * partition is either refused by validation, naming the field and the value, or never reaches the roles'
 * policies (identity and trust) as a wildcard, a variable or an ARN of another partition.
 */
import { parse, stringify } from "yaml";
import { readFileSync } from "node:fs";
import { configJsonSchema } from "../../lib/config/json-schema";
import { parseConfig } from "../../lib/config/load";
import type { EnvironmentConfig } from "../../lib/config/model";
import { roleDocuments } from "../../tools/access";
import { productionExampleFile, sandboxConfigFile } from "../helpers/config";

type Segment = string | number | { readonly record: true };
interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly additionalProperties?: JsonSchemaNode | boolean;
  readonly items?: JsonSchemaNode;
  readonly anyOf?: readonly JsonSchemaNode[];
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly allOf?: readonly JsonSchemaNode[];
}

/** Every path to a string in the schema: array items as [0], a mapping's values as one `record` segment. */
function stringPaths(node: JsonSchemaNode, path: Segment[] = [], found = new Map<string, Segment[]>()) {
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])])
    stringPaths(branch, path, found);
  const types = ([] as string[]).concat(node.type ?? []);
  if (types.includes("string") || node.enum) found.set(JSON.stringify(path), path);
  for (const [key, child] of Object.entries(node.properties ?? {})) stringPaths(child, [...path, key], found);
  if (typeof node.additionalProperties === "object")
    stringPaths(node.additionalProperties, [...path, { record: true }], found);
  if (node.items) stringPaths(node.items, [...path, 0], found);
  return found;
}

const file = "config/test.yaml";
const bases: Record<string, unknown>[] = [sandboxConfigFile, productionExampleFile].map(
  (configFile) => parse(readFileSync(configFile, "utf8")) as Record<string, unknown>,
);

/**
 * The concrete path in a document and its value: of a list, the first item where the rest of the path has a
 * value; of a mapping, its first key (or `hostile-key` in an empty one).
 */
function resolve(node: unknown, path: readonly Segment[]): { concrete: (string | number)[]; value: unknown } {
  const [segment, ...rest] = path;
  if (segment === undefined) return { concrete: [], value: node };
  const children = (node ?? {}) as Record<string | number, unknown>;
  const candidates =
    typeof segment === "object"
      ? Object.keys(children).length > 0
        ? Object.keys(children)
        : ["hostile-key"]
      : typeof segment === "number" && Array.isArray(node) && node.length > 0
        ? node.map((_item, index) => index)
        : [segment];
  const resolved = candidates.map((key) => {
    const inner = resolve(children[key], rest);
    return { concrete: [key, ...inner.concrete], value: inner.value };
  });
  return resolved.find((candidate) => candidate.value !== undefined) ?? resolved[0]!;
}

function setAt(document: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  let node = document as Record<string | number, unknown>;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= typeof path[index + 1] === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
}

/** `organization.serviceAccessPrincipals[2]`, as the loader names a path. */
const pathText = (path: readonly (string | number)[]) =>
  path
    .map((part, index) =>
      typeof part === "number"
        ? `[${part}]`
        : `${index === 0 ? "" : "."}${/^[A-Za-z_][\w-]*$/.test(part) ? part : JSON.stringify(part)}`,
    )
    .join("");

const otherPartitions = [
  ["aws-cn", "cn-north-1"],
  ["aws-us-gov", "us-gov-west-1"],
] as const;

/** Wildcards and a policy variable, alone and appended to the field's value; the value in other partitions. */
function hostileValues(value: unknown): string[] {
  const bare = ["*", "?", "${aws:username}"];
  if (typeof value !== "string") return [...bare, "arn:aws-cn:iam::111111111111:role/x"];
  const fields = value.split(":");
  const inPartitions = value.startsWith("arn:aws:")
    ? otherPartitions.map(([partition, region]) =>
        [fields[0], partition, fields[2], fields[3] ? region : "", ...fields.slice(4)].join(":"),
      )
    : ["arn:aws-cn:iam::111111111111:role/x"];
  return [...bare, ...bare.map((hostile) => `${value}${hostile}`), ...inPartitions];
}

/** Strings in the roles' policies that IAM reads as patterns: a wildcard or a policy variable. */
const widening = (text: string) => /[*?]|\$\{/.test(text);

function policyStrings(config: EnvironmentConfig): { patterns: Set<string>; partitions: Set<string> } {
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  const arns: string[] = [];
  for (const { policy, trust } of roleDocuments(config)) {
    for (const statement of [...policy.Statement, ...trust.Statement]) {
      const { Resource, Principal, Condition } = statement as {
        Resource?: unknown;
        Principal?: unknown;
        Condition?: Record<string, Record<string, unknown>>;
      };
      collect([Resource, Principal, Condition]);
      // ARNs: resources, principals and the values of ARN conditions (not a tag's value that looks like one).
      const arnValues = Object.entries(Condition ?? {}).flatMap(([operator, keys]) =>
        Object.entries(keys)
          .filter(([key]) => operator.startsWith("Arn") || /Arn$/i.test(key))
          .map(([, value]) => value),
      );
      arns.push(
        ...[Resource, Principal, arnValues].flatMap(
          (value) => JSON.stringify(value ?? null).match(/"arn:[^"]*"/g) ?? [],
        ),
      );
    }
  }
  return {
    patterns: new Set(strings.filter(widening)),
    partitions: new Set(arns.map((arn) => arn.slice(1).split(":")[1]!)),
  };
}

const paths = [...stringPaths(JSON.parse(configJsonSchema()) as JsonSchemaNode).values()];

describe("no config value widens a policy", () => {
  it("walks every string field of the schema", () => {
    // A sample, so that a broken walk cannot pass by finding nothing.
    const names = paths.map((path) => JSON.stringify(path));
    expect(paths.length).toBeGreaterThan(40);
    for (const expected of [
      ["backend", "keyPrefix"],
      ["licenseManager", "grants", 0, "licenseArn"],
      ["defaultTags", { record: true }],
      ["environment"],
    ])
      expect(names).toContain(JSON.stringify(expected));
  });

  it.each(bases.map((base, index) => [index === 0 ? sandboxConfigFile : productionExampleFile, base]))(
    "the base %s is valid and its policies hold one partition",
    (_name, base) => {
      const config = parseConfig(stringify(base), file);
      expect(policyStrings(config).partitions.size).toBe(1);
    },
  );

  it.each(
    paths.map((path) => [path.map((part) => (typeof part === "object" ? "<key>" : part)).join("."), path]),
  )("%s: refused with its path and value, or kept out of the policies", (_name, path) => {
    const failures: string[] = [];
    const setting = bases.filter((base) => resolve(base, path).value !== undefined);
    for (const base of setting.length > 0 ? setting : bases.slice(0, 1)) {
      const { concrete, value } = resolve(base, path);
      const baseline = policyStrings(parseConfig(stringify(base), file));
      for (const hostile of hostileValues(value)) {
        const document = structuredClone(base);
        setAt(document, concrete, hostile);
        let config: EnvironmentConfig;
        try {
          config = parseConfig(stringify(document), file);
        } catch (error) {
          const problems = (error as { problems?: readonly string[] }).problems ?? [String(error)];
          // The loader shortens a long value to its first 77 characters.
          const named = problems.some(
            (problem) =>
              problem.startsWith(`${file}: ${pathText(concrete)}: `) &&
              problem.includes(`(got ${JSON.stringify(hostile).slice(0, 40)}`),
          );
          if (!named)
            failures.push(`${JSON.stringify(hostile)}: refused without naming it: ${problems.join(" | ")}`);
          continue;
        }
        const after = policyStrings(config);
        const added = [...after.patterns].filter((pattern) => !baseline.patterns.has(pattern));
        if (added.length > 0)
          failures.push(`${JSON.stringify(hostile)}: accepted, and widens ${added.join(", ")}`);
        if (after.partitions.size > 1)
          failures.push(
            `${JSON.stringify(hostile)}: accepted, policies in ${[...after.partitions].join(", ")}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(["*", "?", "${aws:username}"])(
    "a file name holding %s, without environment:, is refused: it would be the environment in the tag conditions",
    (hostile) => {
      const document = structuredClone(bases[0]!);
      delete document.environment;
      const named = `config/prod${hostile}.yaml`;
      expect(() => parseConfig(stringify(document), named)).toThrow(
        expect.objectContaining({
          problems: [
            `${named}: environment: the file's name gives the environment ${JSON.stringify(`prod${hostile}`)}, which is not a name for the environment: 1–256 Unicode letters, digits, spaces and _ . : / = + - @; set environment: <name> in the file, or rename the file`,
          ],
        }),
      );
    },
  );
});
