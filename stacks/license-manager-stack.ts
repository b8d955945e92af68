import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { useRemoteState } from "../lib/backend/remote-state";
import type { EnvironmentConfig } from "../lib/config/model";
import {
  licenseManagerPrincipals,
  marketplaceLicenseManagementPrincipal,
  marketplaceLicenseManagementRoleName,
} from "../lib/names/license-manager";
import { LicenseManagerRegion } from "../lib/license-manager/license-manager-region";
import { LicenseManagerServiceLinkedRole } from "../lib/license-manager/service-linked-role";
import { addAwsProvider } from "../lib/providers/aws-provider";
import { environmentName, projectTags } from "../lib/names/project-tags";
import { stackNames } from "../lib/names/stacks";
import { awsProviderProps, remoteStateProps } from "./construct-props";
import type { StackOptions } from "./stack-options";

/**
 * License Manager linked to the organization: its service-linked role, then, in every configured region,
 * its settings (integration with Organizations, cross-account discovery, report bucket, alert topic)
 * and the license configurations with their AMI associations.
 */
export class LicenseManagerStack extends TerraformStack {
  readonly regions: LicenseManagerRegion[];

  constructor(scope: Construct, config: EnvironmentConfig, options: StackOptions = {}) {
    super(scope, stackNames.licenseManager);
    useRemoteState(this, remoteStateProps(config, stackNames.licenseManager, options.roleArn));
    addAwsProvider(
      this,
      "aws",
      awsProviderProps(config, {
        region: config.homeRegion,
        stack: stackNames.licenseManager,
        roleArn: options.roleArn,
      }),
    );

    const organization = new DataAwsOrganizationsOrganization(this, "organization", {});
    const serviceLinkedRole = new LicenseManagerServiceLinkedRole(this, "service-linked-role");

    // Settings fail at apply without trusted access; say so at plan time, naming what to deploy first.
    const disabledOnPurpose = (principal: string) =>
      config.organization.source === "external" &&
      config.organization.principalsAllowedToBeRemoved.includes(principal);
    const trustedAccess = licenseManagerPrincipals.map((principal) => ({
      condition: Fn.contains(organization.awsServiceAccessPrincipals, principal),
      errorMessage: disabledOnPurpose(principal)
        ? `Trusted access for ${principal} is not enabled in the organization, and organization.principalsAllowedToBeRemoved ` +
          `in ${config.sourceFile} disables it (a tear-down): remove it from there and deploy the ${stackNames.organization} ` +
          `stack to use License Manager, or destroy the ${stackNames.licenseManager} stack first.`
        : `Trusted access for ${principal} is not enabled in the organization. Deploy the ` +
          `${stackNames.organization} stack first (npx cdktf deploy ${stackNames.organization}): it enables ` +
          "trusted access, and restores it if it was disabled outside Terraform.",
    }));

    const { licenseManager } = config;
    // Sharing AWS Marketplace licenses needs AWS Marketplace's service-linked role and trusted access (the
    // organization stack enables it): created here, and checked at plan time like License Manager's.
    const marketplace = licenseManager.grants.some((grant) => grant.marketplace);
    const marketplaceRole = marketplace
      ? new LicenseManagerServiceLinkedRole(this, "marketplace-service-linked-role", {
          servicePrincipal: marketplaceLicenseManagementPrincipal,
          roleName: marketplaceLicenseManagementRoleName,
        })
      : undefined;
    const grantPreconditions = marketplace
      ? [
          {
            condition: Fn.contains(
              organization.awsServiceAccessPrincipals,
              marketplaceLicenseManagementPrincipal,
            ),
            errorMessage:
              `Trusted access for ${marketplaceLicenseManagementPrincipal} is not enabled in the organization, and ` +
              `licenseManager.grants in ${config.sourceFile} shares AWS Marketplace licenses. Deploy the ` +
              `${stackNames.organization} stack first (npx cdktf deploy ${stackNames.organization}): it enables it.`,
          },
        ]
      : [];
    this.regions = licenseManager.regions.map(
      (region) =>
        new LicenseManagerRegion(this, region, {
          region,
          provider: addAwsProvider(
            this,
            `aws-${region}`,
            awsProviderProps(config, {
              region,
              alias: region,
              stack: stackNames.licenseManager,
              roleArn: options.roleArn,
            }),
          ),
          managementAccountId: config.managementAccountId,
          organizationId: organization.id,
          licenseConfigurations: licenseManager.licenseConfigurations.filter((licenseConfiguration) =>
            licenseConfiguration.regions.includes(region),
          ),
          reports: licenseManager.reports.filter((report) => report.regions.includes(region)),
          grants: licenseManager.grants.filter((grant) => grant.homeRegion === region),
          grantPrerequisites: marketplaceRole ? [marketplaceRole.role] : [],
          grantPreconditions,
          managedTags: projectTags(
            config.environment ?? environmentName(config.sourceFile),
            stackNames.licenseManager,
          ),
          defaultTags: config.defaultTags,
          crossAccountDiscovery: licenseManager.settings.crossAccountDiscovery,
          reportBucketArn: licenseManager.settings.reportBucketArn,
          snsTopicArn: licenseManager.settings.snsTopicArns[region],
          prerequisites: [serviceLinkedRole.role],
          settingsPreconditions: trustedAccess,
          roleArn: options.roleArn,
        }),
    );

    new TerraformOutput(this, "service_linked_role_arn", { value: serviceLinkedRole.role.arn });
    for (const licenseManagerRegion of this.regions) {
      for (const licenseConfiguration of licenseManagerRegion.licenseConfigurations) {
        new TerraformOutput(licenseConfiguration, "arn", { value: licenseConfiguration.configuration.arn });
      }
    }
  }
}
