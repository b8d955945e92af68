import * as path from "node:path";
import type { IamMode } from "./emulator/authorization/types";
import type { SandboxSeed } from "./emulator/seed";
import { startEmulator } from "./emulator/server";
import { startStorageBackends } from "./emulator/storage-backends";

interface SandboxServicesOptions {
  /** Where s3rver keeps the state bucket's objects and the emulator its state and call log. */
  readonly dataDirectory: string;
  /** @default 0 (a free port) */
  readonly emulatorPort?: number;
  /** @default 0 (a free port) */
  readonly storagePort?: number;
  /**
   * IAM in the emulator and the storage front: `enforce` refuses what a role session's policies do not allow,
   * `audit` only logs the decision, `off` evaluates nothing.
   * @default SANDBOX_IAM, else "enforce"
   */
  readonly iamMode?: IamMode;
  /** @default the sandbox organization (sandbox/emulator/seed.ts) */
  readonly seed?: SandboxSeed;
}

export interface SandboxServices {
  readonly emulatorUrl: string;
  readonly storageUrl: string;
  /** What Terraform, cdktf and the project CLIs need to talk to the sandbox instead of AWS. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * One JSON line per call to the emulator and the storage front (sandbox/emulator/call-log.ts), with the
   * IAM action, resources, session role and decision of each.
   */
  readonly callLogFile: string;
  readonly iamMode: IamMode;
  close(): Promise<void>;
}

/** The seeded management account's keys (sandbox/emulator/seed.ts). */
const sandboxCredentials = {
  AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
  AWS_SECRET_ACCESS_KEY: "sandbox-secret",
} as const;

/**
 * Environment that points every AWS client at the sandbox. Only endpoints move: the synthesized
 * Terraform is the same as for AWS (the AWS provider, its S3 backend and the SDK all read
 * AWS_ENDPOINT_URL_<SERVICE>).
 */
function sandboxEnvironment(emulatorUrl: string, storageUrl: string): Record<string, string> {
  return {
    ...sandboxCredentials,
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ENDPOINT_URL_STS: emulatorUrl,
    AWS_ENDPOINT_URL_IAM: emulatorUrl,
    AWS_ENDPOINT_URL_ORGANIZATIONS: emulatorUrl,
    AWS_ENDPOINT_URL_LICENSE_MANAGER: emulatorUrl,
    AWS_ENDPOINT_URL_SNS: emulatorUrl,
    AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: emulatorUrl,
    AWS_ENDPOINT_URL_S3: storageUrl,
    AWS_ENDPOINT_URL_DYNAMODB: storageUrl,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    CHECKPOINT_DISABLE: "1",
    // As the workflows set it: Terraform's S3 backend assumes roles with 3 attempts otherwise (docs/operations.md, Throttling and retries).
    AWS_MAX_ATTEMPTS: "10",
    LM_CONFIG: "config/sandbox.yaml",
  };
}

/** The caller's environment with the sandbox's on top, and no AWS profile or session that could leak in. */
export function withSandboxEnvironment(
  sandbox: Readonly<Record<string, string>>,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...base };
  for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"]) {
    delete environment[name];
  }
  return { ...environment, ...sandbox };
}

/** Starts the emulator and the S3/DynamoDB stand-ins (s3rver and dynalite behind their front) on loopback. */
export async function startSandboxServices(options: SandboxServicesOptions): Promise<SandboxServices> {
  const callLogFile = path.join(options.dataDirectory, "calls.jsonl");
  const emulator = await startEmulator({
    port: options.emulatorPort ?? 0,
    stateFile: path.join(options.dataDirectory, "emulator-state.json"),
    logFile: callLogFile,
    iamMode: options.iamMode,
    seed: options.seed,
  });
  const storage = await startStorageBackends({
    s3Directory: path.join(options.dataDirectory, "s3"),
    port: options.storagePort ?? 0,
    authorization: emulator.storageAuthorization,
    faults: emulator.faults,
  }).catch(async (error) => {
    await emulator.close();
    throw error;
  });
  return {
    emulatorUrl: emulator.url,
    storageUrl: storage.url,
    environment: sandboxEnvironment(emulator.url, storage.url),
    callLogFile,
    iamMode: emulator.iamMode,
    close: async () => {
      await Promise.allSettled([emulator.close(), storage.close()]);
    },
  };
}
