import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";
import { TerraformOutput, TerraformStack, type ITerraformDependable } from "cdktf";
import type { Construct, Node } from "constructs";
import { useRemoteState } from "../lib/backend/remote-state";
import type { EnvironmentConfig } from "../lib/config/model";
import { licenseManagerPrincipal, projectPrincipals } from "../lib/names/license-manager";
import { ExternalOrganization } from "../lib/organization/external-organization";
import { Organization } from "../lib/organization/organization";
import { projectTrustedAccess } from "../lib/organization/trusted-access";
import { addAwsProvider } from "../lib/providers/aws-provider";
import { stackNames } from "../lib/names/stacks";
import { awsProviderProps, remoteStateProps } from "./construct-props";
import type { StackOptions } from "./stack-options";

/** Construct ids of the organization resource (`source: import` or `create`): part of its Terraform address. */
const organizationIds = ["organization", "organization"] as const;

/**
 * The organization in the home region with License Manager's trusted access, guarded against disabling
 * anything else, and License Manager's delegated administrator. With `source: external`, the organization
 * belongs to another owner: only License Manager's principals are enabled, one by one.
 */
export class OrganizationStack extends TerraformStack {
  readonly organization?: Organization;
  readonly external?: ExternalOrganization;

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
    let trustedAccess: ITerraformDependable;
    if (organization.source === "external") {
      this.external = new ExternalOrganization(this, "organization", {
        region: config.homeRegion,
        organizationId: organization.id!,
        managementAccountId: config.managementAccountId,
        principals: projectTrustedAccess(
          projectPrincipals(config.licenseManager.grants),
          organization.principalsAllowedToBeRemoved,
        ),
        roleArn: options.roleArn,
        configFile: config.sourceFile,
        importedAddress: `aws_organizations_organization.${this.importedOrganizationLogicalId()}`,
      });
      trustedAccess = this.external.trustedAccess.resource;
      new TerraformOutput(this, "organization_id", { value: this.external.live.id });
    } else {
      this.organization = new Organization(this, organizationIds[0], {
        source: organization.source,
        organizationId: organization.id,
        serviceAccessPrincipals: [
          ...organization.serviceAccessPrincipals,
          ...projectPrincipals(config.licenseManager.grants),
        ],
        enabledPolicyTypes: organization.enabledPolicyTypes,
        principalsAllowedToBeRemoved: organization.principalsAllowedToBeRemoved,
        configFile: config.sourceFile,
      });
      trustedAccess = this.organization.organization;
      new TerraformOutput(this, "organization_id", { value: this.organization.organization.id });
      new TerraformOutput(this, "service_access_principals", {
        value: this.organization.organization.awsServiceAccessPrincipals,
      });
    }

    const administrator = config.licenseManager.delegatedAdministrator;
    if (administrator) {
      // Registration needs trusted access first, and must be undone before trusted access is disabled:
      // depending on the organization orders both.
      new OrganizationsDelegatedAdministrator(this, "license-manager-delegated-administrator", {
        accountId: administrator,
        servicePrincipal: licenseManagerPrincipal,
        dependsOn: [trustedAccess],
      });
    }
  }

  /** The logical id the organization resource has with `source: import`, computed as cdktf computes it. */
  private importedOrganizationLogicalId(): string {
    const scopes = [this, ...organizationIds.map((id) => ({ node: { id } }))];
    return this.allocateLogicalId({ scopes } as unknown as Node);
  }
}
