/**
 * Compares two synthesized apps (cdktf.out): CDK Terrain (cdktn) against CDK for Terraform (cdktf). cdktn's
 * migration guide says the synthesized output stays compatible: internal symbols stay `cdktf/*`, logical ids
 * `__cdktf_*`, the output directory cdktf.out. What differs by design is the library version each one stamps
 * into what it writes: `//.metadata.version` in every cdk.tf.json and `version` in manifest.json.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

const versionStamps = {
  manifest: ["version"],
  stack: ["//", "metadata", "version"],
} as const;

/** Every path at which two JSON values differ, e.g. `resource.aws_s3_bucket.state.bucket`. */
export function jsonDifferences(expected: unknown, actual: unknown, at: string[] = []): string[] {
  const here = at.join(".") || "(root)";
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${here}: ${expected.length} items, not ${actual.length}`];
    return expected.flatMap((item, index) => jsonDifferences(item, actual[index], [...at, `[${index}]`]));
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((key) => {
      if (!(key in actual)) return [`${[...at, key].join(".")}: missing`];
      if (!(key in expected)) return [`${[...at, key].join(".")}: not expected`];
      return jsonDifferences(expected[key], actual[key], [...at, key]);
    });
  }
  return Object.is(expected, actual)
    ? []
    : [`${here}: ${JSON.stringify(expected)} became ${JSON.stringify(actual)}`];
}

/** The value without one nested key (a copy), for differences that are by design. */
function without(value: unknown, keyPath: readonly string[]): unknown {
  if (keyPath.length === 0 || !isObject(value)) return value;
  const [key, ...rest] = keyPath as [string, ...string[]];
  if (!(key in value)) return value;
  const copy = { ...value };
  if (rest.length === 0) delete copy[key];
  else copy[key] = without(copy[key], rest);
  return copy;
}

interface SynthesisComparison {
  readonly stacks: readonly string[];
  /** `<stack or manifest.json>: <path>: <what differs>`, apart from the version stamps. */
  readonly differences: readonly string[];
  /** The version stamps, e.g. `0.21.0 → 0.24.0`. */
  readonly versions: string;
}

/** Compares two cdktf.out directories stack by stack. */
export function compareSynthesis(expectedDirectory: string, actualDirectory: string): SynthesisComparison {
  const read = (directory: string, file: string): Record<string, unknown> =>
    JSON.parse(readFileSync(path.join(directory, file), "utf8"));
  const expectedManifest = read(expectedDirectory, "manifest.json");
  const actualManifest = read(actualDirectory, "manifest.json");
  const differences = jsonDifferences(
    without(expectedManifest, versionStamps.manifest),
    without(actualManifest, versionStamps.manifest),
  ).map((difference) => `manifest.json: ${difference}`);
  const stacks = Object.values(expectedManifest.stacks as Record<string, { synthesizedStackPath: string }>);
  const names = Object.keys(expectedManifest.stacks as object);
  stacks.forEach((stack, index) => {
    const expected = read(expectedDirectory, stack.synthesizedStackPath);
    let actual: unknown;
    try {
      actual = read(actualDirectory, stack.synthesizedStackPath);
    } catch (error) {
      differences.push(`${names[index]}: ${(error as Error).message}`);
      return;
    }
    differences.push(
      ...jsonDifferences(without(expected, versionStamps.stack), without(actual, versionStamps.stack)).map(
        (difference) => `${names[index]}: ${difference}`,
      ),
    );
  });
  return {
    stacks: names,
    differences,
    versions: `${String(expectedManifest.version)} → ${String(actualManifest.version)}`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
