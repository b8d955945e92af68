/** Values several tests expect, written once. */

/** The S3 backend's switches for an S3-compatible store such as the sandbox's (s3Compatibility.usePathStyle). */
export const s3CompatibleBackendFlags = {
  use_path_style: true,
  skip_credentials_validation: true,
  skip_region_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_s3_checksum: true,
} as const;

/** A discovery rule in License Manager's shape (ProductInformation): SQL Server on SSM-managed instances. */
export const sqlServerDiscoveryRule = {
  ResourceType: "SSM_MANAGED",
  ProductInformationFilterList: [
    {
      ProductInformationFilterName: "Application Name",
      ProductInformationFilterValue: ["SQL Server"],
      ProductInformationFilterComparator: "EQUALS",
    },
  ],
};

/** The reconciled settings' input for a region, with the integration on and cross-account discovery off. */
export function settingsInput(region: string, arns: { s3BucketArn: string; snsTopicArn: string }) {
  return {
    kind: "license-manager-settings",
    region,
    desired: { enableIntegration: true, enableCrossAccountsDiscovery: false, ...arns },
  };
}
