import { partitionOfRegion } from "../aws/partitions";
import type { EnvironmentConfig } from "../config/model";
import { notificationTopicName, projectPrincipals, reportBucketName } from "../names/license-manager";
import { environmentName, projectTags } from "../names/project-tags";
import { stateKey } from "../names/stacks";
import { projectTrustedAccess } from "../organization/trusted-access";
import type { AccessPolicyProps, StateScope } from "./policies";

/** Stack names as they appear in state keys: lib/names/stacks.ts. */
interface AccessStackNames {
  readonly bootstrap: string;
  readonly access: string;
  readonly organization: string;
  readonly licenseManager: string;
}

/**
 * The principals the deploy role may enable and disable. With source: external, License Manager's two only: it
 * enables those the config keeps and may disable only those it lists in principalsAllowedToBeRemoved.
 */
function trustedAccessScope(
  config: EnvironmentConfig,
): Pick<AccessPolicyProps, "serviceAccessPrincipals" | "principalsAllowedToBeRemoved"> {
  const { organization } = config;
  if (organization.source === "external") {
    const { enable, disable } = projectTrustedAccess(
      projectPrincipals(config.licenseManager.grants),
      organization.principalsAllowedToBeRemoved,
    );
    return { serviceAccessPrincipals: enable, principalsAllowedToBeRemoved: disable };
  }
  return {
    serviceAccessPrincipals: [
      ...organization.serviceAccessPrincipals,
      ...projectPrincipals(config.licenseManager.grants),
    ],
    principalsAllowedToBeRemoved: [...organization.principalsAllowedToBeRemoved],
  };
}

/** What the plan and deploy roles act on, from one environment's config. */
export function accessPolicyProps(config: EnvironmentConfig, stacks: AccessStackNames): AccessPolicyProps {
  // Every ARN of a config is in homeRegion's partition (lib/config/validator.ts).
  const partition = partitionOfRegion(config.homeRegion) ?? "aws";
  const { backend, licenseManager, organization } = config;
  const lockTableArn =
    backend.locking === "dynamodb" && backend.dynamodbTable
      ? `arn:${partition}:dynamodb:${backend.region}:${config.managementAccountId}:table/${backend.dynamodbTable}`
      : undefined;
  const state = (readStacks: string[], writeStacks: string[]): StateScope => ({
    bucket: backend.bucket,
    readKeys: readStacks.map((stack) => stateKey(config, stack)),
    writeKeys: writeStacks.map((stack) => stateKey(config, stack)),
    locking: backend.locking,
    lockTableArn,
    kmsKeyArn: backend.kmsKeyArn,
    region: backend.region,
  });
  const deployed = [stacks.organization, stacks.licenseManager];
  const planned = [
    ...(backend.bootstrapStateInBackend ? [stacks.bootstrap] : []),
    stacks.access,
    ...deployed,
  ];
  return {
    partition,
    managementAccountId: config.managementAccountId,
    organizationId: organization.source === "create" ? undefined : organization.id,
    licenseManagerRegions: licenseManager.regions,
    grantedLicenseArns: [...new Set(licenseManager.grants.map((grant) => grant.licenseArn))],
    marketplaceGrants: licenseManager.grants.some((grant) => grant.marketplace),
    ...trustedAccessScope(config),
    delegatedAdministrator: licenseManager.delegatedAdministrator,
    licenseManagerTags: projectTags(
      config.environment ?? environmentName(config.sourceFile),
      stacks.licenseManager,
    ),
    reportBuckets: licenseManager.settings.reportBucketArn
      ? []
      : licenseManager.regions.map((region) => reportBucketName(config.managementAccountId, region)),
    notificationTopics: licenseManager.regions
      .filter((region) => licenseManager.settings.snsTopicArns[region] === undefined)
      .map(
        (region) => `arn:${partition}:sns:${region}:${config.managementAccountId}:${notificationTopicName}`,
      ),
    memberReadRoleName: config.access?.memberReadRoleName,
    accessResources: {
      roleArns: [config.planRoleArn, config.deployRoleArn].filter((arn): arn is string => arn !== undefined),
      oidcProviderArn:
        config.access?.oidcProviderArn ??
        `arn:${partition}:iam::${config.managementAccountId}:oidc-provider/token.actions.githubusercontent.com`,
    },
    planState: state(planned, []),
    deployState: state(deployed, deployed),
  };
}
