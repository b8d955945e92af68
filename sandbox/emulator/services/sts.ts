import { AwsError } from "../errors";
import { iamAccount, randomId } from "../state";
import { isoTime, toXml } from "../xml";
import type { QueryHandler } from "./types";

const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export const stsActions: Record<string, QueryHandler> = {
  GetCallerIdentity: (call) =>
    toXml({ UserId: call.caller.userId, Account: call.caller.accountId, Arn: call.caller.arn }),

  /** Trust policies are not evaluated: any known caller may assume any role that exists. */
  AssumeRole: (call, params) => {
    const roleArn = params.require("RoleArn");
    const sessionName = params.require("RoleSessionName");
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    }
    const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
    const role = match ? iamAccount(call.state, match[1]).roles[match[2]] : undefined;
    if (!match || !role || role.arn !== roleArn) {
      throw new AwsError(
        "AccessDenied",
        `User: ${call.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const duration = Number(params.get("DurationSeconds") ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
      throw new AwsError(
        "ValidationError",
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    }
    const accessKeyId = `ASIA${randomId(16, KEY_ALPHABET)}`;
    const expiresAt = Math.floor(Date.now() / 1000) + duration;
    const credential = {
      accessKeyId,
      secretAccessKey: randomId(40),
      sessionToken: `sandbox-session-${randomId(64)}`,
      accountId: match[1],
      principalArn: `arn:aws:sts::${match[1]}:assumed-role/${role.roleName}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      expiresAt,
    };
    call.state.credentials[accessKeyId] = credential;
    return toXml({
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: credential.secretAccessKey,
        SessionToken: credential.sessionToken,
        Expiration: isoTime(expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: credential.userId, Arn: credential.principalArn },
    });
  },
};
