import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Terraform } from "../../lib/terraform/terraform";

/**
 * Terraform.runInitialized, which plan, drift and adopt run their commands through: `terraform init` only where
 * Terraform refuses without it, with the real binary (a local backend and terraform_data: no provider to install).
 */
describe("terraform init, run only when Terraform asks for it", () => {
  let workDir: string;
  let logFile: string;
  const inits = () =>
    readFileSync(logFile, "utf8").split("Terraform has been successfully initialized").length - 1;
  const writeStack = (statePath: string) =>
    writeFileSync(
      join(workDir, "main.tf.json"),
      JSON.stringify({
        terraform: { backend: { local: { path: statePath } } },
        resource: { terraform_data: { settings: { input: "linked" } } },
      }),
    );

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), "init-on-demand-"));
    logFile = join(workDir, "terraform.log");
    writeFileSync(logFile, "");
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("initializes a directory never initialized, then plans", async () => {
    writeStack("first.tfstate");
    const terraform = new Terraform(workDir, { env: process.env, logFile });
    expect(await terraform.planIsClean(join(workDir, "a.tfplan"))).toBe(false);
    expect(inits()).toBe(1);
    await terraform.run(["apply", "-input=false", join(workDir, "a.tfplan")]);
  });

  it("does not initialize a directory that is ready", async () => {
    const terraform = new Terraform(workDir, { env: process.env, logFile });
    expect(await terraform.planIsClean(join(workDir, "b.tfplan"))).toBe(true);
    expect(JSON.parse(await terraform.showJson()).values.root_module.resources).toHaveLength(1);
    expect(inits()).toBe(1);
  });

  it("initializes again, without migrating, when the backend block changed (another config's state)", async () => {
    writeStack("second.tfstate");
    const terraform = new Terraform(workDir, { env: process.env, logFile });
    // The second state is empty: the resource is to be created there, the first state is left as it was.
    expect(await terraform.planIsClean(join(workDir, "c.tfplan"))).toBe(false);
    expect(inits()).toBe(2);
    expect(JSON.parse(readFileSync(join(workDir, "first.tfstate"), "utf8")).resources).toHaveLength(1);
  });

  it("passes on every other failure as it is, without an init", async () => {
    writeFileSync(
      join(workDir, "main.tf.json"),
      JSON.stringify({
        terraform: { backend: { local: { path: "second.tfstate" } } },
        resource: { terraform_data: { settings: { nope: "linked" } } },
      }),
    );
    const terraform = new Terraform(workDir, { env: process.env, logFile });
    const before = inits();
    await expect(terraform.plan(join(workDir, "d.tfplan"))).rejects.toThrow(
      /No argument or block type is named "nope"/,
    );
    expect(inits()).toBe(before);
  });
});
