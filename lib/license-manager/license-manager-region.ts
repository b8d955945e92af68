import { LicensemanagerGrant } from "@cdktf/provider-aws/lib/licensemanager-grant";
import type { ITerraformDependable, Precondition, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { arnParts } from "../aws/arn";
import type { GrantConfig, LicenseConfigurationConfig, ReportConfig } from "../config/model";
import { grantPrincipalArn } from "../names/license-manager";
import { grantActivation, type DesiredGrantActivation } from "./grant-activation";
import { ReconciledResource } from "../reconcile/resource";
import { periodOf, productInformationListOf, type DesiredDiscoveryAndReports } from "./discovery";
import { discoveryAndReports } from "./discovery-and-reports";
import { LicenseConfiguration } from "./license-configuration";
import { slug } from "../names/slug";
import { NotificationTopic } from "./notification-topic";
import { ReportBucket } from "./report-bucket";
import { UnmanagedConfigurationLookup } from "./unmanaged-lookup";
import { licenseManagerSettings, type LicenseManagerSettings } from "./settings";

export interface LicenseManagerRegionProps {
  readonly region: string;
  /** The provider of the region. */
  readonly provider: TerraformProvider;
  /** The management account: the only one allowed to write reports to the bucket and publish alerts. */
  readonly managementAccountId: string;
  /** The organization whose accounts' reports the created bucket accepts. */
  readonly organizationId: string;
  /**
   * The license configurations of this region (the caller picks those that list it).
   * @default - none
   */
  readonly licenseConfigurations?: readonly LicenseConfigurationConfig[];
  /**
   * Whether License Manager discovers resources across the organization's accounts.
   * @default false
   */
  readonly crossAccountDiscovery?: boolean;
  /**
   * An existing bucket for License Manager's reports.
   * @default - a report bucket created in the region
   */
  readonly reportBucketArn?: string;
  /**
   * An existing topic in the region for License Manager's alerts.
   * @default - a notification topic created in the region
   */
  readonly snsTopicArn?: string;
  /**
   * The service-linked role and anything else License Manager needs before its first call.
   * @default - none
   */
  readonly prerequisites?: readonly ITerraformDependable[];
  /**
   * Plan-time checks the settings must pass (trusted access enabled).
   * @default - none
   */
  readonly settingsPreconditions?: readonly Precondition[];
  /**
   * The report generators of this region (the caller picks those that list it); each names configurations
   * of `licenseConfigurations`.
   * @default - none
   */
  readonly reports?: readonly ReportConfig[];
  /**
   * The project tags that mark the report generators this stack manages, put on each besides its own tags.
   * @default - none: report generators cannot be managed
   */
  readonly managedTags?: Readonly<Record<string, string>>;
  /** Tags on every report generator, under its own. @default - none */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /**
   * The grants whose home region this is (the caller picks them): one aws_licensemanager_grant per principal.
   * @default - none
   */
  readonly grants?: readonly GrantConfig[];
  /** What the grants need besides the settings (AWS Marketplace's service-linked role). @default - nothing */
  readonly grantPrerequisites?: readonly ITerraformDependable[];
  /** Plan-time checks of the grants (AWS Marketplace's trusted access). @default - none */
  readonly grantPreconditions?: readonly Precondition[];
  /** Role the reconcile CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
}

/**
 * License Manager in one region: its report bucket and alert topic (created unless existing ones are
 * configured), its settings linked to Organizations, and the license configurations of the region.
 */
export class LicenseManagerRegion extends Construct {
  readonly settings: ReconciledResource<LicenseManagerSettings>;
  readonly licenseConfigurations: LicenseConfiguration[];
  /** One per grant and principal, by `<grant name>/<principal>` as the config gives them. */
  readonly grants = new Map<string, LicensemanagerGrant>();
  /** The grants' activation; absent when the region has no grant. */
  readonly grantActivation?: ReconciledResource<DesiredGrantActivation>;
  /** The configurations' discovery rules and the report generators; absent when the region has neither. */
  readonly discoveryAndReports?: ReconciledResource<DesiredDiscoveryAndReports>;

  constructor(scope: Construct, id: string, props: LicenseManagerRegionProps) {
    super(scope, id);
    const { region, provider } = props;
    const prerequisites = [...(props.prerequisites ?? [])];

    let s3BucketArn = props.reportBucketArn;
    if (!s3BucketArn) {
      const reportBucket = new ReportBucket(this, "report-bucket", {
        provider,
        region,
        managementAccountId: props.managementAccountId,
        organizationId: props.organizationId,
      });
      s3BucketArn = reportBucket.bucket.arn;
      prerequisites.push(reportBucket.policy);
    }

    let snsTopicArn = props.snsTopicArn;
    if (!snsTopicArn) {
      const topic = new NotificationTopic(this, "notification-topic", {
        provider,
        managementAccountId: props.managementAccountId,
      });
      snsTopicArn = topic.topic.arn;
      prerequisites.push(topic.policy);
    }

    this.settings = new ReconciledResource(this, "settings", {
      kind: licenseManagerSettings,
      region,
      desired: {
        enableIntegration: true,
        enableCrossAccountsDiscovery: props.crossAccountDiscovery ?? false,
        s3BucketArn,
        snsTopicArn,
      },
      roleArn: props.roleArn,
      dependsOn: prerequisites,
      preconditions: [...(props.settingsPreconditions ?? [])],
    });

    const unmanagedLookup =
      props.managedTags && (props.licenseConfigurations ?? []).length > 0
        ? new UnmanagedConfigurationLookup(this, "unmanaged-configurations", {
            provider,
            projectTags: props.managedTags,
          })
        : undefined;
    this.licenseConfigurations = (props.licenseConfigurations ?? []).map(
      (licenseConfiguration) =>
        new LicenseConfiguration(this, `license-configuration-${slug(licenseConfiguration.name)}`, {
          provider,
          region,
          licenseConfiguration,
          dependsOn: [this.settings.resource],
          unmanagedLookup,
        }),
    );

    // Created after the settings link License Manager to Organizations, so the link accepts them for their
    // recipients (License Manager User Guide, "Grant acceptance and activation").
    const desiredGrants: DesiredGrantActivation["grants"][number][] = [];
    for (const grant of props.grants ?? []) {
      for (const principal of grant.principals) {
        const resource = new LicensemanagerGrant(this, `grant-${slug(grant.name)}-${slug(principal)}`, {
          provider,
          name: grant.name,
          licenseArn: grant.licenseArn,
          allowedOperations: [...grant.allowedOperations],
          principal: grantPrincipalArn(principal, {
            partition: arnParts(grant.licenseArn).partition,
            managementAccountId: props.managementAccountId,
            organizationId: props.organizationId,
          }),
          dependsOn: [this.settings.resource, ...(props.grantPrerequisites ?? [])],
          ...(props.grantPreconditions &&
            props.grantPreconditions.length > 0 && {
              lifecycle: { precondition: [...props.grantPreconditions] },
            }),
        });
        this.grants.set(`${grant.name}/${principal}`, resource);
        desiredGrants.push({
          name: grant.name,
          principal,
          grantArn: resource.arn,
          licenseArn: grant.licenseArn,
          activate: grant.activate,
          ...(grant.activationOverrideBehavior && {
            activationOverrideBehavior: grant.activationOverrideBehavior,
          }),
        });
      }
    }
    if (desiredGrants.length > 0) {
      this.grantActivation = new ReconciledResource(this, "grant-activation", {
        kind: grantActivation,
        region,
        desired: { grants: desiredGrants },
        roleArn: props.roleArn,
        dependsOn: [...this.grants.values()],
      });
    }

    const reports = props.reports ?? [];
    if (this.licenseConfigurations.length === 0 && reports.length === 0) return;
    const arnOf = new Map(
      this.licenseConfigurations.map((construct, index) => [
        props.licenseConfigurations![index]!.name,
        construct.configuration.arn,
      ]),
    );
    const managedTags = { ...(props.managedTags ?? {}) };
    this.discoveryAndReports = new ReconciledResource(this, "discovery-and-reports", {
      kind: discoveryAndReports,
      region,
      desired: {
        managedTags,
        discovery: (props.licenseConfigurations ?? []).map((licenseConfiguration) => ({
          name: licenseConfiguration.name,
          licenseConfigurationArn: arnOf.get(licenseConfiguration.name)!,
          productInformationList: productInformationListOf(licenseConfiguration.automatedDiscovery),
          disassociateWhenNotFound:
            licenseConfiguration.automatedDiscovery?.disassociateWhenNotFound ?? false,
        })),
        reports: reports.map((report) => ({
          name: report.name,
          types: [...report.types],
          period: periodOf(report.frequency),
          // The config check makes sure every named configuration exists in each of the report's regions.
          licenseConfigurationArns: report.licenseConfigurations.map((name) => {
            const arn = arnOf.get(name);
            if (arn === undefined)
              throw new Error(`report ${report.name}: no license configuration ${name} in ${region}`);
            return arn;
          }),
          ...(report.description !== undefined && { description: report.description }),
          tags: { ...(props.defaultTags ?? {}), ...report.tags, ...managedTags },
        })),
      },
      roleArn: props.roleArn,
      dependsOn: [this.settings.resource],
    });
  }
}
