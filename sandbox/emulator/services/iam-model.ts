import { AwsError } from "../errors";
import { iamAccount, type RoleState } from "../state";
import { isoTime, toXml } from "../xml";
import type { CallContext } from "./types";

export const noSuchRole = (name: string): AwsError =>
  new AwsError("NoSuchEntity", `The role with name ${name} cannot be found.`, 404);

export function findRole(call: CallContext, name: string): RoleState {
  const role = iamAccount(call.state, call.caller.accountId).roles[name];
  if (!role) throw noSuchRole(name);
  return role;
}

export const isServiceLinked = (role: RoleState): boolean => role.path.startsWith("/aws-service-role/");

/** A role as IAM renders it; IAM returns policy documents URL-encoded. ListRoles leaves out tags and last use. */
export const roleXml = (role: RoleState, withTags = true): string =>
  toXml({
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: isoTime(role.createdAt),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags: withTags && role.tags.length > 0 ? role.tags : undefined,
    RoleLastUsed: withTags ? {} : undefined,
  });
