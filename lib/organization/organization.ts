import { OrganizationsOrganization } from "@cdktf/provider-aws/lib/organizations-organization";
import { Construct } from "constructs";
import { RemovalGuard } from "./removal-guard";

interface OrganizationProps {
  /** `import` adopts an existing organization; `create` creates one. */
  readonly source: "import" | "create";
  /**
   * The existing organization's id; required with `source: import`.
   * @default - none (an organization created here gets its id from AWS)
   */
  readonly organizationId?: string;
  /** Every principal that must have trusted access after the apply. */
  readonly serviceAccessPrincipals: readonly string[];
  readonly enabledPolicyTypes: readonly string[];
  readonly principalsAllowedToBeRemoved: readonly string[];
  /** Named in the removal guard's messages so the reader knows which file to edit. */
  readonly configFile: string;
}

/**
 * The organization with all features and the trusted-access principals, never destroyed by Terraform.
 * An imported organization is guarded against losing principals or policy types that are enabled now;
 * a created one has nothing to lose on its first apply (once it exists, switch the config to import).
 */
export class Organization extends Construct {
  readonly organization: OrganizationsOrganization;
  readonly guard?: RemovalGuard;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    const principals = [...new Set(props.serviceAccessPrincipals)].sort();
    const policyTypes = [...new Set(props.enabledPolicyTypes)].sort();

    if (props.source === "import") {
      this.guard = new RemovalGuard(this, "removal-guard", {
        desiredPrincipals: principals,
        desiredPolicyTypes: policyTypes,
        principalsAllowedToBeRemoved: props.principalsAllowedToBeRemoved,
        configFile: props.configFile,
      });
    }

    this.organization = new OrganizationsOrganization(this, "organization", {
      featureSet: "ALL",
      awsServiceAccessPrincipals: principals,
      enabledPolicyTypes: policyTypes,
      lifecycle: {
        preventDestroy: true,
        precondition: this.guard?.preconditions,
      },
    });

    if (props.source === "import") {
      if (!props.organizationId)
        throw new Error("Organization: organizationId is required with source: import");
      this.organization.importFrom(props.organizationId);
    }
  }
}
