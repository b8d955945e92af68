import {
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
} from "@aws-sdk/client-license-manager";
import { join } from "node:path";
import { applyApprovedPlan, RemainderNotApprovedError } from "../../lib/terraform/approved-apply";
import { Terraform } from "../../lib/terraform/terraform";
import { defaultRateLimits } from "../../sandbox/emulator/faults/rate-limits";
import { sandboxCredentials } from "./run-tool";
import { useStackAgainstEmulator } from "./stack-against-emulator";

/** License configurations <prefix>-<n> for each prefix and count, in a stack of their own with a local state. */
const stackJson = (counts: Record<string, number>) =>
  JSON.stringify({
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: { aws: [{ region: "us-east-1", skip_requesting_account_id: false }] },
    resource: {
      aws_licensemanager_license_configuration: Object.fromEntries(
        Object.entries(counts).flatMap(([prefix, count]) =>
          Array.from({ length: count }, (_, index) => [
            `${prefix}${index}`,
            { name: `${prefix}-${index}`, license_counting_type: "vCPU", license_count: 8 },
          ]),
        ),
      ),
    },
  });

/**
 * deploy.yml's apply of an approved plan when AWS throttles it part-way, with the real terraform and AWS provider
 * against the emulator: License Manager's writes get a burst of 2 and then one a second, and the provider does not
 * retry RateLimitExceededException, so each apply creates what the bucket lets through and fails on the rest.
 */
describe("an approved plan that AWS throttles part-way", () => {
  const stack = useStackAgainstEmulator("license-manager", {
    rateLimits: { ...defaultRateLimits, "license-manager-write": { perSecond: 1, burst: 2 } },
  });
  let terraform: Terraform;
  let client: LicenseManagerClient;
  const lines: string[] = [];

  beforeAll(async () => {
    terraform = new Terraform(stack.stackDirectory(), {
      env: stack.environment(),
      planLock: false,
      throttleRetry: { report: (line) => lines.push(line) },
    });
    // The SDK retries RateLimitExceededException (HTTP 429), as the project's CLIs do.
    client = new LicenseManagerClient({
      region: "us-east-1",
      endpoint: stack.emulator().url,
      credentials: sandboxCredentials,
      maxAttempts: 10,
    });
    stack.write(stackJson({ approved: 4 }));
    await terraform.init();
  });
  afterAll(() => client.destroy());
  beforeEach(() => lines.splice(0));

  const names = async () =>
    ((await client.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations ?? [])
      .map((configuration) => configuration.Name ?? "")
      .sort();

  it("applies what remains of it after each throttle, each remainder part of the approved plan: no duplicate", async () => {
    const planFile = join(stack.stackDirectory(), "approved.tfplan");
    await terraform.plan(planFile);
    const result = await applyApprovedPlan(terraform, planFile, {
      attempts: 6,
      baseDelayMs: 200,
      report: (line) => lines.push(line),
    });

    expect(result.applies).toBeGreaterThan(1);
    expect(result.remainderPlans).toHaveLength(result.applies - 1);
    expect(
      lines.filter((line) => line.startsWith("throttled by AWS (RateLimitExceededException")),
    ).toHaveLength(result.applies - 1);
    expect(lines[0]).toMatch(
      /^throttled by AWS \(RateLimitExceededException( ×\d+)?\); retrying terraform apply in license-manager with what remains of the approved plan in 0.2 s, attempt 2 of 6$/,
    );
    expect(await names()).toEqual([0, 1, 2, 3].map((index) => `approved-${index}`));
    const again = await terraform.run(["plan", "-input=false", "-lock=false", "-detailed-exitcode"], [0, 2]);
    expect(again.exitCode).toBe(0);
  });

  it("stops, naming the change, when what remains is not what was approved", async () => {
    stack.write(stackJson({ approved: 4, changed: 3 }));
    const planFile = join(stack.stackDirectory(), "changed.tfplan");
    await terraform.plan(planFile);
    // While the apply waits after the first throttle, someone changes a configuration the apply created.
    let before: string[] | undefined;
    const failure = await applyApprovedPlan(terraform, planFile, {
      attempts: 6,
      baseDelayMs: 200,
      report: (line) => lines.push(line),
      sleep: async (ms) => {
        if (!before) {
          const live =
            (await client.send(new ListLicenseConfigurationsCommand({}))).LicenseConfigurations ?? [];
          const created = live.find((configuration) => configuration.Name?.startsWith("changed-"));
          if (!created) throw new Error("the first apply created no configuration before AWS throttled it");
          await client.send(
            new UpdateLicenseConfigurationCommand({
              LicenseConfigurationArn: created.LicenseConfigurationArn,
              Description: "changed outside while the apply waited",
            }),
          );
          before = await names();
        }
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(RemainderNotApprovedError);
    const message = (failure as Error).message;
    expect(message).toContain(
      "license-manager: AWS throttled the apply part-way, and what remains to apply is not only what was approved, so it was not applied",
    );
    expect(message).toMatch(
      /\n {2}aws_licensemanager_license_configuration\.changed\d: update: the approved plan would create it\n/,
    );
    expect(message).toContain("Run the deploy again to plan and approve what remains.");
    // The remainder was not applied: the configurations are those the first apply left.
    expect(await names()).toEqual(before);
  });
});
