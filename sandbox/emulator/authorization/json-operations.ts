import type { Tag } from "../state";
import type { CallContext, JsonInput } from "../services/types";
import { requestTagContext, tagKeysContext } from "./context-keys";
import type { ContextValues, IamCheck } from "./types";

/** The IAM authorization of one operation, computed from the request before the operation runs. */
export type JsonAuthorization = (call: CallContext, input: JsonInput) => IamCheck[];

const ANY = ["*"];
const str = (value: unknown): string => (typeof value === "string" ? value : "");
const check = (action: string, resources: string[] = ANY, context?: ContextValues): IamCheck[] => [
  { action, resources, ...(context && Object.keys(context).length > 0 ? { context } : {}) },
];

/** ARNs per the Service Authorization Reference: the organization id and the management account name them. */
function organizationArns(call: CallContext) {
  const org = call.state.organization;
  const owner = org?.managementAccountId ?? call.caller.accountId;
  const orgId = org?.id ?? "o-none";
  return {
    account: (accountId: string) => `arn:aws:organizations::${owner}:account/${orgId}/${accountId}`,
    root: (rootId: string) => `arn:aws:organizations::${owner}:root/${orgId}/${rootId}`,
    /** TagResource and its kin take any taggable id: a root, an account, an OU or a policy. */
    target: (id: string) => {
      if (/^r-/.test(id)) return `arn:aws:organizations::${owner}:root/${orgId}/${id}`;
      if (/^ou-/.test(id)) return `arn:aws:organizations::${owner}:ou/${orgId}/${id}`;
      return `arn:aws:organizations::${owner}:account/${orgId}/${id}`;
    },
  };
}

const servicePrincipal = (input: JsonInput): ContextValues =>
  typeof input.ServicePrincipal === "string"
    ? { "organizations:ServicePrincipal": input.ServicePrincipal }
    : {};

const policyType = (input: JsonInput): ContextValues =>
  typeof input.PolicyType === "string" ? { "organizations:PolicyType": input.PolicyType } : {};

/** Organizations: actions without a resource type take `*`; accounts and roots are ARNs of the organization. */
export const organizationsAuthorization: Record<string, JsonAuthorization> = {
  DescribeOrganization: () => check("organizations:DescribeOrganization"),
  CreateOrganization: () => check("organizations:CreateOrganization"),
  DeleteOrganization: () => check("organizations:DeleteOrganization"),
  ListRoots: () => check("organizations:ListRoots"),
  ListAccounts: () => check("organizations:ListAccounts"),
  DescribeAccount: (call, input) =>
    check("organizations:DescribeAccount", [organizationArns(call).account(str(input.AccountId))]),
  ListAWSServiceAccessForOrganization: () => check("organizations:ListAWSServiceAccessForOrganization"),
  EnableAWSServiceAccess: (_call, input) =>
    check("organizations:EnableAWSServiceAccess", ANY, servicePrincipal(input)),
  DisableAWSServiceAccess: (_call, input) =>
    check("organizations:DisableAWSServiceAccess", ANY, servicePrincipal(input)),
  EnablePolicyType: (call, input) =>
    check(
      "organizations:EnablePolicyType",
      [organizationArns(call).root(str(input.RootId))],
      policyType(input),
    ),
  DisablePolicyType: (call, input) =>
    check(
      "organizations:DisablePolicyType",
      [organizationArns(call).root(str(input.RootId))],
      policyType(input),
    ),
  ListTagsForResource: (call, input) =>
    check("organizations:ListTagsForResource", [organizationArns(call).target(str(input.ResourceId))]),
  TagResource: (call, input) =>
    check(
      "organizations:TagResource",
      [organizationArns(call).target(str(input.ResourceId))],
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  UntagResource: (call, input) =>
    check(
      "organizations:UntagResource",
      [organizationArns(call).target(str(input.ResourceId))],
      tagKeysContext(input.TagKeys as string[] | undefined),
    ),
  RegisterDelegatedAdministrator: (call, input) =>
    check(
      "organizations:RegisterDelegatedAdministrator",
      [organizationArns(call).account(str(input.AccountId))],
      servicePrincipal(input),
    ),
  DeregisterDelegatedAdministrator: (call, input) =>
    check(
      "organizations:DeregisterDelegatedAdministrator",
      [organizationArns(call).account(str(input.AccountId))],
      servicePrincipal(input),
    ),
  ListDelegatedAdministrators: (_call, input) =>
    check("organizations:ListDelegatedAdministrators", ANY, servicePrincipal(input)),
  ListDelegatedServicesForAccount: (call, input) =>
    check("organizations:ListDelegatedServicesForAccount", [
      organizationArns(call).account(str(input.AccountId)),
    ]),
};

const licenseConfiguration = (input: JsonInput, field = "LicenseConfigurationArn"): string[] => [
  str(input[field]) || "*",
];

const reportGenerator = (input: JsonInput): string[] => [str(input.LicenseManagerReportGeneratorArn) || "*"];

const grant = (input: JsonInput): string[] => [str(input.GrantArn) || "*"];

/** A license's ARN names its issuer; the account that holds it is the one whose policies decide. */
function heldLicense(call: CallContext, input: JsonInput, checks: IamCheck[]): IamCheck[] {
  const holder = call.state.licenses?.[str(input.LicenseArn)]?.holderAccountId;
  return holder ? checks.map((each) => ({ ...each, resourceAccountId: holder })) : checks;
}

/**
 * A grant's ARN is in its grantor's account, yet its recipients read, accept and reject it from theirs. License
 * Manager has no resource policies, and AWS does not say how it authorizes that; the sandbox lets the grant's
 * distribution stand in for one: the recipient accounts are allowed those three actions on it (their own
 * identity policies must still allow them).
 */
function receivedGrant(call: CallContext, input: JsonInput, action: string): IamCheck[] {
  const arn = str(input.GrantArn);
  const distributed = arn ? call.state.grants?.[arn] : undefined;
  const recipients = Object.keys(distributed?.recipients ?? {});
  if (!distributed || recipients.length === 0) return check(action, grant(input));
  return [
    {
      action,
      resources: [arn],
      resourcePolicy: {
        accountId: distributed.grantorAccountId,
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: recipients.map((accountId) => `arn:aws:iam::${accountId}:root`) },
              Action: action,
              Resource: arn,
            },
          ],
        },
      },
    },
  ];
}

type LicenseSpecification = { LicenseConfigurationArn?: string };

/**
 * License Manager: settings and listings have no resource type; configurations and report generators are
 * ARNs (tagging takes either).
 */
export const licenseManagerAuthorization: Record<string, JsonAuthorization> = {
  GetServiceSettings: () => check("license-manager:GetServiceSettings"),
  UpdateServiceSettings: () => check("license-manager:UpdateServiceSettings"),
  CreateLicenseConfiguration: (_call, input) =>
    check(
      "license-manager:CreateLicenseConfiguration",
      ANY,
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  GetLicenseConfiguration: (_call, input) =>
    check("license-manager:GetLicenseConfiguration", licenseConfiguration(input)),
  ListLicenseConfigurations: () => check("license-manager:ListLicenseConfigurations"),
  UpdateLicenseConfiguration: (_call, input) =>
    check("license-manager:UpdateLicenseConfiguration", licenseConfiguration(input)),
  DeleteLicenseConfiguration: (_call, input) =>
    check("license-manager:DeleteLicenseConfiguration", licenseConfiguration(input)),
  TagResource: (_call, input) =>
    check(
      "license-manager:TagResource",
      licenseConfiguration(input, "ResourceArn"),
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  UntagResource: (_call, input) =>
    check(
      "license-manager:UntagResource",
      licenseConfiguration(input, "ResourceArn"),
      tagKeysContext(input.TagKeys as string[] | undefined),
    ),
  ListTagsForResource: (_call, input) =>
    check("license-manager:ListTagsForResource", licenseConfiguration(input, "ResourceArn")),
  // Authorized on every configuration it associates or disassociates.
  UpdateLicenseSpecificationsForResource: (_call, input) => {
    const specifications = [
      ...((input.AddLicenseSpecifications as LicenseSpecification[] | undefined) ?? []),
      ...((input.RemoveLicenseSpecifications as LicenseSpecification[] | undefined) ?? []),
    ];
    const arns = [...new Set(specifications.map((s) => str(s.LicenseConfigurationArn)).filter(Boolean))];
    return check("license-manager:UpdateLicenseSpecificationsForResource", arns.length > 0 ? arns : ANY);
  },
  ListLicenseSpecificationsForResource: () => check("license-manager:ListLicenseSpecificationsForResource"),
  ListAssociationsForLicenseConfiguration: (_call, input) =>
    check("license-manager:ListAssociationsForLicenseConfiguration", licenseConfiguration(input)),
  // Creating a report generator has no resource type; the others take the generator's ARN.
  CreateLicenseManagerReportGenerator: (_call, input) =>
    check(
      "license-manager:CreateLicenseManagerReportGenerator",
      ANY,
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  GetLicenseManagerReportGenerator: (_call, input) =>
    check("license-manager:GetLicenseManagerReportGenerator", reportGenerator(input)),
  ListLicenseManagerReportGenerators: () => check("license-manager:ListLicenseManagerReportGenerators"),
  UpdateLicenseManagerReportGenerator: (_call, input) =>
    check("license-manager:UpdateLicenseManagerReportGenerator", reportGenerator(input)),
  DeleteLicenseManagerReportGenerator: (_call, input) =>
    check("license-manager:DeleteLicenseManagerReportGenerator", reportGenerator(input)),
  // Licenses and grants are ARNs of their own (resource types license and grant); CreateGrant is authorized on
  // the license it grants, with the request's tags; the listings have no resource type.
  GetLicense: (call, input) =>
    heldLicense(call, input, check("license-manager:GetLicense", [str(input.LicenseArn) || "*"])),
  ListReceivedLicenses: () => check("license-manager:ListReceivedLicenses"),
  CreateGrant: (call, input) =>
    heldLicense(
      call,
      input,
      check(
        "license-manager:CreateGrant",
        [str(input.LicenseArn) || "*"],
        requestTagContext(input.Tags as Tag[] | undefined),
      ),
    ),
  GetGrant: (call, input) => receivedGrant(call, input, "license-manager:GetGrant"),
  CreateGrantVersion: (_call, input) => check("license-manager:CreateGrantVersion", grant(input)),
  DeleteGrant: (_call, input) => check("license-manager:DeleteGrant", grant(input)),
  AcceptGrant: (call, input) => receivedGrant(call, input, "license-manager:AcceptGrant"),
  RejectGrant: (call, input) => receivedGrant(call, input, "license-manager:RejectGrant"),
  ListDistributedGrants: () => check("license-manager:ListDistributedGrants"),
  ListReceivedGrants: () => check("license-manager:ListReceivedGrants"),
  ListReceivedGrantsForOrganization: () => check("license-manager:ListReceivedGrantsForOrganization"),
};

/** tag:GetResources takes `*` (Service Authorization Reference, Resource Groups Tagging API: no resource types). */
export const resourceGroupsTaggingAuthorization: Record<string, JsonAuthorization> = {
  GetResources: () => check("tag:GetResources"),
};
