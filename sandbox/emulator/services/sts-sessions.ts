import { AwsError } from "../errors";
import type { QueryParams } from "../query-params";
import { randomId, type CredentialState, type EmulatorState, type RoleState } from "../state";
import { isoTime, toXml } from "../xml";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function sessionName(params: QueryParams): string {
  const name = params.require("RoleSessionName");
  if (!/^[\w+=,.@-]{2,64}$/.test(name)) {
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  return name;
}

/** Temporary credentials of a role session, remembered so that later calls resolve to the role. */
export function mintSession(
  state: EmulatorState,
  role: RoleState,
  name: string,
  params: QueryParams,
): { credential: CredentialState; credentialsXml: string; assumedRoleUserXml: string } {
  const duration = Number(params.get("DurationSeconds") ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
    throw new AwsError(
      "ValidationError",
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }
  const accountId = role.arn.split(":")[4];
  const accessKeyId = `ASIA${randomId(16, KEY_ALPHABET)}`;
  const expiresAt = Math.floor(Date.now() / 1000) + duration;
  const credential: CredentialState = {
    accessKeyId,
    secretAccessKey: randomId(40),
    sessionToken: `sandbox-session-${randomId(64)}`,
    accountId,
    principalArn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${name}`,
    userId: `${role.roleId}:${name}`,
    expiresAt,
    roleArn: role.arn,
  };
  state.credentials[accessKeyId] = credential;
  return {
    credential,
    credentialsXml: toXml({
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: credential.secretAccessKey,
        SessionToken: credential.sessionToken,
        Expiration: isoTime(expiresAt),
      },
    }),
    assumedRoleUserXml: toXml({
      AssumedRoleUser: { AssumedRoleId: credential.userId, Arn: credential.principalArn },
    }),
  };
}
