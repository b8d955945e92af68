/** Names that License Manager prescribes or that this project gives its resources, shared by the stacks,
 * the config checks and the access policies. */

/** License Manager's two service principals, whose trusted access this project always enables. */
export const licenseManagerPrincipals = [
  "license-manager.amazonaws.com",
  "license-manager.member-account.amazonaws.com",
] as const;

// License Manager only writes to buckets whose name starts with this prefix (License Manager user guide, Settings).
export const reportBucketPrefix = "aws-license-manager-service-";

/** The name License Manager requires (prefix) made unique per account and region. */
export function reportBucketName(managementAccountId: string, region: string): string {
  return `${reportBucketPrefix}${managementAccountId}-${region}`;
}

export const notificationTopicName = "aws-license-manager-service-notifications";
