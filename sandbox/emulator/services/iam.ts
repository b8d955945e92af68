import { AwsError } from "../errors";
import { iamAccount, randomId, type Tag } from "../state";
import { escapeXml, toXml } from "../xml";
import { findRole, isServiceLinked, roleXml } from "./iam-model";
import { iamOpenIdConnectActions } from "./iam-openid-connect";
import { iamRoleActions, maxSessionDuration } from "./iam-roles";
import { createServiceLinkedRole } from "./service-linked-roles";
import type { CallContext, QueryHandler } from "./types";

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  return [...existing.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
}

export const iamActions: Record<string, QueryHandler> = {
  ...iamRoleActions,
  ...iamOpenIdConnectActions,

  CreateServiceLinkedRole: (call, params) => {
    const role = createServiceLinkedRole(
      call.state,
      call.caller.accountId,
      params.require("AWSServiceName"),
      {
        description: params.get("Description"),
        customSuffix: params.get("CustomSuffix"),
      },
    );
    return `<Role>${roleXml(role)}</Role>`;
  },

  GetRole: (call, params) => `<Role>${roleXml(findRole(call, params.require("RoleName")))}</Role>`,

  ListRoles: (call, params) => {
    const prefix = params.get("PathPrefix") ?? "/";
    const roles = Object.values(iamAccount(call.state, call.caller.accountId).roles)
      .filter((role) => role.path.startsWith(prefix))
      .sort((a, b) => a.roleName.localeCompare(b.roleName));
    // ListRoles leaves out tags and last-use data, as in AWS.
    const members = roles.map((role) => `<member>${roleXml(role, false)}</member>`).join("");
    return `<IsTruncated>false</IsTruncated><Roles>${members}</Roles>`;
  },

  ListRoleTags: (call, params) => {
    const role = findRole(call, params.require("RoleName"));
    return `<IsTruncated>false</IsTruncated>${toXml({ Tags: role.tags })}`;
  },

  TagRole: (call, params) => {
    const role = findRole(call, params.require("RoleName"));
    role.tags = mergeTags(role.tags, params.tags());
    return undefined;
  },

  UntagRole: (call, params) => {
    const role = findRole(call, params.require("RoleName"));
    const removed = params.list("TagKeys");
    role.tags = role.tags.filter((t) => !removed.includes(t.Key));
    return undefined;
  },

  UpdateRole: (call, params) => {
    const role = findRole(call, params.require("RoleName"));
    const description = params.get("Description");
    if (description !== undefined) role.description = description || undefined;
    const duration = maxSessionDuration(params.get("MaxSessionDuration"));
    if (duration !== undefined) role.maxSessionDuration = duration;
    return "";
  },

  UpdateRoleDescription: (call, params) => {
    const role = findRole(call, params.require("RoleName"));
    role.description = params.get("Description") || undefined;
    return `<Role>${roleXml(role)}</Role>`;
  },

  DeleteServiceLinkedRole: (call, params) => {
    const roleName = params.require("RoleName");
    const role = findRole(call, roleName);
    if (!isServiceLinked(role)) {
      throw new AwsError("InvalidInput", `Role ${roleName} is not a service-linked role.`);
    }
    const account = iamAccount(call.state, call.caller.accountId);
    const serviceName = role.path.split("/")[2];
    const taskId = `task/aws-service-role/${serviceName}/${roleName}/${randomId(36)}`;
    // The deletion is accepted, then fails while the service still uses the role: License Manager's
    // roles are in use while its Organizations integration is on in any region of the account.
    const inUseIn = regionsUsingLicenseManagerRole(call, serviceName);
    if (inUseIn.length > 0) {
      account.deletionTasks[taskId] =
        `FAILED:${roleName} is in use by License Manager's Organizations integration in ${inUseIn.join(", ")}; turn it off first.`;
    } else {
      delete account.roles[roleName];
      account.deletionTasks[taskId] = "SUCCEEDED";
    }
    return `<DeletionTaskId>${taskId}</DeletionTaskId>`;
  },

  GetServiceLinkedRoleDeletionStatus: (call, params) => {
    const taskId = params.require("DeletionTaskId");
    const status = iamAccount(call.state, call.caller.accountId).deletionTasks[taskId];
    if (!status) throw new AwsError("NoSuchEntity", `Deletion task ${taskId} cannot be found.`, 404);
    const [state, reason] = status.split(/:(.*)/s);
    return reason
      ? `<Status>${state}</Status><Reason><Reason>${escapeXml(reason)}</Reason></Reason>`
      : `<Status>${state}</Status>`;
  },
};

function regionsUsingLicenseManagerRole(call: CallContext, serviceName: string | undefined): string[] {
  if (serviceName !== "license-manager.amazonaws.com") return [];
  const prefix = `${call.caller.accountId}/`;
  return Object.entries(call.state.licenseManager)
    .filter(([key, settings]) => key.startsWith(prefix) && settings.enableIntegration)
    .map(([key]) => key.slice(prefix.length));
}
