import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import type { EmulatorState } from "../../sandbox/emulator/state";
import { useEmulator } from "./emulator-clients";

const run = promisify(execFile);

/** The real hashicorp/aws provider, pointed at the emulator only through environment variables. */
describe("terraform with hashicorp/aws 5.100.0 against the emulator", () => {
  const emulator = useEmulator();
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "emulator-terraform-"));
    copyFileSync(join(__dirname, "fixtures", "organization-license-manager.tf"), join(workDir, "main.tf"));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  const terraform = (...args: string[]) => {
    const url = emulator().url;
    return run("terraform", [...args, "-input=false", "-no-color"], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        AWS_ENDPOINT_URL_ORGANIZATIONS: url,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url,
        AWS_ENDPOINT_URL_IAM: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
        AWS_SECRET_ACCESS_KEY: "sandbox-secret",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
  };

  it("imports the organization, applies License Manager resources and then plans no changes", async () => {
    await terraform("init");
    const apply = await terraform("apply", "-auto-approve");
    expect(apply.stdout).toContain("Apply complete! Resources: 1 imported, 4 added, 1 changed, 0 destroyed.");
    expect(apply.stdout).toMatch(
      /member_account_ids = tolist\(\[\s*"222222222222",\s*"333333333333",\s*"444444444444",/,
    );

    // -detailed-exitcode exits 2 when there is a diff: execFile would reject.
    const plan = await terraform("plan", "-detailed-exitcode");
    expect(plan.stdout).toContain("No changes.");

    const log = (await (await fetch(`${emulator().url}/_sandbox/log`)).json()) as CallLogEntry[];
    expect(log.filter((entry) => entry.status !== 200)).toEqual([]);
    const state = (await (await fetch(`${emulator().url}/_sandbox/state`)).json()) as EmulatorState;
    expect(Object.keys(state.organization!.enabledServicePrincipals)).toContain(
      "license-manager.amazonaws.com",
    );
    expect(state.organization!.delegatedAdmins).toEqual([
      expect.objectContaining({ accountId: "444444444444" }),
    ]);
    expect(Object.keys(state.iam["111111111111"].roles)).toContain("AWSServiceRoleForAWSLicenseManagerRole");
  });
});
