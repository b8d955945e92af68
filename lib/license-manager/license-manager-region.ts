import type { ITerraformDependable, Precondition, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/model";
import { LicenseConfiguration } from "./license-configuration";
import { slug } from "../names/slug";
import { NotificationTopic } from "./notification-topic";
import { ReportBucket } from "./report-bucket";
import { LicenseManagerSettingsResource } from "./settings-resource";

export interface LicenseManagerRegionProps {
  readonly config: EnvironmentConfig;
  readonly region: string;
  readonly provider: TerraformProvider;
  readonly organizationId: string;
  /** The service-linked role and anything else License Manager needs before its first call. */
  readonly prerequisites: ITerraformDependable[];
  /** Plan-time checks the settings must pass (trusted access enabled). */
  readonly settingsPreconditions: Precondition[];
  /** Role the settings CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
}

/**
 * License Manager in one region: its report bucket and alert topic (created unless existing ones are
 * configured), its settings linked to Organizations, and the license configurations of the region.
 */
export class LicenseManagerRegion extends Construct {
  readonly settings: LicenseManagerSettingsResource;
  readonly licenseConfigurations: LicenseConfiguration[];

  constructor(scope: Construct, id: string, props: LicenseManagerRegionProps) {
    super(scope, id);
    const { config, region, provider } = props;
    const { settings } = config.licenseManager;
    const prerequisites = [...props.prerequisites];

    let s3BucketArn = settings.reportBucketArn;
    if (!s3BucketArn) {
      const reportBucket = new ReportBucket(this, "report-bucket", {
        provider,
        region,
        managementAccountId: config.managementAccountId,
        organizationId: props.organizationId,
      });
      s3BucketArn = reportBucket.bucket.arn;
      prerequisites.push(reportBucket.policy);
    }

    let snsTopicArn = settings.snsTopicArns[region];
    if (!snsTopicArn) {
      const topic = new NotificationTopic(this, "notification-topic", {
        provider,
        managementAccountId: config.managementAccountId,
      });
      snsTopicArn = topic.topic.arn;
      prerequisites.push(topic.policy);
    }

    this.settings = new LicenseManagerSettingsResource(this, "settings", {
      settings: {
        region,
        enableIntegration: true,
        enableCrossAccountsDiscovery: settings.crossAccountDiscovery,
        s3BucketArn,
        snsTopicArn,
      },
      roleArn: props.roleArn,
      dependsOn: prerequisites,
      preconditions: props.settingsPreconditions,
    });

    this.licenseConfigurations = config.licenseManager.licenseConfigurations
      .filter((licenseConfiguration) => licenseConfiguration.regions.includes(region))
      .map(
        (licenseConfiguration) =>
          new LicenseConfiguration(this, `license-configuration-${slug(licenseConfiguration.name)}`, {
            provider,
            region,
            licenseConfiguration,
            dependsOn: [this.settings.resource],
          }),
      );
  }
}
