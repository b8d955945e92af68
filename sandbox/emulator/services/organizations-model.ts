import { AwsError, accessDenied } from "../errors";
import type { AccountState, OrganizationState } from "../state";
import type { CallContext } from "./types";

export const notInUse = (): AwsError =>
  new AwsError("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");

/** The organization the caller belongs to. */
export function callerOrganization(call: CallContext): OrganizationState {
  const org = call.state.organization;
  if (!org || !org.accountIds.includes(call.caller.accountId)) throw notInUse();
  return org;
}

/** Management APIs answer only the management account (delegated administrators are not modelled). */
export function managedOrganization(call: CallContext): OrganizationState {
  const org = callerOrganization(call);
  if (org.managementAccountId !== call.caller.accountId) throw accessDenied();
  return org;
}

export function requireAllFeatures(org: OrganizationState): void {
  if (org.featureSet !== "ALL") {
    throw new AwsError(
      "ConstraintViolationException",
      "The request failed because the organization does not have all features enabled. Please enable all features in your organization and then retry.",
      400,
      { Reason: "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE" },
    );
  }
}

export const organizationArn = (org: OrganizationState): string =>
  `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`;

export const accountArn = (org: OrganizationState, accountId: string): string =>
  `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;

export const rootArn = (org: OrganizationState): string =>
  `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`;

export function findMemberAccount(
  call: CallContext,
  org: OrganizationState,
  accountId: unknown,
): AccountState {
  const account = typeof accountId === "string" ? call.state.accounts[accountId] : undefined;
  if (!account || !org.accountIds.includes(account.id)) {
    throw new AwsError("AccountNotFoundException", "You specified an account that doesn't exist.");
  }
  return account;
}

export function describeAccount(org: OrganizationState, account: AccountState) {
  return {
    Id: account.id,
    Arn: accountArn(org, account.id),
    Email: account.email,
    Name: account.name,
    Status: "ACTIVE",
    State: "ACTIVE",
    JoinedMethod: account.id === org.managementAccountId ? "CREATED" : "INVITED",
    JoinedTimestamp: account.joinedAt,
  };
}

export function describeOrganization(call: CallContext, org: OrganizationState) {
  const management = call.state.accounts[org.managementAccountId];
  return {
    Id: org.id,
    Arn: organizationArn(org),
    FeatureSet: org.featureSet,
    MasterAccountArn: accountArn(org, org.managementAccountId),
    MasterAccountId: org.managementAccountId,
    MasterAccountEmail: management?.email,
    // Deprecated field AWS still returns: policy types here are always reported as enabled.
    AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
  };
}

export function describeRoot(org: OrganizationState) {
  return {
    Id: org.rootId,
    Arn: rootArn(org),
    Name: "Root",
    PolicyTypes: org.enabledPolicyTypes.map((type) => ({ Type: type, Status: "ENABLED" })),
  };
}

/**
 * One page of a List* answer, as Organizations pages them: at most `maxPageSize` items (the API Reference gives
 * each operation's MaxResults "Valid Range: Minimum value of 1. Maximum value of 20" for ListAccounts), the rest
 * behind an opaque NextToken. Out-of-range values and foreign tokens are InvalidInputException with the reasons
 * MIN_VALUE_EXCEEDED, MAX_VALUE_EXCEEDED and INVALID_NEXT_TOKEN (InvalidInputExceptionReason in the API model).
 * Without MaxResults AWS uses "a value that is specific to the operation" and does not say which: here the maximum.
 */
export function organizationsPage<T>(
  items: readonly T[],
  input: Record<string, unknown>,
  maxPageSize: number,
): { items: T[]; nextToken?: string } {
  const maxResults = input.MaxResults ?? maxPageSize;
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1) {
    throw new AwsError(
      "InvalidInputException",
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      400,
      { Reason: "MIN_VALUE_EXCEEDED" },
    );
  }
  if (maxResults > maxPageSize) {
    throw new AwsError(
      "InvalidInputException",
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${maxPageSize}`,
      400,
      { Reason: "MAX_VALUE_EXCEEDED" },
    );
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    const match = typeof input.NextToken === "string" ? /^page:(\d+)$/.exec(input.NextToken) : null;
    start = match ? Number(match[1]) : -1;
    if (start <= 0 || start >= items.length) {
      throw new AwsError("InvalidInputException", "The provided NextToken is not valid.", 400, {
        Reason: "INVALID_NEXT_TOKEN",
      });
    }
  }
  const end = start + maxResults;
  return { items: items.slice(start, end), ...(end < items.length && { nextToken: `page:${end}` }) };
}
