/**
 * Rules that span several parts of the config file. Each rule is one small function that pushes
 * `{ path, message }` for every violation; `validateConfig` runs them all.
 */
import { slug } from "../license-manager/slug";
import type { ZodTypeAny } from "zod";
import {
  accountId,
  amiReference,
  githubOidcProviderArn,
  kmsKeyArn,
  region,
  roleArn,
  s3BucketArn,
  snsTopicArn,
} from "./formats";
import type { ParsedConfig } from "./schema";

export interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Rule = (config: ParsedConfig, issues: ConfigIssue[]) => void;

/**
 * Rules also run when some fields failed their format check (so one run reports as much as it can);
 * a rule only judges values of the right format, which have been reported otherwise.
 */
const wellFormed = (format: ZodTypeAny, value: unknown): value is string => format.safeParse(value).success;

const arnField = (arn: string, index: number) => arn.split(":")[index];

const rolesAreInManagementAccount: Rule = (config, issues) => {
  const { managementAccountId } = config;
  if (!wellFormed(accountId, managementAccountId)) return;
  for (const key of ["deployRoleArn", "planRoleArn"] as const) {
    const arn = config[key];
    if (wellFormed(roleArn, arn) && arnField(arn, 4) !== managementAccountId) {
      issues.push({
        path: [key],
        message: `expected a role in the management account ${managementAccountId}`,
      });
    }
  }
  const provider = config.access?.oidcProviderArn;
  if (wellFormed(githubOidcProviderArn, provider) && arnField(provider, 4) !== managementAccountId) {
    issues.push({
      path: ["access", "oidcProviderArn"],
      message: `expected the provider in the management account ${managementAccountId}`,
    });
  }
};

// The access stack creates the two roles that the other stacks assume: it needs both names.
const accessNamesBothRoles: Rule = (config, issues) => {
  if (config.access === undefined) return;
  for (const key of ["deployRoleArn", "planRoleArn"] as const) {
    if (config[key] === undefined) {
      issues.push({
        path: [key],
        message:
          "required with access: the access stack creates this role (e.g. arn:aws:iam::<account>:role/<name>)",
      });
    }
  }
  if (wellFormed(roleArn, config.deployRoleArn) && config.deployRoleArn === config.planRoleArn) {
    issues.push({ path: ["planRoleArn"], message: "expected a role other than deployRoleArn" });
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
  if (!wellFormed(accountId, administrator)) return;
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
    licenseConfig.regions?.forEach((configRegion, regionIndex) => {
      if (wellFormed(region, configRegion) && !managed.includes(configRegion)) {
        issues.push({
          path: [...path, "regions", regionIndex],
          message: `expected one of licenseManager.regions (${managed.join(", ")})`,
        });
      }
    });
    const regions = licenseConfig.regions ?? managed;
    for (const [amiRegion, amis] of Object.entries(licenseConfig.associatedAmis)) {
      if (wellFormed(region, amiRegion) && !regions.includes(amiRegion)) {
        issues.push({
          path: [...path, "associatedAmis", amiRegion],
          message: `the configuration is not created in this region; expected one of ${regions.join(", ")}`,
        });
      }
      amis.forEach((ami, amiIndex) => {
        if (wellFormed(amiReference, ami) && ami.startsWith("arn:") && arnField(ami, 3) !== amiRegion) {
          issues.push({
            path: [...path, "associatedAmis", amiRegion, amiIndex],
            message: `the AMI ARN names region ${arnField(ami, 3)}; AMIs are regional, list it under that region`,
          });
        }
      });
    }
  });
};

const snsTopicsMatchTheirRegion: Rule = (config, issues) => {
  const managed = licenseManagerRegions(config);
  for (const [topicRegion, topicArn] of Object.entries(config.licenseManager.settings.snsTopicArns)) {
    const path = ["licenseManager", "settings", "snsTopicArns", topicRegion];
    if (!wellFormed(region, topicRegion) || !wellFormed(snsTopicArn, topicArn)) continue;
    if (!managed.includes(topicRegion)) {
      issues.push({ path, message: `expected one of licenseManager.regions (${managed.join(", ")})` });
    } else if (arnField(topicArn, 3) !== topicRegion) {
      issues.push({
        path,
        message: `expected a topic in ${topicRegion}; License Manager settings are regional`,
      });
    }
  }
};

// License Manager only writes to buckets whose name starts with this prefix (License Manager user guide, Settings).
export const reportBucketPrefix = "aws-license-manager-service-";

const reportBucketHasLicenseManagerPrefix: Rule = (config, issues) => {
  const arn = config.licenseManager.settings.reportBucketArn;
  if (wellFormed(s3BucketArn, arn) && !arnField(arn, 5).startsWith(reportBucketPrefix)) {
    issues.push({
      path: ["licenseManager", "settings", "reportBucketArn"],
      message: `expected a bucket whose name starts with ${reportBucketPrefix}`,
    });
  }
};

const kmsKeyIsInBackendRegion: Rule = (config, issues) => {
  const key = config.backend.kmsKeyArn;
  const backendRegion = config.backend.region ?? config.homeRegion;
  if (wellFormed(kmsKeyArn, key) && wellFormed(region, backendRegion) && arnField(key, 3) !== backendRegion) {
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
  rolesAreInManagementAccount,
  accessNamesBothRoles,
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
