/**
 * Credentials for the CLIs: the SDK's default chain, or a role assumed through it.
 *
 * Not @aws-sdk/credential-providers' fromTemporaryCredentials: it loads its STS client with a dynamic
 * import(), which fails inside jest's CommonJS sandbox (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG), where the
 * sandbox report and the end-to-end tests assume roles. The STS client's AssumeRole, cached until shortly
 * before expiry, is all it did for us.
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { retryConfig } from "./client-config";
import { awsCall } from "./errors";

/** Structurally an SDK v3 AwsCredentialIdentity. */
interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}
export type CredentialsProvider = () => Promise<AwsCredentialIdentity>;

/** What every client is built from; no credentials means the SDK default credential chain. */
export interface AwsSession {
  readonly region: string;
  readonly credentials?: CredentialsProvider;
}

interface AssumeRoleOptions {
  readonly region: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** Credentials used to call STS; the default chain when absent. */
  readonly sourceCredentials?: CredentialsProvider;
}

/** Credentials of an assumed role; a failure names the role ("Assuming role arn:… failed: AccessDenied: …"). */
export function assumeRoleCredentials(options: AssumeRoleOptions): CredentialsProvider {
  const sts = new STSClient({
    region: options.region,
    credentials: options.sourceCredentials,
    ...retryConfig(),
  });
  let current: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
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

const refreshBeforeExpiryMs = 5 * 60 * 1000;

/** The caller's session: the default chain, or the given role assumed through it. */
export function callerSession(
  region: string,
  roleArn: string | undefined,
  roleSessionName: string,
): AwsSession {
  if (!roleArn) return { region };
  return { region, credentials: assumeRoleCredentials({ region, roleArn, roleSessionName }) };
}
