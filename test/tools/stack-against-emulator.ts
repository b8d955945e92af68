import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RateLimits } from "../../sandbox/emulator/faults/rate-limits";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { seedWithAdministratorRole } from "../helpers/sandbox-seed";
import { sandboxCredentials } from "./run-tool";

const projectRoot = join(__dirname, "../..");

interface TerraformResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One synthesized stack applied by the real terraform and AWS provider against the emulator, from
 * .test-work/<tmp>/<stack>, where ${path.root}/../../.. is the project root as for cdktf.out/stacks/<stack>, so the
 * reconcile CLI of its terraform_data resources runs as in a deploy. Registers its own beforeAll and afterAll.
 * The emulator has no faults and, unless `rateLimits` says otherwise, no rate limits, whatever the environment.
 */
export function useStackAgainstEmulator(stack: string, options: { rateLimits?: RateLimits } = {}) {
  let emulator: RunningEmulator;
  let workDirectory: string;
  let stackDirectory: string;
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      seed: seedWithAdministratorRole,
      rateLimits: options.rateLimits ?? false,
      faults: false,
    });
    mkdirSync(join(projectRoot, ".test-work"), { recursive: true });
    workDirectory = mkdtempSync(join(projectRoot, ".test-work", `${stack}-`));
    stackDirectory = join(workDirectory, stack);
    mkdirSync(stackDirectory, { recursive: true });
  });
  afterAll(async () => {
    await emulator.close();
    rmSync(workDirectory, { recursive: true, force: true });
  });

  const environment = () => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CHECKPOINT_DISABLE: "1",
    AWS_ENDPOINT_URL_ORGANIZATIONS: emulator.url,
    AWS_ENDPOINT_URL_LICENSE_MANAGER: emulator.url,
    AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: emulator.url,
    AWS_ENDPOINT_URL_STS: emulator.url,
    AWS_ENDPOINT_URL_IAM: emulator.url,
    AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
    AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  return {
    emulator: () => emulator,
    workDirectory: () => workDirectory,
    stackDirectory: () => stackDirectory,
    /** The environment terraform runs with here: the emulator's endpoints and the sandbox's credentials. */
    environment,
    /** Writes the stack's cdk.tf.json. */
    write: (json: string) => writeFileSync(join(stackDirectory, "cdk.tf.json"), json),
    /** `terraform <args> -no-color` in the stack's directory; never throws. */
    terraform: (...args: string[]): Promise<TerraformResult> =>
      new Promise((resolve) =>
        execFile(
          "terraform",
          [...args, "-no-color"],
          { cwd: stackDirectory, env: environment(), maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) =>
            resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        ),
      ),
  };
}
