import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Terraform, TerraformError } from "../../lib/terraform/terraform";

/**
 * npm run plan and npm run drift plan with planLock: false (-lock=false): the plan role may not write the lock.
 * Shown against a lock another terraform holds (an apply whose provisioner sleeps): a locking plan is refused,
 * an unlocked one goes ahead.
 */
describe("a plan without the state lock", () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), "plan-without-lock-"));
    writeFileSync(
      join(workDir, "main.tf"),
      [
        'resource "terraform_data" "slow" {',
        '  provisioner "local-exec" {',
        '    command = "sleep 30"',
        "  }",
        "}",
      ].join("\n"),
    );
    await new Terraform(workDir, { env: process.env }).init();
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("goes ahead while an apply holds the lock, where a locking plan is refused", async () => {
    const apply = spawn("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
      cwd: workDir,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      stdio: "ignore",
    });
    const applied = new Promise((resolve) => apply.on("exit", resolve));
    try {
      // The local backend writes its lock's info beside the state while it holds the lock.
      const lockInfo = join(workDir, ".terraform.tfstate.lock.info");
      for (let waited = 0; !existsSync(lockInfo) && waited < 30_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(existsSync(lockInfo)).toBe(true);

      const locking = new Terraform(workDir, { env: process.env });
      const refused = await locking.run(["plan", "-input=false", "-lock-timeout=1s"]).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(TerraformError);
      expect((refused as TerraformError).stateLock).toBeDefined();

      const unlocked = new Terraform(workDir, { env: process.env, planLock: false });
      expect(await unlocked.planIsClean(join(workDir, "unlocked.tfplan"))).toBe(false);
      await unlocked.plan(join(workDir, "unlocked-again.tfplan"));
      expect(existsSync(lockInfo)).toBe(true); // still the apply's: the plans ran beside it
    } finally {
      await applied;
    }
  });
});
