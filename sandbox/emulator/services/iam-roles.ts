import { AwsError } from "../errors";
import type { QueryParams } from "../query-params";
import { addRole, iamAccount, type RoleState } from "../state";
import { toXml } from "../xml";
import { findRole, isServiceLinked, roleXml } from "./iam-model";
import {
  policySize,
  ROLE_INLINE_POLICIES_MAX_SIZE,
  validIdentityPolicy,
  validTrustPolicy,
} from "./iam-policy-documents";
import type { CallContext, QueryHandler } from "./types";

/** Service-linked roles belong to their service: IAM refuses to change them (UnmodifiableEntity). */
function modifiableRole(call: CallContext, name: string): RoleState {
  const role = findRole(call, name);
  if (isServiceLinked(role)) {
    throw new AwsError(
      "UnmodifiableEntity",
      `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS`,
    );
  }
  return role;
}

function validationError(field: string, value: string, constraint: string): AwsError {
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function roleName(params: QueryParams): string {
  const name = params.require("RoleName");
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    throw validationError("roleName", name, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  }
  return name;
}

function policyName(params: QueryParams): string {
  const name = params.require("PolicyName");
  if (!/^[\w+=,.@-]{1,128}$/.test(name)) {
    throw validationError("policyName", name, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  }
  return name;
}

export function maxSessionDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 43200) {
    throw validationError("maxSessionDuration", value, "Member must have value between 3600 and 43200");
  }
  return seconds;
}

const inlinePolicies = (role: RoleState): Record<string, string> => (role.inlinePolicies ??= {});

/**
 * Roles and their inline policies, as the AWS provider's aws_iam_role and aws_iam_role_policy use them
 * (create, read with ListRolePolicies/GetRolePolicy/ListAttachedRolePolicies, update, and delete after
 * ListInstanceProfilesForRole). Managed policies are not modelled: a role has none attached.
 */
export const iamRoleActions: Record<string, QueryHandler> = {
  CreateRole: (call, params) => {
    const name = roleName(params);
    const path = params.get("Path") ?? "/";
    if (!/^\/(?:[\x21-\x7e]*\/)?$/.test(path) || path.length > 512) {
      throw validationError(
        "path",
        path,
        "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
      );
    }
    const account = iamAccount(call.state, call.caller.accountId);
    if (account.roles[name]) {
      throw new AwsError("EntityAlreadyExists", `Role with name ${name} already exists.`, 409);
    }
    const trustPolicy = validTrustPolicy(params.require("AssumeRolePolicyDocument"));
    const duration = maxSessionDuration(params.get("MaxSessionDuration"));
    const role = addRole(call.state, call.caller.accountId, {
      roleName: name,
      path,
      description: params.get("Description") || undefined,
      trustPolicy: JSON.parse(trustPolicy),
    });
    // Kept as sent: GetRole returns the document the caller wrote, URL-encoded.
    role.assumeRolePolicyDocument = trustPolicy;
    if (duration !== undefined) role.maxSessionDuration = duration;
    role.tags = params.tags();
    return `<Role>${roleXml(role)}</Role>`;
  },

  UpdateAssumeRolePolicy: (call, params) => {
    const role = modifiableRole(call, roleName(params));
    role.assumeRolePolicyDocument = validTrustPolicy(params.require("PolicyDocument"));
    return undefined;
  },

  // AWS refuses while anything is attached: the provider removes policies and instance profiles first.
  DeleteRole: (call, params) => {
    const name = roleName(params);
    const role = modifiableRole(call, name);
    if (Object.keys(inlinePolicies(role)).length > 0) {
      throw new AwsError("DeleteConflict", "Cannot delete entity, must delete policies first.", 409);
    }
    delete iamAccount(call.state, call.caller.accountId).roles[name];
    return undefined;
  },

  ListRolePolicies: (call, params) => {
    const names = Object.keys(inlinePolicies(findRole(call, roleName(params)))).sort();
    return `${toXml({ PolicyNames: names })}<IsTruncated>false</IsTruncated>`;
  },

  ListAttachedRolePolicies: (call, params) => {
    findRole(call, roleName(params));
    return "<AttachedPolicies></AttachedPolicies><IsTruncated>false</IsTruncated>";
  },

  ListInstanceProfilesForRole: (call, params) => {
    findRole(call, roleName(params));
    return "<InstanceProfiles></InstanceProfiles><IsTruncated>false</IsTruncated>";
  },

  PutRolePolicy: (call, params) => {
    const role = modifiableRole(call, roleName(params));
    const name = policyName(params);
    const document = validIdentityPolicy(params.require("PolicyDocument"));
    const after = { ...inlinePolicies(role), [name]: document };
    const size = Object.values(after).reduce((total, policy) => total + policySize(policy), 0);
    if (size > ROLE_INLINE_POLICIES_MAX_SIZE) {
      throw new AwsError(
        "LimitExceeded",
        `Maximum policy size of ${ROLE_INLINE_POLICIES_MAX_SIZE} bytes exceeded for role ${role.roleName}`,
        409,
      );
    }
    role.inlinePolicies = after;
    return undefined;
  },

  GetRolePolicy: (call, params) => {
    const role = findRole(call, roleName(params));
    const name = policyName(params);
    const document = inlinePolicies(role)[name];
    if (document === undefined) throw noSuchRolePolicy(name);
    // IAM returns policy documents URL-encoded (RFC 3986).
    return toXml({ RoleName: role.roleName, PolicyName: name, PolicyDocument: encodeURIComponent(document) });
  },

  DeleteRolePolicy: (call, params) => {
    const role = modifiableRole(call, roleName(params));
    const name = policyName(params);
    if (inlinePolicies(role)[name] === undefined) throw noSuchRolePolicy(name);
    delete inlinePolicies(role)[name];
    return undefined;
  },
};

const noSuchRolePolicy = (name: string): AwsError =>
  new AwsError("NoSuchEntity", `The role policy with name ${name} cannot be found.`, 404);
