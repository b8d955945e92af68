/** Names that License Manager prescribes or that this project gives its resources, shared by the stacks,
 * the config checks and the access policies. */

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

// License Manager only writes to buckets whose name starts with this prefix (License Manager user guide, Settings).
export const reportBucketPrefix = "aws-license-manager-service-";

/** The name License Manager requires (prefix) made unique per account and region. */
export function reportBucketName(managementAccountId: string, region: string): string {
  return `${reportBucketPrefix}${managementAccountId}-${region}`;
}

export const notificationTopicName = "aws-license-manager-service-notifications";
