import { roleOfArn } from "../authorization/authorizer";
import { AwsError } from "../errors";
import { toXml } from "../xml";
import { mintSession, sessionName } from "./sts-sessions";
import { assumeRoleWithWebIdentity } from "./sts-web-identity";
import type { QueryHandler } from "./types";

/**
 * The trust policy is evaluated before the handler runs (authorization/query-operations.ts): what reaches
 * AssumeRole is allowed, or IAM enforcement is off.
 */
export const stsActions: Record<string, QueryHandler> = {
  GetCallerIdentity: (call) =>
    toXml({ UserId: call.caller.userId, Account: call.caller.accountId, Arn: call.caller.arn }),

  AssumeRole: (call, params) => {
    const roleArn = params.require("RoleArn");
    const name = sessionName(params);
    const role = roleOfArn(call.state, roleArn);
    if (!role) {
      throw new AwsError(
        "AccessDenied",
        `User: ${call.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    const session = mintSession(call.state, role, name, params);
    return `${session.credentialsXml}${session.assumedRoleUserXml}`;
  },

  AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
};
