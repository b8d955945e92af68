import { DataAwsIamRoles } from "@cdktf/provider-aws/lib/data-aws-iam-roles";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { licenseManagerPrincipal, serviceLinkedRoleNames } from "../names/license-manager";

/**
 * AWSServiceRoleForAWSLicenseManagerRole, which License Manager calls fail without. License Manager
 * creates it on first use, so it may exist already: then it is imported (adopted) instead of created,
 * which would fail with "has been taken in this account".
 */
export class LicenseManagerServiceLinkedRole extends Construct {
  readonly role: IamServiceLinkedRole;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Read during plan; zero or one ARN.
    const existing = new DataAwsIamRoles(this, "existing", {
      pathPrefix: `/aws-service-role/${licenseManagerPrincipal}/`,
      nameRegex: `^${serviceLinkedRoleNames.licenseManager}$`,
    });
    this.role = new IamServiceLinkedRole(this, "role", { awsServiceName: licenseManagerPrincipal });

    // An import block with for_each (Terraform 1.7+) imports only when the role exists; once the role
    // is in state the block is a no-op. cdktf's importFrom cannot express for_each.
    TerraformStack.of(this).addOverride("import", [
      {
        for_each: `\${data.${existing.terraformResourceType}.${existing.friendlyUniqueId}.arns}`,
        to: `${this.role.terraformResourceType}.${this.role.friendlyUniqueId}`,
        id: "${each.value}",
      },
    ]);
  }
}
