import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareSynthesis, jsonDifferences } from "../../lib/cdktf/compare-synthesis";

/** A synthesized app with one stack, stamped with a library version. */
function writeApp(version: string, bucket: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), "synthesis-"));
  mkdirSync(path.join(directory, "stacks/bootstrap"), { recursive: true });
  const stackPath = "stacks/bootstrap/cdk.tf.json";
  writeFileSync(
    path.join(directory, "manifest.json"),
    JSON.stringify({
      version,
      stacks: { bootstrap: { name: "bootstrap", synthesizedStackPath: stackPath } },
    }),
  );
  writeFileSync(
    path.join(directory, stackPath),
    JSON.stringify({
      "//": { metadata: { backend: "local", stackName: "bootstrap", version } },
      resource: { aws_s3_bucket: { state: { bucket } } },
    }),
  );
  return directory;
}

describe("comparing cdktf's and cdktn's Terraform JSON", () => {
  it("allows only the version stamp to differ", () => {
    expect(compareSynthesis(writeApp("0.21.0", "state"), writeApp("0.24.0", "state"))).toEqual({
      stacks: ["bootstrap"],
      differences: [],
      versions: "0.21.0 → 0.24.0",
    });
  });

  it("names every other difference with its stack and path", () => {
    expect(compareSynthesis(writeApp("0.21.0", "state"), writeApp("0.24.0", "other")).differences).toEqual([
      'bootstrap: resource.aws_s3_bucket.state.bucket: "state" became "other"',
    ]);
    expect(jsonDifferences({ a: [1, 2], b: 1 }, { a: [1], c: 1 })).toEqual([
      "a: 2 items, not 1",
      "b: missing",
      "c: not expected",
    ]);
  });
});
