import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseFaultProfile } from "../../sandbox/emulator/faults/profile";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { Terraform, TerraformError } from "../../lib/terraform/terraform";
import { callLog, managementCredentials } from "./emulator-clients";

/**
 * What the Terraform AWS provider (5.100.0, aws-sdk-go-v2's standard retryer, max_retries 25) does with each
 * service's own throttling error: it retries the codes the Go SDK knows (Organizations' TooManyRequestsException)
 * and gives up at the first License Manager RateLimitExceededException or SNS Throttled (HTTP 429, a status the
 * Go SDK does not retry), though AWS documents both as "try again later". docs/throttling.md says what the
 * project does about it (lib/terraform/throttling.ts runs such a Terraform operation again); this test fails if
 * a provider upgrade changes the behaviour, so that it is revisited.
 */
describe("the AWS provider under each service's throttling", () => {
  let emulator: RunningEmulator | undefined;
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "provider-retries-"));
    copyFileSync(join(__dirname, "fixtures", "provider-retries.tf"), join(workDir, "main.tf"));
  });
  afterEach(async () => {
    await emulator?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function applyUnder(faults: string, service: string) {
    emulator = await startEmulator({ port: 0, faults: parseFaultProfile(faults, "5") ?? false });
    const url = emulator.url;
    const terraform = new Terraform(workDir, {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL_ORGANIZATIONS: url,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url,
        AWS_ENDPOINT_URL_SNS: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: managementCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: managementCredentials.secretAccessKey,
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    await terraform.init();
    const outcome = await terraform
      .run(["apply", "-auto-approve", "-input=false", `-var=service=${service}`])
      .then(
        () => "applied",
        (error: unknown) => (error instanceof TerraformError ? error.message : String(error)),
      );
    const calls = (await callLog(emulator)).filter((entry) => entry.service === service);
    return { outcome, calls };
  }

  it("retries Organizations' TooManyRequestsException until the call goes through", async () => {
    const { outcome, calls } = await applyUnder("throttle=0.6@organizations", "organizations");
    expect(outcome).toBe("applied");
    const throttled = calls.filter((entry) => entry.errorCode === "TooManyRequestsException");
    expect(throttled.length).toBeGreaterThanOrEqual(3);
    // Every operation the profile throttled was sent again until it succeeded.
    for (const { action } of throttled) {
      expect(calls.filter((entry) => entry.action === action).at(-1)).toMatchObject({ action, status: 200 });
    }
  });

  it("gives up at License Manager's first RateLimitExceededException", async () => {
    const { outcome, calls } = await applyUnder("throttle=1@license-manager", "license-manager");
    expect(outcome).toMatch(/RateLimitExceededException/);
    expect(calls.map((entry) => `${entry.action} ${entry.errorCode}`)).toEqual([
      "CreateLicenseConfiguration RateLimitExceededException",
    ]);
  });

  it("gives up at SNS's first Throttled", async () => {
    const { outcome, calls } = await applyUnder("throttle=1@sns", "sns");
    expect(outcome).toMatch(/Throttled/);
    expect(calls.map((entry) => `${entry.action} ${entry.errorCode}`)).toEqual(["CreateTopic Throttled"]);
  });
});
