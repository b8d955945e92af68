/**
 * The validation tier: every stack of every shipped config, synthesized and checked by the real
 * `terraform validate` with the AWS provider the project pins (5.100.0).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { App } from "cdktf";
import { loadConfig } from "../../lib/config/load";
import { addStacks } from "../../stacks/app";
import { productionExampleFile, sandboxConfigFile } from "../helpers/config";

const run = promisify(execFile);
const terraformEnvironment = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };

async function validate(stackDirectory: string) {
  await run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], {
    cwd: stackDirectory,
    env: terraformEnvironment,
  });
  const { stdout } = await run("terraform", ["validate", "-json", "-no-color"], {
    cwd: stackDirectory,
    env: terraformEnvironment,
  }).catch((error: { stdout: string }) => error);
  return JSON.parse(stdout) as { valid: boolean; diagnostics: { severity: string; summary: string }[] };
}

describe.each([sandboxConfigFile, productionExampleFile])("terraform validate of %s", (configFile) => {
  const outdir = mkdtempSync(path.join(tmpdir(), "lm-validate-"));
  const app = new App({ outdir });
  const stackNames = Object.values(addStacks(app, loadConfig(configFile))).map((stack) => stack.node.id);
  app.synth();

  it("synthesizes every stack", () => {
    expect(readdirSync(path.join(outdir, "stacks")).sort()).toEqual([...stackNames].sort());
  });

  it.each(stackNames)("%s is valid, without errors or warnings", async (stackName) => {
    const result = await validate(path.join(outdir, "stacks", stackName));
    expect(result.diagnostics.map((d) => `${d.severity}: ${d.summary}`)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
