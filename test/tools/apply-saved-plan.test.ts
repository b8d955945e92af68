import {
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  UpdateLicenseSpecificationsForResourceCommand,
} from "@aws-sdk/client-license-manager";
import { join } from "node:path";
import { analyzeStackPlan } from "../../lib/review/analyze";
import { combineReviews } from "../../lib/review/model";
import { readLiveFacts } from "../../lib/review/read-live";
import { renderReview } from "../../lib/review/render";
import { parsePlanJson } from "../../lib/terraform/plan-json";
import { explainApplyFailure } from "../../lib/terraform/saved-plans";
import { Terraform, TerraformError } from "../../lib/terraform/terraform";
import { runTool, sandboxCredentials } from "./run-tool";
import { useStackAgainstEmulator } from "./stack-against-emulator";

/** One license configuration with a hard limit, in a stack of its own with a local state. */
const stackJson = (licenseCount: number, description: string) =>
  JSON.stringify({
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: { aws: [{ region: "us-east-1", skip_requesting_account_id: false }] },
    resource: {
      aws_licensemanager_license_configuration: {
        windows: {
          name: "windows-server",
          description,
          license_counting_type: "vCPU",
          license_count: licenseCount,
          license_count_hard_limit: true,
        },
      },
    },
  });

/**
 * What deploy.yml does between its plan job and its apply job, with the real terraform and AWS provider against
 * the emulator: the review of a saved plan shows the licenses in use now, the saved plan applies as approved, and
 * a saved plan whose state changed in between is refused with the reason.
 */
describe("a saved plan, reviewed with its live impact and applied as approved", () => {
  const stack = useStackAgainstEmulator("license-manager");
  let terraform: Terraform;
  let client: LicenseManagerClient;
  let arn: string;
  const saved = process.env;

  beforeAll(async () => {
    // readLiveFacts builds its SDK client from the environment, as in a workflow.
    process.env = {
      ...saved,
      AWS_ENDPOINT_URL_LICENSE_MANAGER: stack.emulator().url,
      AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
      AWS_CONFIG_FILE: join(stack.workDirectory(), "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(stack.workDirectory(), "no-credentials"),
    };
    terraform = new Terraform(stack.stackDirectory(), {
      env: stack.environment(),
      planLock: false,
    });
    client = new LicenseManagerClient({
      region: "us-east-1",
      endpoint: stack.emulator().url,
      credentials: sandboxCredentials,
    });
    stack.write(stackJson(96, "Windows Server"));
    await terraform.init();
    await terraform.plan("first.tfplan");
    await terraform.applySavedPlan("first.tfplan");
    const state = JSON.parse(await terraform.showJson()) as {
      values: { root_module: { resources: { values: { arn: string } }[] } };
    };
    arn = state.values.root_module.resources[0]!.values.arn;
    // Three instances use the configuration now: ConsumedLicenses 3.
    for (const id of ["i-0000000000000000a", "i-0000000000000000b", "i-0000000000000000c"]) {
      await client.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: `arn:aws:ec2:us-east-1:111111111111:instance/${id}`,
          AddLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
        }),
      );
    }
  });
  afterAll(() => {
    process.env = saved;
    client.destroy();
  });

  const reviewOf = async (planFile: string) => {
    const plan = parsePlanJson(await terraform.showJson(planFile), planFile);
    const review = analyzeStackPlan("license-manager", plan, undefined, await readLiveFacts(plan, undefined));
    return combineReviews([review]);
  };
  const licenseCount = async () =>
    (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).LicenseCount;

  it("reviews a hard limit lowered below the licenses in use, naming them", async () => {
    stack.write(stackJson(2, "Windows Server"));
    await terraform.plan("lowered.tfplan");
    const review = await reviewOf("lowered.tfplan");
    expect(review.risks.map((flag) => flag.reason)).toEqual([
      "lowers license_count from 96 to 2 while the hard limit is on: launches beyond 2 are blocked; BELOW USE: 3 licenses are in use now (ConsumedLicenses), 1 more than the new count: no new launch until usage drops below 2",
    ]);
    expect(renderReview(review).markdown).toContain(
      "- **license-manager** `aws_licensemanager_license_configuration.windows`: lowers license_count from 96 to 2",
    );
  });

  it("applies the saved plan as approved", async () => {
    stack.write(stackJson(4, "Windows Server"));
    await terraform.plan("approved.tfplan");
    expect((await reviewOf("approved.tfplan")).risks.map((flag) => flag.reason)).toEqual([
      "lowers license_count from 96 to 4 while the hard limit is on: launches beyond 4 are blocked; 3 licenses are in use now (ConsumedLicenses): 1 left after the change",
    ]);
    await terraform.applySavedPlan("approved.tfplan");
    expect(await licenseCount()).toBe(4);
  });

  it("refuses a saved plan whose state changed after it was made, and says why", async () => {
    stack.write(stackJson(8, "Windows Server"));
    await terraform.plan("stale.tfplan");
    // Another apply between the approval and this one (here: a description change) writes the state.
    stack.write(stackJson(4, "Windows Server, changed in between"));
    await terraform.plan("in-between.tfplan");
    await terraform.applySavedPlan("in-between.tfplan");

    const failure = await terraform.applySavedPlan("stale.tfplan").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TerraformError);
    const { result } = failure as TerraformError;
    expect(`${result.stdout}\n${result.stderr}`).toContain("Saved plan is stale");
    expect(explainApplyFailure("license-manager", `${result.stdout}\n${result.stderr}`)).toBe(
      "license-manager: the saved plan is stale: the stack's state changed after the plan was made (another apply, an import by npm run adopt, a state edit), so what was approved is no longer what would be applied. Nothing was changed. Run the deploy again to plan and approve the current changes.",
    );
    expect(await licenseCount()).toBe(4);
  });

  it("npm run apply refuses a directory that holds no saved plans", async () => {
    const result = await runTool("apply", stack.emulator().url, stack.workDirectory(), [
      stack.workDirectory(),
    ]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `${join(stack.workDirectory(), "saved-plans.json")}: cannot be read (ENOENT: no such file or directory`,
    );
    expect(result.stderr).toContain("expected the directory that npm run plan -- --save wrote");
  });
});
