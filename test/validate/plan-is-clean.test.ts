import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Terraform } from "../../lib/terraform/terraform";

/** Terraform.planIsClean, which lets npm run drift skip `terraform show -json` of a stack with nothing to show. */
describe("a clean plan, told apart from one with changes", () => {
  let workDir: string;
  let terraform: Terraform;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "plan-is-clean-"));
    writeFileSync(
      join(workDir, "main.tf"),
      'variable "value" { type = string }\nresource "terraform_data" "settings" { input = var.value }\n',
    );
    terraform = new Terraform(workDir, { env: { ...process.env, TF_VAR_value: "linked" } });
    await terraform.init();
    await terraform.run(["apply", "-auto-approve", "-input=false"]);
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("is clean when the plan changes nothing", async () => {
    expect(await terraform.planIsClean(join(workDir, "clean.tfplan"))).toBe(true);
  });

  it("is not when the plan would change something, and the plan is still saved", async () => {
    const changed = new Terraform(workDir, { env: { ...process.env, TF_VAR_value: "unlinked" } });
    expect(await changed.planIsClean(join(workDir, "changed.tfplan"))).toBe(false);
    const plan = JSON.parse(await changed.showJson(join(workDir, "changed.tfplan")));
    expect(plan.resource_changes[0].change.actions).toEqual(["update"]);
  });
});
