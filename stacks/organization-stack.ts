import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { useRemoteState } from "../lib/backend/remote-state";
import type { EnvironmentConfig } from "../lib/config/model";
import { licenseManagerPrincipals } from "../lib/names/license-manager";
import { Organization } from "../lib/organization/organization";
import { addAwsProvider } from "../lib/providers/aws-provider";
import { stackNames } from "../lib/names/stacks";
import { awsProviderProps, remoteStateProps } from "./construct-props";
import type { StackOptions } from "./stack-options";

/**
 * The organization in the home region with License Manager's trusted access, guarded against disabling
 * anything else, and License Manager's delegated administrator.
 */
export class OrganizationStack extends TerraformStack {
  readonly organization: Organization;

  constructor(scope: Construct, config: EnvironmentConfig, options: StackOptions = {}) {
    super(scope, stackNames.organization);
    useRemoteState(this, remoteStateProps(config, stackNames.organization, options.roleArn));
    addAwsProvider(
      this,
      "aws",
      awsProviderProps(config, {
        region: config.homeRegion,
        stack: stackNames.organization,
        roleArn: options.roleArn,
      }),
    );

    const { organization } = config;
    this.organization = new Organization(this, "organization", {
      source: organization.source,
      organizationId: organization.id,
      serviceAccessPrincipals: [...organization.serviceAccessPrincipals, ...licenseManagerPrincipals],
      enabledPolicyTypes: organization.enabledPolicyTypes,
      principalsAllowedToBeRemoved: organization.principalsAllowedToBeRemoved,
      configFile: config.sourceFile,
    });

    const administrator = config.licenseManager.delegatedAdministrator;
    if (administrator) {
      // Registration needs trusted access first, and must be undone before trusted access is disabled:
      // depending on the organization orders both.
      new OrganizationsDelegatedAdministrator(this, "license-manager-delegated-administrator", {
        accountId: administrator,
        servicePrincipal: "license-manager.amazonaws.com",
        dependsOn: [this.organization.organization],
      });
    }

    new TerraformOutput(this, "organization_id", { value: this.organization.organization.id });
    new TerraformOutput(this, "service_access_principals", {
      value: this.organization.organization.awsServiceAccessPrincipals,
    });
  }
}
