import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { awsCall } from "./errors";

/** Structurally an SDK v3 AwsCredentialIdentity. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentials>;

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

const refreshBeforeExpiryMs = 5 * 60 * 1000;

/** Credentials of an assumed role, refreshed shortly before they expire. */
export function assumeRoleCredentials(options: AssumeRoleOptions): CredentialsProvider {
  const sts = new STSClient({ region: options.region, credentials: options.sourceCredentials });
  let current: Promise<AwsCredentials> | undefined;
  const assume = async (): Promise<AwsCredentials> => {
    const { Credentials } = await awsCall(`Assuming role ${options.roleArn}`, () =>
      sts.send(new AssumeRoleCommand({ RoleArn: options.roleArn, RoleSessionName: options.roleSessionName })),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
      throw new Error(`Assuming role ${options.roleArn} returned no credentials`);
    }
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiration: Credentials.Expiration,
    };
  };
  return async () => {
    const cached = current ? await current.catch(() => undefined) : undefined;
    const expiresAt = cached?.expiration?.getTime();
    if (cached && (expiresAt === undefined || expiresAt - Date.now() > refreshBeforeExpiryMs)) return cached;
    current = assume();
    return current;
  };
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
