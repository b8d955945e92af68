import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { synthesize } from "../../lib/terraform/terraform";

const projectRoot = path.resolve(__dirname, "../..");

describe("synthesize, as the CLIs run it (cdktf.json's app with CDKTF_OUTDIR)", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), "synthesize-"));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes every stack for the given role and removes stack folders the app no longer has", async () => {
    const outputDirectory = path.relative(projectRoot, path.join(scratch, "out"));
    mkdirSync(path.join(scratch, "out", "stacks", "retired-stack"), { recursive: true });
    await synthesize(projectRoot, { ...process.env, LM_CONFIG: "config/sandbox.yaml" }, undefined, {
      role: "plan",
      outputDirectory,
    });
    const manifest = JSON.parse(readFileSync(path.join(scratch, "out", "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual([
      "access",
      "bootstrap",
      "license-manager",
      "organization",
    ]);
    expect(existsSync(path.join(scratch, "out", "stacks", "retired-stack"))).toBe(false);
    // The plan role: every provider assumes it.
    const stack = readFileSync(path.join(scratch, "out", "stacks", "organization", "cdk.tf.json"), "utf8");
    expect(stack).toContain("arn:aws:iam::111111111111:role/LicenseManagerPlanner");
  });

  it("fails with the app's own message for a bad config, and writes nothing", async () => {
    const config = path.join(scratch, "bad.yaml");
    writeFileSync(config, "managementAccountId: 12\n");
    const outputDirectory = path.relative(projectRoot, path.join(scratch, "out"));
    await expect(
      synthesize(projectRoot, { ...process.env, LM_CONFIG: config }, undefined, { outputDirectory }),
    ).rejects.toThrow(
      /synthesis \(.*main\.ts\) failed \(exit 1\):[\s\S]*bad\.yaml: managementAccountId: expected/,
    );
    expect(existsSync(path.join(scratch, "out", "manifest.json"))).toBe(false);
  });
});
