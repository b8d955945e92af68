/**
 * Rules that span several parts of the config file. Each rule is one small function that pushes
 * `{ path, message }` for every violation; `validateConfig` runs them all.
 */
import { slug } from "../license-manager/slug";
import type { ParsedConfig } from "./schema";

export interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Rule = (config: ParsedConfig, issues: ConfigIssue[]) => void;

const arnField = (arn: string, index: number) => arn.split(":")[index];

const deployRoleIsInManagementAccount: Rule = (config, issues) => {
  if (config.deployRoleArn && arnField(config.deployRoleArn, 4) !== config.managementAccountId) {
    issues.push({
      path: ["deployRoleArn"],
      message: `expected a role in the management account ${config.managementAccountId}`,
    });
  }
};

const membersAreNotTheManagementAccount: Rule = (config, issues) => {
  config.organization.memberAccounts.forEach((account, index) => {
    if (account.id === config.managementAccountId) {
      issues.push({
        path: ["organization", "memberAccounts", index, "id"],
        message: "is the management account; list member accounts only",
      });
    }
  });
};

const delegatedAdministratorIsAListedMember: Rule = (config, issues) => {
  const administrator = config.licenseManager.delegatedAdministrator;
  if (administrator === undefined) return;
  const members = config.organization.memberAccounts.map((account) => account.id);
  if (!members.includes(administrator)) {
    issues.push({
      path: ["licenseManager", "delegatedAdministrator"],
      message:
        administrator === config.managementAccountId
          ? "the management account cannot be its own delegated administrator; name a member account"
          : `expected a member account listed in organization.memberAccounts (${members.join(", ") || "none listed"})`,
    });
  }
};

function licenseManagerRegions(config: ParsedConfig): readonly string[] {
  return config.licenseManager.regions ?? [config.homeRegion];
}

const licenseConfigurationRegionsAreManaged: Rule = (config, issues) => {
  const managed = licenseManagerRegions(config);
  config.licenseManager.licenseConfigurations.forEach((licenseConfig, index) => {
    const path = ["licenseManager", "licenseConfigurations", index];
    licenseConfig.regions?.forEach((region, regionIndex) => {
      if (!managed.includes(region)) {
        issues.push({
          path: [...path, "regions", regionIndex],
          message: `expected one of licenseManager.regions (${managed.join(", ")})`,
        });
      }
    });
    const regions = licenseConfig.regions ?? managed;
    for (const [region, amis] of Object.entries(licenseConfig.associatedAmis)) {
      if (!regions.includes(region)) {
        issues.push({
          path: [...path, "associatedAmis", region],
          message: `the configuration is not created in this region; expected one of ${regions.join(", ")}`,
        });
      }
      amis.forEach((ami, amiIndex) => {
        if (ami.startsWith("arn:") && arnField(ami, 3) !== region) {
          issues.push({
            path: [...path, "associatedAmis", region, amiIndex],
            message: `the AMI ARN names region ${arnField(ami, 3)}; AMIs are regional, list it under that region`,
          });
        }
      });
    }
  });
};

const snsTopicsMatchTheirRegion: Rule = (config, issues) => {
  const managed = licenseManagerRegions(config);
  for (const [region, topicArn] of Object.entries(config.licenseManager.settings.snsTopicArns)) {
    const path = ["licenseManager", "settings", "snsTopicArns", region];
    if (!managed.includes(region)) {
      issues.push({ path, message: `expected one of licenseManager.regions (${managed.join(", ")})` });
    } else if (arnField(topicArn, 3) !== region) {
      issues.push({ path, message: `expected a topic in ${region}; License Manager settings are regional` });
    }
  }
};

// License Manager only writes to buckets whose name starts with this prefix (License Manager user guide, Settings).
export const reportBucketPrefix = "aws-license-manager-service-";

const reportBucketHasLicenseManagerPrefix: Rule = (config, issues) => {
  const arn = config.licenseManager.settings.reportBucketArn;
  if (arn && !arnField(arn, 5).startsWith(reportBucketPrefix)) {
    issues.push({
      path: ["licenseManager", "settings", "reportBucketArn"],
      message: `expected a bucket whose name starts with ${reportBucketPrefix}`,
    });
  }
};

const kmsKeyIsInBackendRegion: Rule = (config, issues) => {
  const { kmsKeyArn } = config.backend;
  const backendRegion = config.backend.region ?? config.homeRegion;
  if (kmsKeyArn && arnField(kmsKeyArn, 3) !== backendRegion) {
    issues.push({
      path: ["backend", "kmsKeyArn"],
      message: `expected a key in the backend's region ${backendRegion}; S3 and DynamoDB use keys of their own region`,
    });
  }
};

// Names become construct ids and so Terraform addresses: "SQL Server" and "sql-server" would collide.
const licenseConfigurationNamesStayDistinct: Rule = (config, issues) => {
  const seen = new Map<string, string>();
  config.licenseManager.licenseConfigurations.forEach((licenseConfig, index) => {
    const key = slug(licenseConfig.name);
    const earlier = seen.get(key);
    if (earlier !== undefined && earlier !== licenseConfig.name) {
      issues.push({
        path: ["licenseManager", "licenseConfigurations", index, "name"],
        message: `differs from "${earlier}" only in case or punctuation; both would get the Terraform address "${key}"`,
      });
    }
    seen.set(key, licenseConfig.name);
  });
};

const rules: readonly Rule[] = [
  deployRoleIsInManagementAccount,
  membersAreNotTheManagementAccount,
  delegatedAdministratorIsAListedMember,
  licenseConfigurationRegionsAreManaged,
  snsTopicsMatchTheirRegion,
  reportBucketHasLicenseManagerPrefix,
  kmsKeyIsInBackendRegion,
  licenseConfigurationNamesStayDistinct,
];

export function validateConfig(config: ParsedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const rule of rules) rule(config, issues);
  return issues;
}
