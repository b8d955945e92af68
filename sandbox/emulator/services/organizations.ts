import { AwsError, requireString } from "../errors";
import { randomId, type OrganizationState, type Tag } from "../state";
import {
  callerOrganization,
  describeAccount,
  describeOrganization,
  describeRoot,
  findMemberAccount,
  managedOrganization,
  organizationsPage,
  requireAllFeatures,
} from "./organizations-model";
import { delegatedAdministratorActions } from "./organizations-delegated";
import type { JsonHandler, JsonInput } from "./types";

const POLICY_TYPES = [
  "SERVICE_CONTROL_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "TAG_POLICY",
  "BACKUP_POLICY",
  "AISERVICES_OPT_OUT_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
];

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function rootFor(org: OrganizationState, input: JsonInput): void {
  if (input.RootId !== org.rootId) {
    throw new AwsError("RootNotFoundException", "You specified a root that doesn't exist.");
  }
}

function policyType(input: JsonInput): string {
  const type = requireString(input, "PolicyType");
  if (!POLICY_TYPES.includes(type)) {
    throw new AwsError(
      "InvalidInputException",
      `1 validation error detected: Value '${type}' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [${POLICY_TYPES.join(", ")}]`,
      400,
      { Reason: "INVALID_ENUM" },
    );
  }
  return type;
}

function servicePrincipal(input: JsonInput): string {
  const principal = requireString(input, "ServicePrincipal");
  if (!/^[\w+=,.@-]*$/.test(principal)) {
    throw new AwsError(
      "InvalidInputException",
      "You provided a value that does not match the required pattern.",
      400,
      {
        Reason: "INVALID_PATTERN",
      },
    );
  }
  return principal;
}

function taggedResource(org: OrganizationState, input: JsonInput): string {
  const id = requireString(input, "ResourceId");
  const known = id === org.rootId || org.accountIds.includes(id);
  if (!known) throw new AwsError("TargetNotFoundException", "You specified a target that doesn't exist.");
  return id;
}

const organizationActions: Record<string, JsonHandler> = {
  DescribeOrganization: (call) => ({ Organization: describeOrganization(call, callerOrganization(call)) }),

  CreateOrganization: (call, input) => {
    const { state, caller } = call;
    if (state.organization?.accountIds.includes(caller.accountId)) {
      throw new AwsError(
        "AlreadyInOrganizationException",
        "The AWS account is already a member of an organization.",
      );
    }
    if (state.organization) {
      throw new AwsError("ConstraintViolationException", "The emulator holds a single organization.", 400, {
        Reason: "ACCOUNT_NUMBER_LIMIT_EXCEEDED",
      });
    }
    const featureSet = input.FeatureSet === "CONSOLIDATED_BILLING" ? "CONSOLIDATED_BILLING" : "ALL";
    state.organization = {
      id: `o-${randomId(10)}`,
      rootId: `r-${randomId(4)}`,
      featureSet,
      managementAccountId: caller.accountId,
      accountIds: [caller.accountId],
      enabledPolicyTypes: [],
      enabledServicePrincipals: {},
      delegatedAdmins: [],
      tags: {},
    };
    return { Organization: describeOrganization(call, state.organization) };
  },

  DeleteOrganization: (call) => {
    const org = managedOrganization(call);
    if (org.accountIds.length > 1) {
      throw new AwsError(
        "OrganizationNotEmptyException",
        "The organization isn't empty. To delete an organization, you must first remove all accounts except the management account.",
      );
    }
    call.state.organization = null;
    return {};
  },

  ListRoots: (call) => ({ Roots: [describeRoot(managedOrganization(call))] }),

  ListAccounts: (call, input) => {
    const org = managedOrganization(call);
    const page = organizationsPage(org.accountIds, input, 20);
    return {
      Accounts: page.items.map((id) => describeAccount(org, call.state.accounts[id])),
      ...(page.nextToken !== undefined && { NextToken: page.nextToken }),
    };
  },

  DescribeAccount: (call, input) => {
    const org = managedOrganization(call);
    return { Account: describeAccount(org, findMemberAccount(call, org, input.AccountId)) };
  },

  ListAWSServiceAccessForOrganization: (call) => {
    const org = managedOrganization(call);
    requireAllFeatures(org);
    return {
      EnabledServicePrincipals: Object.entries(org.enabledServicePrincipals).map(
        ([principal, enabledAt]) => ({
          ServicePrincipal: principal,
          DateEnabled: enabledAt,
        }),
      ),
    };
  },

  // Enabling or disabling service access twice is not an error in AWS.
  EnableAWSServiceAccess: (call, input) => {
    const org = managedOrganization(call);
    requireAllFeatures(org);
    const principal = servicePrincipal(input);
    org.enabledServicePrincipals[principal] ??= nowSeconds();
    return {};
  },

  DisableAWSServiceAccess: (call, input) => {
    const org = managedOrganization(call);
    requireAllFeatures(org);
    delete org.enabledServicePrincipals[servicePrincipal(input)];
    return {};
  },

  EnablePolicyType: (call, input) => {
    const org = managedOrganization(call);
    rootFor(org, input);
    const type = policyType(input);
    requireAllFeatures(org);
    if (org.enabledPolicyTypes.includes(type)) {
      throw new AwsError(
        "PolicyTypeAlreadyEnabledException",
        "The specified policy type is already enabled.",
      );
    }
    org.enabledPolicyTypes.push(type);
    return { Root: describeRoot(org) };
  },

  DisablePolicyType: (call, input) => {
    const org = managedOrganization(call);
    rootFor(org, input);
    const type = policyType(input);
    if (!org.enabledPolicyTypes.includes(type)) {
      throw new AwsError(
        "PolicyTypeNotEnabledException",
        "This operation can be performed only for enabled policy types.",
      );
    }
    org.enabledPolicyTypes = org.enabledPolicyTypes.filter((t) => t !== type);
    return { Root: describeRoot(org) };
  },

  ListTagsForResource: (call, input) => {
    const org = managedOrganization(call);
    return { Tags: org.tags[taggedResource(org, input)] ?? [] };
  },

  TagResource: (call, input) => {
    const org = managedOrganization(call);
    const id = taggedResource(org, input);
    const added = (input.Tags as Tag[] | undefined) ?? [];
    const kept = (org.tags[id] ?? []).filter((t) => !added.some((a) => a.Key === t.Key));
    org.tags[id] = [...kept, ...added.map((t) => ({ Key: t.Key, Value: t.Value }))];
    return {};
  },

  UntagResource: (call, input) => {
    const org = managedOrganization(call);
    const id = taggedResource(org, input);
    const removed = (input.TagKeys as string[] | undefined) ?? [];
    org.tags[id] = (org.tags[id] ?? []).filter((t) => !removed.includes(t.Key));
    return {};
  },
};

export const organizationsActions: Record<string, JsonHandler> = {
  ...organizationActions,
  ...delegatedAdministratorActions,
};
