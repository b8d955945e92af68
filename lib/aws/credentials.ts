/**
 * Credentials for the CLIs: the SDK's default chain, or a role assumed through it. Assuming is
 * @aws-sdk/credential-providers' fromTemporaryCredentials; each client given the provider keeps the
 * credentials and refreshes them shortly before they expire (the SDK's identity cache).
 */
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { awsCall } from "./errors";

export type CredentialsProvider = ReturnType<typeof fromTemporaryCredentials>;

/** What every client is built from; no credentials means the SDK default credential chain. */
export interface AwsSession {
  readonly region: string;
  readonly credentials?: CredentialsProvider;
}

export interface AssumeRoleOptions {
  readonly region: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** Credentials used to call STS; the default chain when absent. */
  readonly sourceCredentials?: CredentialsProvider;
}

/** Credentials of an assumed role; a failure names the role ("Assuming role arn:… failed: AccessDenied: …"). */
export function assumeRoleCredentials(options: AssumeRoleOptions): CredentialsProvider {
  const provider = fromTemporaryCredentials({
    params: { RoleArn: options.roleArn, RoleSessionName: options.roleSessionName },
    masterCredentials: options.sourceCredentials,
    clientConfig: { region: options.region },
  });
  return (identityProperties) =>
    awsCall(`Assuming role ${options.roleArn}`, () => provider(identityProperties));
}

/** The caller's session: the default chain, or the given role assumed through it. */
export function callerSession(
  region: string,
  roleArn: string | undefined,
  roleSessionName: string,
): AwsSession {
  if (!roleArn) return { region };
  return { region, credentials: assumeRoleCredentials({ region, roleArn, roleSessionName }) };
}
