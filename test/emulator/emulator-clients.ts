import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { LicenseManagerClient } from "@aws-sdk/client-license-manager";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
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

export async function assumeRole(
  emulator: RunningEmulator,
  roleArn: string,
  caller: Credentials = managementCredentials,
): Promise<Credentials> {
  const { Credentials: c } = await clientsFor(emulator, caller).sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "emulator-test" }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken!,
  };
}

/** A trust policy letting the management account's principals (with sts:AssumeRole allowed) assume a role. */
export const trustManagementAccount = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
  ],
};

/**
 * Creates a role in the management account with one inline policy (as the administrator) and returns the
 * credentials of a session of it: the caller whose calls IAM enforcement decides.
 */
export async function sessionOf(
  emulator: RunningEmulator,
  roleName: string,
  policy: object,
  trustPolicy: object = trustManagementAccount,
): Promise<Credentials> {
  const { iam } = clientsFor(emulator);
  await iam.send(
    new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trustPolicy) }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: "access",
      PolicyDocument: JSON.stringify(policy),
    }),
  );
  return assumeRole(emulator, `arn:aws:iam::111111111111:role/${roleName}`);
}

/** An identity policy of Allow statements: [actions, resources, condition?] each. */
export function allow(...statements: [string[], string[], Record<string, unknown>?][]): object {
  return {
    Version: "2012-10-17",
    Statement: statements.map(([Action, Resource, Condition]) => ({
      Effect: "Allow",
      Action,
      Resource,
      ...(Condition ? { Condition } : {}),
    })),
  };
}

/** The call log as the emulator serves it. */
export async function callLog(emulator: RunningEmulator): Promise<CallLogEntry[]> {
  return (await fetch(`${emulator.url}/_sandbox/log`)).json() as Promise<CallLogEntry[]>;
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
