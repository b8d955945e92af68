import { IAMClient } from "@aws-sdk/client-iam";
import { LicenseManagerClient } from "@aws-sdk/client-license-manager";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../sandbox/emulator/server";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const managementCredentials: Credentials = {
  accessKeyId: "AKIASANDBOXMANAGEMENT",
  secretAccessKey: "sandbox-secret",
};

/** Real SDK v3 clients, changed only by their endpoint. */
export function clientsFor(
  emulator: RunningEmulator,
  credentials = managementCredentials,
  region = "us-east-1",
) {
  const config = { endpoint: emulator.url, region, credentials, maxAttempts: 1 };
  return {
    sts: new STSClient(config),
    iam: new IAMClient(config),
    organizations: new OrganizationsClient(config),
    licenseManager: new LicenseManagerClient(config),
  };
}

export async function assumeRole(emulator: RunningEmulator, roleArn: string): Promise<Credentials> {
  const { Credentials: c } = await clientsFor(emulator).sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "emulator-test" }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken!,
  };
}

export const memberAccessRole = (accountId: string): string =>
  `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`;

/** Starts a fresh emulator for each test of the calling file and closes it afterwards. */
export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, ...options });
  });
  afterEach(async () => {
    await emulator?.close();
  });
  return () => emulator!;
}

/** The AWS error code a promise rejects with. */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { name: string }).name;
  }
  throw new Error("expected the call to fail");
}
