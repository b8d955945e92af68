import type { Tag } from "../state";
import type { CallContext, JsonInput } from "../services/types";
import { licenseManagerRegion } from "../services/license-manager-settings";
import { requestTagContext, resourceTagContext, tagKeysContext } from "./context-keys";
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

/**
 * License Manager's checks on configurations and report generators, with aws:ResourceTag/<key> of each: both
 * resource types list aws:ResourceTag/${TagKey} among their condition keys in the Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslicensemanager.html,
 * "Resource types defined by AWS License Manager"), so every action on them is evaluated with the tags the
 * resource carries before the call.
 */
function onLicenseManagerResources(
  call: CallContext,
  action: string,
  resources: string[],
  context?: ContextValues,
): IamCheck[] {
  const region = licenseManagerRegion(call);
  const resourceContext: Record<string, ContextValues> = {};
  for (const arn of resources) {
    const tags = region.configurations[arn]?.tags ?? region.reportGenerators?.[arn]?.tags;
    const keys = resourceTagContext(tags);
    if (Object.keys(keys).length > 0) resourceContext[arn] = keys;
  }
  const [only] = check(action, resources, context);
  return [{ ...only!, ...(Object.keys(resourceContext).length > 0 && { resourceContext }) }];
}

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
  GetLicenseConfiguration: (call, input) =>
    onLicenseManagerResources(call, "license-manager:GetLicenseConfiguration", licenseConfiguration(input)),
  ListLicenseConfigurations: () => check("license-manager:ListLicenseConfigurations"),
  UpdateLicenseConfiguration: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:UpdateLicenseConfiguration",
      licenseConfiguration(input),
    ),
  DeleteLicenseConfiguration: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:DeleteLicenseConfiguration",
      licenseConfiguration(input),
    ),
  TagResource: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:TagResource",
      licenseConfiguration(input, "ResourceArn"),
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  UntagResource: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:UntagResource",
      licenseConfiguration(input, "ResourceArn"),
      tagKeysContext(input.TagKeys as string[] | undefined),
    ),
  ListTagsForResource: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:ListTagsForResource",
      licenseConfiguration(input, "ResourceArn"),
    ),
  // Authorized on every configuration it associates or disassociates.
  UpdateLicenseSpecificationsForResource: (call, input) => {
    const specifications = [
      ...((input.AddLicenseSpecifications as LicenseSpecification[] | undefined) ?? []),
      ...((input.RemoveLicenseSpecifications as LicenseSpecification[] | undefined) ?? []),
    ];
    const arns = [...new Set(specifications.map((s) => str(s.LicenseConfigurationArn)).filter(Boolean))];
    return onLicenseManagerResources(
      call,
      "license-manager:UpdateLicenseSpecificationsForResource",
      arns.length > 0 ? arns : ANY,
    );
  },
  ListLicenseSpecificationsForResource: () => check("license-manager:ListLicenseSpecificationsForResource"),
  ListAssociationsForLicenseConfiguration: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:ListAssociationsForLicenseConfiguration",
      licenseConfiguration(input),
    ),
  // Creating a report generator has no resource type; the others take the generator's ARN.
  CreateLicenseManagerReportGenerator: (_call, input) =>
    check(
      "license-manager:CreateLicenseManagerReportGenerator",
      ANY,
      requestTagContext(input.Tags as Tag[] | undefined),
    ),
  GetLicenseManagerReportGenerator: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:GetLicenseManagerReportGenerator",
      reportGenerator(input),
    ),
  ListLicenseManagerReportGenerators: () => check("license-manager:ListLicenseManagerReportGenerators"),
  UpdateLicenseManagerReportGenerator: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:UpdateLicenseManagerReportGenerator",
      reportGenerator(input),
    ),
  DeleteLicenseManagerReportGenerator: (call, input) =>
    onLicenseManagerResources(
      call,
      "license-manager:DeleteLicenseManagerReportGenerator",
      reportGenerator(input),
    ),
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
