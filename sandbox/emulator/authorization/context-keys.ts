import type { Tag } from "../state";
import type { ContextValues } from "./types";

export interface RequestPrincipal {
  /** The caller as AWS names it: `arn:aws:sts::<acct>:assumed-role/<role>/<session>` or a user ARN. */
  principalArn: string;
  /** The role of a session: aws:PrincipalArn names the role, not the session. */
  roleArn?: string;
  accountId: string;
  userId: string;
  /** Tags of the role (or user), as aws:PrincipalTag/<key>. */
  tags?: Tag[];
  organizationId?: string;
}

/**
 * Global condition keys AWS adds to every authenticated request
 * (IAM User Guide, "AWS global condition context keys"). The sandbox speaks plain HTTP on loopback where
 * every AWS client uses TLS, so aws:SecureTransport is what the same call carries against AWS.
 */
export function globalContext(principal: RequestPrincipal, region: string, now = new Date()): ContextValues {
  const context: ContextValues = {
    "aws:PrincipalArn": principal.roleArn ?? principal.principalArn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": principal.roleArn ? "AssumedRole" : "User",
    "aws:userid": principal.userId,
    "aws:RequestedRegion": region,
    "aws:CurrentTime": now.toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    "aws:SecureTransport": "true",
    "aws:PrincipalIsAWSService": "false",
    "aws:ViaAWSService": "false",
  };
  if (!principal.roleArn) context["aws:username"] = principal.principalArn.split("/").pop() ?? "";
  if (principal.organizationId) context["aws:PrincipalOrgID"] = principal.organizationId;
  for (const tag of principal.tags ?? []) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  return context;
}

/** aws:RequestTag/<key> and aws:TagKeys of a request that sends tags (nothing when it sends none). */
export function requestTagContext(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
): ContextValues {
  const sent = (tags ?? []).filter(
    (tag): tag is { Key: string; Value?: string } => typeof tag.Key === "string",
  );
  if (sent.length === 0) return {};
  const context: ContextValues = { "aws:TagKeys": sent.map((tag) => tag.Key) };
  for (const tag of sent) context[`aws:RequestTag/${tag.Key}`] = tag.Value ?? "";
  return context;
}

/** aws:TagKeys of an untag request. */
export function tagKeysContext(keys: readonly string[] | undefined): ContextValues {
  return keys && keys.length > 0 ? { "aws:TagKeys": [...keys] } : {};
}

/**
 * aws:ResourceTag/<key> of a resource the request acts on: the tags the resource carries before the call (IAM
 * User Guide, "Controlling access to AWS resources using tags": aws:ResourceTag compares the tag on the resource
 * itself). Nothing for a resource that does not exist or carries no tags.
 */
export function resourceTagContext(
  tags: readonly { Key: string; Value: string }[] | undefined,
): ContextValues {
  const context: ContextValues = {};
  for (const tag of tags ?? []) context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return context;
}
