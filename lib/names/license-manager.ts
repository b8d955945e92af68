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

/** What a grant may allow (License Manager API Reference, CreateGrant: AllowedOperations). */
export const allowedGrantOperations = [
  "CreateGrant",
  "CheckoutLicense",
  "CheckoutBorrowLicense",
  "CheckInLicense",
  "ExtendConsumptionLicense",
  "ListPurchasedLicenses",
  "CreateToken",
] as const;

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
