import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { Fn, Op, type Precondition } from "cdktf";
import { Construct } from "constructs";

interface RemovalGuardProps {
  /** The principals the organization resource will hold after the apply. */
  readonly desiredPrincipals: readonly string[];
  /** Principals that may be disabled by this apply. */
  readonly principalsAllowedToBeRemoved: readonly string[];
  /** The policy types the organization resource will hold after the apply. */
  readonly desiredPolicyTypes: readonly string[];
  /** Named in the messages so the reader knows which file to edit. */
  readonly configFile: string;
}

/**
 * Reads the organization as it is now and yields plan-time preconditions that fail when the apply would
 * disable a trusted-access principal or a policy type that is enabled now and not allowed to go.
 * Organizations treats both lists of aws_organizations_organization as authoritative: anything missing
 * from them is disabled on apply, which cuts the affected service off from the whole organization.
 */
export class RemovalGuard extends Construct {
  readonly live: DataAwsOrganizationsOrganization;
  readonly preconditions: Precondition[];

  constructor(scope: Construct, id: string, props: RemovalGuardProps) {
    super(scope, id);
    // No dependency on managed resources, so Terraform reads it during plan, before any change.
    this.live = new DataAwsOrganizationsOrganization(this, "live", {});

    const principalsToBeDisabled = Fn.sort(
      Fn.setsubtract(this.live.awsServiceAccessPrincipals, [
        ...props.desiredPrincipals,
        ...props.principalsAllowedToBeRemoved,
      ]),
    );
    const policyTypesToBeDisabled = Fn.sort(
      Fn.setsubtract(this.live.enabledPolicyTypes, [...props.desiredPolicyTypes]),
    );

    this.preconditions = [
      {
        // Op.eq(x, 0) renders `== undefined` in cdktf 0.21: compare with 1 instead.
        condition: Op.lt(Fn.lengthOf(principalsToBeDisabled), 1),
        errorMessage:
          `Removal guard: this apply would disable trusted access for ${Fn.join(", ", principalsToBeDisabled)}, ` +
          `enabled in the organization now but missing from organization.serviceAccessPrincipals in ${props.configFile}. ` +
          "Organizations treats the list as authoritative, and a disabled principal cuts that service off from " +
          "every account. To keep them, add them to organization.serviceAccessPrincipals. To disable them on " +
          "purpose, list them in organization.principalsAllowedToBeRemoved, then plan again.",
      },
      {
        condition: Op.lt(Fn.lengthOf(policyTypesToBeDisabled), 1),
        errorMessage:
          `Removal guard: this apply would disable the policy types ${Fn.join(", ", policyTypesToBeDisabled)}, ` +
          `enabled on the organization's root now but missing from organization.enabledPolicyTypes in ${props.configFile}. ` +
          "Disabling a policy type detaches every policy of that type from every account. " +
          "Add them to organization.enabledPolicyTypes, then plan again.",
      },
    ];
  }
}
