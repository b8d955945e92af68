/** Names that License Manager prescribes or that this project gives its resources, shared by the stacks,
 * the config checks and the access policies. */

import { AllowedOperation } from "@aws-sdk/client-license-manager";

/** License Manager's principal: trusted access, the delegated administrator, its service-linked role. */
export const licenseManagerPrincipal = "license-manager.amazonaws.com";

/** The principal License Manager uses in member accounts. */
const licenseManagerMemberAccountPrincipal = "license-manager.member-account.amazonaws.com";

/** The principal of the role License Manager creates in the management account when linked to Organizations. */
export const licenseManagerMasterAccountPrincipal = "license-manager.master-account.amazonaws.com";

/** License Manager's two service principals, whose trusted access this project always enables. */
export const licenseManagerPrincipals = [
  licenseManagerPrincipal,
  licenseManagerMemberAccountPrincipal,
] as const;

/** Roles License Manager creates (path /aws-service-role/<principal>/). */
export const serviceLinkedRoleNames = {
  licenseManager: "AWSServiceRoleForAWSLicenseManagerRole",
  managementAccount: "AWSServiceRoleForAWSLicenseManagerMasterAccountRole",
  memberAccount: "AWSServiceRoleForAWSLicenseManagerMemberAccountRole",
} as const;
/**
 * AWS Marketplace's license management: sharing Marketplace subscriptions with the organization's accounts
 * through License Manager grants needs its service-linked role ("To share your AWS Marketplace subscriptions to
 * other accounts in your AWS organization with AWS License Manager, you must give AWS Marketplace permissions
 * for each account you want to share with. Do this by using the AWSServiceRoleForMarketplaceLicenseManagement
 * role", AWS Marketplace Buyer Guide, "Service-linked role to share entitlements") and its trusted access.
 */
export const marketplaceLicenseManagementPrincipal = "license-management.marketplace.amazonaws.com";
export const marketplaceLicenseManagementRoleName = "AWSServiceRoleForMarketplaceLicenseManagement";

/**
 * The principals whose trusted access this project enables: License Manager's two always, AWS Marketplace's when
 * a grant distributes a Marketplace license. Every list of "this project's principals" comes from here.
 */
export function projectPrincipals(grants: readonly { readonly marketplace: boolean }[]): string[] {
  return [
    ...licenseManagerPrincipals,
    ...(grants.some((grant) => grant.marketplace) ? [marketplaceLicenseManagementPrincipal] : []),
  ];
}

/** Every principal projectPrincipals may return: the only ones this project may ever disable with source: external. */
export const ownPrincipals = [...licenseManagerPrincipals, marketplaceLicenseManagementPrincipal] as const;

// License Manager only writes to buckets whose name starts with this prefix (License Manager user guide, Settings).
export const reportBucketPrefix = "aws-license-manager-service-";

/** The name License Manager requires (prefix) made unique per account and region. */
export function reportBucketName(managementAccountId: string, region: string): string {
  return `${reportBucketPrefix}${managementAccountId}-${region}`;
}

export const notificationTopicName = "aws-license-manager-service-notifications";

/** What a grant may allow (License Manager API Reference, CreateGrant: AllowedOperations), as the SDK's model lists it. */
export const allowedGrantOperations = Object.values(AllowedOperation) as [
  AllowedOperation,
  ...AllowedOperation[],
];

/** How activating a Marketplace grant treats other active grants of the product (API Reference, Options). */
export const grantActivationOverrides = [
  "DISTRIBUTED_GRANTS_ONLY",
  "ALL_GRANTS_PERMITTED_BY_ISSUER",
] as const;

/**
 * The principal ARN License Manager takes for a grant's recipient (API Reference, CreateGrant: Principals):
 * an account (its root), an organizational unit, or the organization.
 */
export function grantPrincipalArn(
  principal: string,
  scope: {
    readonly partition: string;
    readonly managementAccountId: string;
    readonly organizationId: string;
  },
): string {
  const organizations = `arn:${scope.partition}:organizations::${scope.managementAccountId}`;
  if (principal === "organization") return `${organizations}:organization/${scope.organizationId}`;
  if (principal.startsWith("ou-")) return `${organizations}:ou/${scope.organizationId}/${principal}`;
  return `arn:${scope.partition}:iam::${principal}:root`;
}
