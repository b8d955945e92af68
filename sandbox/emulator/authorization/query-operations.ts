import type { QueryParams } from "../query-params";
import { openIdConnectProviderArn } from "../services/iam-openid-connect";
import { serviceLinkedRoleName, serviceLinkedRolePath } from "../services/service-linked-roles";
import type { CallContext } from "../services/types";
import { iamAccount } from "../state";
import { roleOfArn } from "./authorizer";
import { requestTagContext, tagKeysContext } from "./context-keys";
import type { ContextValues, IamCheck } from "./types";

/** The IAM authorization of one operation, computed from the request before the operation runs. */
export type QueryAuthorization = (call: CallContext, params: QueryParams) => IamCheck[];

const ANY = ["*"];
const withContext = (context: ContextValues): Pick<IamCheck, "context"> =>
  Object.keys(context).length > 0 ? { context } : {};
const check = (action: string, resources: string[] = ANY, context: ContextValues = {}): IamCheck[] => [
  { action, resources, ...withContext(context) },
];

/** A role of the caller's account by name: its ARN carries its path once it exists. */
function roleArn(call: CallContext, params: QueryParams): string {
  const name = params.get("RoleName") ?? "";
  return (
    iamAccount(call.state, call.caller.accountId).roles[name]?.arn ??
    `arn:aws:iam::${call.caller.accountId}:role/${name}`
  );
}

const onRole =
  (action: string) =>
  (call: CallContext, params: QueryParams): IamCheck[] =>
    check(action, [roleArn(call, params)]);

const onProvider =
  (action: string) =>
  (_call: CallContext, params: QueryParams): IamCheck[] =>
    check(action, [params.get("OpenIDConnectProviderArn") || "*"]);

/**
 * Creating with tags needs the tagging action too (IAM User Guide, "Permissions required to tag IAM
 * resources"; Amazon SNS Developer Guide, "Amazon SNS tags"): the same resource, the same tag keys.
 */
function withTagOnCreate(create: IamCheck[], tagAction: string, tags: { Key: string; Value: string }[]) {
  if (tags.length === 0) return create;
  return [...create, { action: tagAction, resources: create[0].resources, context: requestTagContext(tags) }];
}

export const iamAuthorization: Record<string, QueryAuthorization> = {
  CreateServiceLinkedRole: (call, params) => {
    const service = params.get("AWSServiceName") ?? "";
    const name = serviceLinkedRoleName(service, params.get("CustomSuffix")) ?? service;
    return check(
      "iam:CreateServiceLinkedRole",
      [`arn:aws:iam::${call.caller.accountId}:role${serviceLinkedRolePath(service)}${name}`],
      { "iam:AWSServiceName": service },
    );
  },
  DeleteServiceLinkedRole: onRole("iam:DeleteServiceLinkedRole"),
  // The task id names the role: task/aws-service-role/<service>/<role>/<id>.
  GetServiceLinkedRoleDeletionStatus: (call, params) => {
    const [, ...path] = (params.get("DeletionTaskId") ?? "").split("/");
    return check("iam:GetServiceLinkedRoleDeletionStatus", [
      `arn:aws:iam::${call.caller.accountId}:role/${path.slice(0, -1).join("/")}`,
    ]);
  },
  CreateRole: (call, params) => {
    const tags = params.tags();
    const path = params.get("Path") ?? "/";
    const arn = `arn:aws:iam::${call.caller.accountId}:role${path}${params.get("RoleName") ?? ""}`;
    return withTagOnCreate(check("iam:CreateRole", [arn], requestTagContext(tags)), "iam:TagRole", tags);
  },
  GetRole: onRole("iam:GetRole"),
  ListRoles: () => check("iam:ListRoles"),
  UpdateRole: onRole("iam:UpdateRole"),
  UpdateRoleDescription: onRole("iam:UpdateRoleDescription"),
  UpdateAssumeRolePolicy: onRole("iam:UpdateAssumeRolePolicy"),
  DeleteRole: onRole("iam:DeleteRole"),
  ListRoleTags: onRole("iam:ListRoleTags"),
  TagRole: (call, params) => check("iam:TagRole", [roleArn(call, params)], requestTagContext(params.tags())),
  UntagRole: (call, params) =>
    check("iam:UntagRole", [roleArn(call, params)], tagKeysContext(params.list("TagKeys"))),
  ListRolePolicies: onRole("iam:ListRolePolicies"),
  ListAttachedRolePolicies: onRole("iam:ListAttachedRolePolicies"),
  ListInstanceProfilesForRole: onRole("iam:ListInstanceProfilesForRole"),
  PutRolePolicy: onRole("iam:PutRolePolicy"),
  GetRolePolicy: onRole("iam:GetRolePolicy"),
  DeleteRolePolicy: onRole("iam:DeleteRolePolicy"),
  CreateOpenIDConnectProvider: (call, params) => {
    const tags = params.tags();
    const arn = openIdConnectProviderArn(call.caller.accountId, params.get("Url") ?? "");
    return withTagOnCreate(
      check("iam:CreateOpenIDConnectProvider", [arn], requestTagContext(tags)),
      "iam:TagOpenIDConnectProvider",
      tags,
    );
  },
  GetOpenIDConnectProvider: onProvider("iam:GetOpenIDConnectProvider"),
  ListOpenIDConnectProviders: () => check("iam:ListOpenIDConnectProviders"),
  DeleteOpenIDConnectProvider: onProvider("iam:DeleteOpenIDConnectProvider"),
  UpdateOpenIDConnectProviderThumbprint: onProvider("iam:UpdateOpenIDConnectProviderThumbprint"),
  AddClientIDToOpenIDConnectProvider: onProvider("iam:AddClientIDToOpenIDConnectProvider"),
  RemoveClientIDFromOpenIDConnectProvider: onProvider("iam:RemoveClientIDFromOpenIDConnectProvider"),
  ListOpenIDConnectProviderTags: onProvider("iam:ListOpenIDConnectProviderTags"),
  TagOpenIDConnectProvider: (_call, params) =>
    check(
      "iam:TagOpenIDConnectProvider",
      [params.get("OpenIDConnectProviderArn") || "*"],
      requestTagContext(params.tags()),
    ),
  UntagOpenIDConnectProvider: (_call, params) =>
    check(
      "iam:UntagOpenIDConnectProvider",
      [params.get("OpenIDConnectProviderArn") || "*"],
      tagKeysContext(params.list("TagKeys")),
    ),
};

/**
 * sts:AssumeRole is decided by the role's trust policy together with the caller's identity policies; passing
 * session tags needs sts:TagSession from both as well. AssumeRoleWithWebIdentity is authorized apart
 * (sts-web-identity.ts): its caller has no IAM identity.
 */
export const stsAuthorization: Record<string, QueryAuthorization> = {
  GetCallerIdentity: () => check("sts:GetCallerIdentity"),
  AssumeRole: (call, params) => {
    const target = params.get("RoleArn") ?? "";
    const role = roleOfArn(call.state, target);
    const resourcePolicy = role
      ? { document: JSON.parse(role.assumeRolePolicyDocument) as unknown, accountId: target.split(":")[4] }
      : undefined;
    const context: ContextValues = {};
    const sessionName = params.get("RoleSessionName");
    if (sessionName) context["sts:RoleSessionName"] = sessionName;
    const externalId = params.get("ExternalId");
    if (externalId) context["sts:ExternalId"] = externalId;
    const sourceIdentity = params.get("SourceIdentity");
    if (sourceIdentity) context["sts:SourceIdentity"] = sourceIdentity;
    const tags = params.tags();
    const checks: IamCheck[] = [
      { action: "sts:AssumeRole", resources: [target || "*"], ...withContext(context), resourcePolicy },
    ];
    if (tags.length > 0) {
      checks.push({
        action: "sts:TagSession",
        resources: [target || "*"],
        context: requestTagContext(tags),
        resourcePolicy,
      });
    }
    return checks;
  },
};

function topicArn(call: CallContext, name: string): string {
  return `arn:aws:sns:${call.region}:${call.caller.accountId}:${name}`;
}

const onTopic =
  (action: string, field = "TopicArn") =>
  (_call: CallContext, params: QueryParams): IamCheck[] =>
    check(action, [params.get(field) || "*"]);

export const snsAuthorization: Record<string, QueryAuthorization> = {
  CreateTopic: (call, params) => {
    const tags = params.tags();
    const arn = topicArn(call, params.get("Name") ?? "");
    return withTagOnCreate(check("sns:CreateTopic", [arn], requestTagContext(tags)), "sns:TagResource", tags);
  },
  GetTopicAttributes: onTopic("sns:GetTopicAttributes"),
  SetTopicAttributes: onTopic("sns:SetTopicAttributes"),
  DeleteTopic: onTopic("sns:DeleteTopic"),
  ListTopics: () => check("sns:ListTopics"),
  ListTagsForResource: onTopic("sns:ListTagsForResource", "ResourceArn"),
  TagResource: (_call, params) =>
    check("sns:TagResource", [params.get("ResourceArn") || "*"], requestTagContext(params.tags())),
  UntagResource: (_call, params) =>
    check("sns:UntagResource", [params.get("ResourceArn") || "*"], tagKeysContext(params.list("TagKeys"))),
};
