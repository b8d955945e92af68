import { LicensemanagerAssociation } from "@cdktf/provider-aws/lib/licensemanager-association";
import { LicensemanagerLicenseConfiguration } from "@cdktf/provider-aws/lib/licensemanager-license-configuration";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { LicenseConfigurationConfig } from "../config/model";
import { projectTagKeys } from "../names/project-tags";
import { toLicenseRuleStrings } from "./license-rule-strings";
import type { UnmanagedConfigurationLookup } from "./unmanaged-lookup";

interface LicenseConfigurationProps {
  readonly provider: TerraformProvider;
  readonly region: string;
  readonly licenseConfiguration: LicenseConfigurationConfig;
  /** License Manager must be set up in the region first. */
  readonly dependsOn: ITerraformDependable[];
  /**
   * The region's lookup of the stack's tagged configurations that no state holds: the apply adopts one of this
   * name instead of creating a second.
   * @default - none: an interrupted apply's configurations are created again unless `npm run adopt` runs first
   */
  readonly unmanagedLookup?: UnmanagedConfigurationLookup;
}

/** An AMI given by id becomes the ARN License Manager associates: AMI ARNs carry no account. */
function amiArn(region: string, ami: string): string {
  return ami.startsWith("arn:") ? ami : `arn:aws:ec2:${region}::image/${ami}`;
}

/**
 * One license configuration in one region, with its AMI associations. Changing the counting type or
 * the rules replaces the configuration (ForceNew), which drops its associations: Terraform then
 * recreates them, since they reference the configuration's ARN.
 */
export class LicenseConfiguration extends Construct {
  readonly configuration: LicensemanagerLicenseConfiguration;
  readonly associations: LicensemanagerAssociation[];

  constructor(scope: Construct, id: string, props: LicenseConfigurationProps) {
    super(scope, id);
    const config = props.licenseConfiguration;
    const rules = toLicenseRuleStrings(config.licenseCountingType, config.rules);

    this.configuration = new LicensemanagerLicenseConfiguration(this, "configuration", {
      provider: props.provider,
      name: config.name,
      description: config.description,
      licenseCountingType: config.licenseCountingType,
      licenseCount: config.licenseCount,
      licenseCountHardLimit: config.hardLimit,
      licenseRules: rules.length > 0 ? rules : undefined,
      // The name tag last: it is how the plan-time lookup maps a live configuration to this one.
      tags: { ...config.tags, [projectTagKeys.name]: config.name },
      dependsOn: props.dependsOn,
    });
    props.unmanagedLookup?.adoptInto(this.configuration, config.name);

    // Each read of `.arn` creates a new token, and cdktf captures a full stack trace for every token it
    // creates: one read per configuration, not one per association (with 10 AMIs each, those traces were a
    // fifth of synthesis time and ~30 MB at 1,000 configurations).
    const licenseConfigurationArn = this.configuration.arn;
    this.associations = (config.associatedAmis[props.region] ?? []).map(
      (ami) =>
        new LicensemanagerAssociation(this, `association-${ami.split("/").pop()}`, {
          provider: props.provider,
          licenseConfigurationArn,
          resourceArn: amiArn(props.region, ami),
        }),
    );
  }
}
