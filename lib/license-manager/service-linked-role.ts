import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { licenseManagerPrincipal, serviceLinkedRoleNames } from "../names/license-manager";

const importBlocks = new WeakMap<TerraformStack, object[]>();

interface ServiceLinkedRoleProps {
  /** @default "license-manager.amazonaws.com" */
  readonly servicePrincipal?: string;
  /** The name AWS gives the role. @default "AWSServiceRoleForAWSLicenseManagerRole" */
  readonly roleName?: string;
}

/**
 * AWSServiceRoleForAWSLicenseManagerRole, which License Manager calls fail without (or another service's role,
 * AWS Marketplace's for grants). The service creates it on first use, so it may exist already: then it is
 * imported (adopted) instead of created, which would fail with "has been taken in this account".
 */
export class LicenseManagerServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;

  constructor(scope: Construct, id: string, props: ServiceLinkedRoleProps = {}) {
    super(scope, id);
    const servicePrincipal = props.servicePrincipal ?? licenseManagerPrincipal;
    const roleName = props.roleName ?? serviceLinkedRoleNames.licenseManager;
    // Read during plan; zero or one ARN.
    const existing = new DataAwsIamRoles(this, "existing", {
      pathPrefix: `/aws-service-role/${servicePrincipal}/`,
      nameRegex: `^${roleName}$`,
    });
    this.role = new IamServiceLinkedRole(this, "role", { awsServiceName: servicePrincipal });

    // An import block with for_each (Terraform 1.7+) imports only when the role exists; once the role
    // is in state the block is a no-op. cdktf's importFrom cannot express for_each.
    // The override replaces the stack's whole import list: each role's block joins those of the roles before it.
    const stack = TerraformStack.of(this);
    const blocks = importBlocks.get(stack) ?? [];
    blocks.push({
      for_each: `\${data.${existing.terraformResourceType}.${existing.friendlyUniqueId}.arns}`,
      to: `${this.role.terraformResourceType}.${this.role.friendlyUniqueId}`,
      id: "${each.value}",
    });
    importBlocks.set(stack, blocks);
    stack.addOverride("import", [...blocks]);
  }
}
