import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { Fn, Op, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { ReconciledResource } from "../reconcile/resource";
import { trustedAccess, type DesiredTrustedAccess } from "./trusted-access";

interface ExternalOrganizationProps {
  /** Where Organizations is called (its endpoint is global; the home region). */
  readonly region: string;
  /** The organization the config names; the plan fails when the credentials reach another one. */
  readonly organizationId: string;
  /** Its management account: only it reads and writes trusted access; the plan fails with another account. */
  readonly managementAccountId: string;
  /** License Manager's principals to enable, and those the config asks to disable. */
  readonly principals: DesiredTrustedAccess;
  /** Role the reconcile CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
  /** Named in the plan's messages so the reader knows which file to edit. */
  readonly configFile: string;
  /**
   * The address the organization resource has with `source: import`. A `removed` block forgets it without
   * destroying anything, so switching a deployed stack from import to external disables nothing.
   */
  readonly importedAddress: string;
}

/**
 * An organization that something else owns (Control Tower, LZA, AFT, another Terraform state): never imported,
 * never written, never read into this project's state as a resource. The plan reads it through the data source
 * and checks it is the configured one, with all features; License Manager's principals are enabled one by one
 * (trusted-access.ts). When the data source shows one of them changed outside Terraform, the plan replaces the
 * reconciled resource, so `cdktf deploy` puts it back.
 */
export class ExternalOrganization extends Construct {
  readonly live: DataAwsOrganizationsOrganization;
  readonly trustedAccess: ReconciledResource<DesiredTrustedAccess>;

  constructor(scope: Construct, id: string, props: ExternalOrganizationProps) {
    super(scope, id);
    this.live = new DataAwsOrganizationsOrganization(this, "live", {
      lifecycle: {
        postcondition: [
          {
            condition: '${self.feature_set == "ALL"}',
            errorMessage:
              "The organization does not have all features enabled (feature set ${self.feature_set}). " +
              "License Manager's integration with Organizations, trusted access and delegated administrators need " +
              'them: enable all features in the organization (AWS Organizations User Guide, "Enabling all features"), then plan again.',
          },
          {
            condition: `\${self.master_account_id == "${props.managementAccountId}"}`,
            errorMessage:
              `The credentials are not the management account ${props.managementAccountId} (managementAccountId in ${props.configFile}) ` +
              `of organization \${self.id}, whose management account is \${self.master_account_id}: only the management ` +
              "account can read and enable trusted access. Run with its credentials or the deploy role in it.",
          },
          {
            condition: `\${self.id == "${props.organizationId}"}`,
            errorMessage:
              `The credentials reach organization \${self.id}, but organization.id in ${props.configFile} ` +
              `is ${props.organizationId}. Run with the management account of ${props.organizationId}, or correct organization.id.`,
          },
        ],
      },
    });

    const enabled = (principal: string) => Fn.contains(this.live.awsServiceAccessPrincipals, principal);
    const checks = [
      ...props.principals.enable.map(enabled),
      ...props.principals.disable.map((principal) => Op.not(enabled(principal))),
    ];
    this.trustedAccess = new ReconciledResource(this, "trusted-access", {
      kind: trustedAccess,
      region: props.region,
      desired: props.principals,
      roleArn: props.roleArn,
      liveInSync: Fn.alltrue(checks),
    });

    TerraformStack.of(this).addOverride("removed", [
      { from: props.importedAddress, lifecycle: { destroy: false } },
    ]);
  }
}
