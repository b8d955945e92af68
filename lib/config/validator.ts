/**
 * Rules that span several parts of the config file. Each rule is one small function that pushes
 * `{ path, message }` for every violation; `validateConfig` runs them all.
 */
import { didYouMean, listOf, oneOf } from "../messages/alternatives";
import type { ZodType } from "zod";
import { arnParts, bucketNameOfArn } from "../aws/arn";
import { awsPartitionIds, partitionOfRegion } from "../aws/partitions";
import {
  licenseManagerPrincipal,
  marketplaceLicenseManagementPrincipal,
  reportBucketPrefix,
} from "../names/license-manager";
import { projectTagKeys } from "../names/project-tags";
import { slug } from "../names/slug";
import {
  accountId,
  amiReference,
  githubOidcProviderArn,
  iamPrincipalArn,
  kmsKeyArn,
  region,
  roleArn,
  s3BucketArn,
  snsTopicArn,
  tags,
  maximumTagsPerResource,
} from "./formats";
import { isAccountPrincipal } from "./grants-section";
import type { ResolvedConfig } from "./sections";

interface ConfigIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Rules see the config with its defaults resolved (`backend.region`, `licenseManager.regions`, …). */
type Rule = (config: ResolvedConfig, issues: ConfigIssue[]) => void;

/**
 * Rules also run when some fields failed their format check (so one run reports as much as it can);
 * a rule only judges values of the right format, which have been reported otherwise.
 */
const wellFormed = <T>(format: ZodType<T>, value: unknown): value is T => format.safeParse(value).success;

const rolesAreInManagementAccount: Rule = (config, issues) => {
  const { managementAccountId } = config;
  if (!wellFormed(accountId, managementAccountId)) return;
  for (const key of ["deployRoleArn", "planRoleArn"] as const) {
    const arn = config[key];
    if (wellFormed(roleArn, arn) && arnParts(arn).accountId !== managementAccountId) {
      issues.push({
        path: [key],
        message: `expected a role in the management account ${managementAccountId}`,
      });
    }
  }
  const provider = config.access?.oidcProviderArn;
  if (wellFormed(githubOidcProviderArn, provider) && arnParts(provider).accountId !== managementAccountId) {
    issues.push({
      path: ["access", "oidcProviderArn"],
      message: `expected the provider in the management account ${managementAccountId}`,
    });
  }
};

// Workstation principals are written into the roles' trust policies: a principal of an account outside the
// organization would get the plan or deploy role. Only the management account and the listed member accounts are
// known here (whether any other account is in the organization is not), so those are the accounts allowed; the
// trust policy adds aws:PrincipalOrgID as well, so that an account that leaves the organization loses the role.
const workstationPrincipalsAreInTheOrganization: Rule = (config, issues) => {
  if (config.access === undefined || !wellFormed(accountId, config.managementAccountId)) return;
  const members = config.organization.memberAccounts.map((account) => account.id);
  const accounts = [config.managementAccountId, ...members];
  for (const role of ["plan", "deploy"] as const) {
    (config.access.workstationPrincipals?.[role] ?? []).forEach((principal, index) => {
      if (!wellFormed(iamPrincipalArn, principal)) return;
      const principalAccount = arnParts(principal).accountId;
      if (accounts.includes(principalAccount)) return;
      issues.push({
        path: ["access", "workstationPrincipals", role, index],
        message: `is in account ${principalAccount}, outside the organization as the config knows it; expected a principal of the management account ${config.managementAccountId} or of a member account listed in organization.memberAccounts (${listOf(members, "member accounts listed") || "none listed"})${didYouMean(principalAccount, accounts)} (got ${JSON.stringify(principal)})`,
      });
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
        message: "is the management account; expected a member account",
      });
    }
  });
};

// Registering a delegated administrator for License Manager needs its trusted access: with source: external, a
// config that disables license-manager.amazonaws.com (a tear-down) must drop the administrator first.
const delegatedAdministratorKeepsTrustedAccess: Rule = (config, issues) => {
  const { organization, licenseManager } = config;
  const disabled = organization.principalsAllowedToBeRemoved.includes(licenseManagerPrincipal);
  if (organization.source !== "external" || !disabled || licenseManager.delegatedAdministrator === undefined)
    return;
  issues.push({
    path: ["licenseManager", "delegatedAdministrator"],
    message: `needs trusted access for ${licenseManagerPrincipal}, which organization.principalsAllowedToBeRemoved disables; expected no delegated administrator while License Manager's trusted access is disabled (got ${JSON.stringify(licenseManager.delegatedAdministrator)})`,
  });
};

const delegatedAdministratorIsAListedMember: Rule = (config, issues) => {
  const administrator = config.licenseManager.delegatedAdministrator;
  if (!wellFormed(accountId, administrator)) return;
  const members = config.organization.memberAccounts.map((account) => account.id);
  if (!members.includes(administrator)) {
    const expected = `expected a member account listed in organization.memberAccounts (${listOf(members, "member accounts listed") || "none listed"})${didYouMean(administrator, members)}`;
    issues.push({
      path: ["licenseManager", "delegatedAdministrator"],
      message:
        administrator === config.managementAccountId
          ? `is the management account, which cannot be its own delegated administrator; ${expected}`
          : expected,
    });
  }
};

/** The managed regions, when every one is well formed (a malformed one is reported already). */
function managedRegions(config: ResolvedConfig): readonly string[] | undefined {
  const managed = config.licenseManager.regions;
  return managed.every((managedRegion) => wellFormed(region, managedRegion)) ? managed : undefined;
}

const licenseConfigurationRegionsAreManaged: Rule = (config, issues) => {
  const managed = managedRegions(config);
  if (!managed) return;
  config.licenseManager.licenseConfigurations.forEach((licenseConfig, index) => {
    const path = ["licenseManager", "licenseConfigurations", index];
    licenseConfig.regions.forEach((configRegion, regionIndex) => {
      if (wellFormed(region, configRegion) && !managed.includes(configRegion)) {
        issues.push({
          path: [...path, "regions", regionIndex],
          message: `expected one of licenseManager.regions (${listOf(managed, "regions")})${didYouMean(configRegion, managed)}`,
        });
      }
    });
    const regions = licenseConfig.regions.filter((configRegion) => managed.includes(configRegion));
    for (const [amiRegion, amis] of Object.entries(licenseConfig.associatedAmis)) {
      if (wellFormed(region, amiRegion) && !regions.includes(amiRegion)) {
        issues.push({
          path: [...path, "associatedAmis", amiRegion],
          message: `the configuration is not created in this region; expected ${oneOf(regions, { given: amiRegion, what: "regions it is created in" })}`,
        });
      }
      amis.forEach((ami, amiIndex) => {
        const arnRegion =
          wellFormed(amiReference, ami) && ami.startsWith("arn:") ? arnParts(ami).region : amiRegion;
        if (arnRegion !== amiRegion) {
          issues.push({
            path: [...path, "associatedAmis", amiRegion, amiIndex],
            message: `names region ${arnRegion} (AMIs are regional); expected an AMI of ${amiRegion}, or list it under ${arnRegion}`,
          });
        }
      });
    }
  });
};

const snsTopicsMatchTheirRegion: Rule = (config, issues) => {
  const managed = managedRegions(config);
  if (!managed) return;
  for (const [topicRegion, topicArn] of Object.entries(config.licenseManager.settings.snsTopicArns)) {
    const path = ["licenseManager", "settings", "snsTopicArns", topicRegion];
    if (!wellFormed(region, topicRegion) || !wellFormed(snsTopicArn, topicArn)) continue;
    if (!managed.includes(topicRegion)) {
      issues.push({
        path,
        message: `expected one of licenseManager.regions (${listOf(managed, "regions")})${didYouMean(topicRegion, managed)}`,
      });
    } else if (arnParts(topicArn).region !== topicRegion) {
      issues.push({
        path,
        message: `expected a topic in ${topicRegion}; License Manager settings are regional`,
      });
    }
  }
};

const reportBucketHasLicenseManagerPrefix: Rule = (config, issues) => {
  const arn = config.licenseManager.settings.reportBucketArn;
  if (wellFormed(s3BucketArn, arn) && !bucketNameOfArn(arn).startsWith(reportBucketPrefix)) {
    issues.push({
      path: ["licenseManager", "settings", "reportBucketArn"],
      message: `expected a bucket whose name starts with ${reportBucketPrefix}`,
    });
  }
};

const kmsKeyIsInBackendRegion: Rule = (config, issues) => {
  const key = config.backend.kmsKeyArn;
  const backendRegion = config.backend.region;
  if (
    wellFormed(kmsKeyArn, key) &&
    wellFormed(region, backendRegion) &&
    arnParts(key).region !== backendRegion
  ) {
    issues.push({
      path: ["backend", "kmsKeyArn"],
      message: `expected a key in the backend's region ${backendRegion}; S3 and DynamoDB use keys of their own region`,
    });
  }
};

/**
 * The plan and deploy roles' policies name the state key, and an IAM policy names a KMS key by its key ARN only:
 * an alias ARN in Resource applies to the alias, never to its key (KMS Developer Guide, "Specifying KMS keys in IAM
 * policy statements", https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html).
 */
const kmsKeyIsAKeyForTheRoles: Rule = (config, issues) => {
  const key = config.backend.kmsKeyArn;
  if (config.access && wellFormed(kmsKeyArn, key) && arnParts(key).resource.startsWith("alias/")) {
    issues.push({
      path: ["backend", "kmsKeyArn"],
      message:
        "expected a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias: the access section's " +
        "roles name the key in their policies, and IAM policies cannot name a KMS key by alias",
    });
  }
};

/**
 * Names become construct ids and so Terraform addresses (and a report generator's identity): "SQL Server" and
 * "sql-server" would collide. Each later name is told against the first one with its address.
 */
function namesStayDistinct(
  items: readonly { readonly name: string }[],
  path: readonly string[],
  issues: ConfigIssue[],
): void {
  const first = new Map<string, string>();
  items.forEach((item, index) => {
    const key = slug(item.name);
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, item.name);
    else if (earlier !== item.name) {
      issues.push({
        path: [...path, index, "name"],
        message: `would share the Terraform address "${key}" with "${earlier}"; expected a name that differs in more than case or punctuation`,
      });
    }
  });
}

const licenseConfigurationNamesStayDistinct: Rule = (config, issues) =>
  namesStayDistinct(
    config.licenseManager.licenseConfigurations,
    ["licenseManager", "licenseConfigurations"],
    issues,
  );

// AWS allows 50 tags per resource; the provider adds defaultTags and the 3 project tags to a license
// configuration's own, and the stack its name tag (lib/license-manager/unmanaged-lookup.ts).
const licenseConfigurationTagsFit: Rule = (config, issues) => {
  if (!wellFormed(tags, config.defaultTags)) return;
  config.licenseManager.licenseConfigurations.forEach((licenseConfig, index) => {
    if (!wellFormed(tags, licenseConfig.tags)) return;
    const keys = new Set([
      ...Object.keys(config.defaultTags),
      ...Object.keys(licenseConfig.tags),
      ...Object.values(projectTagKeys),
    ]);
    if (keys.size > maximumTagsPerResource) {
      issues.push({
        path: ["licenseManager", "licenseConfigurations", index, "tags"],
        message: `expected at most ${maximumTagsPerResource} tags together with defaultTags and the 4 project tags, AWS's limit per resource (got ${keys.size} tags)`,
      });
    }
  });
};

// The project's tag keys tie a live resource to its stack and a configuration to its configured name: a user's
// value would be overwritten (or, in defaultTags, would make the stack's resources look like another's).
const projectTagKeysAreReserved: Rule = (config, issues) => {
  const reserved: readonly string[] = Object.values(projectTagKeys);
  const check = (tagged: unknown, path: (string | number)[]) => {
    if (!wellFormed(tags, tagged)) return;
    for (const key of Object.keys(tagged)) {
      if (!reserved.includes(key)) continue;
      issues.push({
        path: [...path, key],
        message: `expected a tag key other than the project's own (${listOf(reserved, "project tag keys")}), which the stacks set themselves; remove it (got ${JSON.stringify(key)})`,
      });
    }
  };
  check(config.defaultTags, ["defaultTags"]);
  config.licenseManager.licenseConfigurations.forEach((licenseConfig, index) =>
    check(licenseConfig.tags, ["licenseManager", "licenseConfigurations", index, "tags"]),
  );
  config.licenseManager.reports.forEach((report, index) =>
    check(report.tags, ["licenseManager", "reports", index, "tags"]),
  );
};

const reportRegionsAreManaged: Rule = (config, issues) => {
  const managed = managedRegions(config);
  if (!managed) return;
  config.licenseManager.reports.forEach((report, index) => {
    report.regions.forEach((reportRegion, regionIndex) => {
      if (wellFormed(region, reportRegion) && !managed.includes(reportRegion)) {
        issues.push({
          path: ["licenseManager", "reports", index, "regions", regionIndex],
          message: `expected one of licenseManager.regions (${listOf(managed, "regions")})${didYouMean(reportRegion, managed)}`,
        });
      }
    });
  });
};

// A report generator references configurations by ARN, and ARNs are regional: each configuration it names
// must be created in every region the report is.
const reportedConfigurationsExistInTheReportRegions: Rule = (config, issues) => {
  const managed = managedRegions(config);
  if (!managed) return;
  const configurations = new Map(
    config.licenseManager.licenseConfigurations.map((licenseConfig) => [licenseConfig.name, licenseConfig]),
  );
  config.licenseManager.reports.forEach((report, index) => {
    const reportRegions = report.regions.filter((reportRegion) => managed.includes(reportRegion));
    report.licenseConfigurations.forEach((name, nameIndex) => {
      const path = ["licenseManager", "reports", index, "licenseConfigurations", nameIndex];
      if (typeof name !== "string") return;
      const licenseConfig = configurations.get(name);
      if (!licenseConfig) {
        const known = [...configurations.keys()];
        issues.push({
          path,
          message: `not a license configuration of licenseManager.licenseConfigurations; expected ${oneOf(known, { given: name, what: "configured names" })} (got ${JSON.stringify(name)})`,
        });
        return;
      }
      const missing = reportRegions.filter((reportRegion) => !licenseConfig.regions.includes(reportRegion));
      if (missing.length > 0) {
        issues.push({
          path,
          message: `the license configuration ${JSON.stringify(name)} is not created in ${listOf(missing, "regions")} (its regions: ${listOf(licenseConfig.regions, "regions")}); expected a configuration created in every region of the report, or set the report's regions (got ${JSON.stringify(name)})`,
        });
      }
    });
  });
};

const reportNamesStayDistinct: Rule = (config, issues) =>
  namesStayDistinct(config.licenseManager.reports, ["licenseManager", "reports"], issues);

// The report apply CLI tags each generator with defaultTags and the three project tags besides its own.
const reportTagsFit: Rule = (config, issues) => {
  if (!wellFormed(tags, config.defaultTags)) return;
  config.licenseManager.reports.forEach((report, index) => {
    if (!wellFormed(tags, report.tags)) return;
    const keys = new Set([
      ...Object.keys(config.defaultTags),
      ...Object.keys(report.tags),
      projectTagKeys.project,
      projectTagKeys.environment,
      projectTagKeys.stack,
    ]);
    if (keys.size > maximumTagsPerResource) {
      issues.push({
        path: ["licenseManager", "reports", index, "tags"],
        message: `expected at most ${maximumTagsPerResource} tags together with defaultTags and the 3 project tags, AWS's limit per resource (got ${keys.size} tags)`,
      });
    }
  });
};

// A grant is created with the provider of its home region: only the managed regions have one.
const grantHomeRegionsAreManaged: Rule = (config, issues) => {
  const managed = managedRegions(config);
  if (!managed) return;
  config.licenseManager.grants.forEach((grant, index) => {
    if (!wellFormed(region, grant.homeRegion) || managed.includes(grant.homeRegion)) return;
    issues.push({
      path: ["licenseManager", "grants", index, "homeRegion"],
      message: `expected one of licenseManager.regions (${listOf(managed, "regions")}), where the stack has a provider${didYouMean(grant.homeRegion, managed)} (got ${JSON.stringify(grant.homeRegion)})`,
    });
  });
};

// Grants go to the organization's accounts, which accept them through the organization link: an account outside
// the config's member accounts (or the management account, which holds the license) is a mistake.
const grantAccountsAreListedMembers: Rule = (config, issues) => {
  const members = config.organization.memberAccounts.map((account) => account.id);
  config.licenseManager.grants.forEach((grant, index) => {
    grant.principals.forEach((principal, principalIndex) => {
      if (!isAccountPrincipal(principal) || members.includes(principal)) return;
      issues.push({
        path: ["licenseManager", "grants", index, "principals", principalIndex],
        message:
          principal === config.managementAccountId
            ? `is the management account, which holds the license; expected a member account listed in organization.memberAccounts`
            : `expected a member account listed in organization.memberAccounts (${listOf(members, "member accounts listed") || "none listed"})${didYouMean(principal, members)} (got ${JSON.stringify(principal)})`,
      });
    });
  });
};

// A grant's construct id is its slugged name: two names with the same slug would share a Terraform address.
const grantNamesStayDistinct: Rule = (config, issues) =>
  namesStayDistinct(config.licenseManager.grants, ["licenseManager", "grants"], issues);

// Sharing a Marketplace license needs AWS Marketplace's trusted access: with source: external, a config that also
// disables it (a tear-down of the grants) must drop the Marketplace grants first, as for the delegated administrator.
const marketplaceGrantsKeepTrustedAccess: Rule = (config, issues) => {
  const { organization, licenseManager } = config;
  if (!organization.principalsAllowedToBeRemoved.includes(marketplaceLicenseManagementPrincipal)) return;
  licenseManager.grants.forEach((grant, index) => {
    if (!grant.marketplace) return;
    issues.push({
      path: ["licenseManager", "grants", index, "marketplace"],
      message: `needs trusted access for ${marketplaceLicenseManagementPrincipal}, which organization.principalsAllowedToBeRemoved disables; expected no Marketplace grant while it is disabled (got marketplace: true)`,
    });
  });
};

/** Every string of the config, with its path. */
function* stringsOf(
  value: unknown,
  path: (string | number)[] = [],
): Generator<[(string | number)[], string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* stringsOf(item, [...path, index]);
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) yield* stringsOf(item, [...path, key]);
}

/**
 * One partition: the roles' policies name every resource in the partition of homeRegion, so an ARN of another
 * partition anywhere in the file (a role, a principal, a key, a license) is a mistake that would either fail at
 * deploy time or widen a policy to a partition the environment does not live in.
 */
const arnsAreInOnePartition: Rule = (config, issues) => {
  if (!wellFormed(region, config.homeRegion)) return;
  const partition = partitionOfRegion(config.homeRegion);
  for (const [path, value] of stringsOf(config)) {
    const found = /^arn:([^:]+):/.exec(value)?.[1];
    // An ARN in no partition at all is the schema's error already (lib/aws/partitions.ts), not a second one.
    if (found === undefined || found === partition || !awsPartitionIds().includes(found)) continue;
    issues.push({
      path,
      message: `expected an ARN in the partition ${partition} of homeRegion ${config.homeRegion}: every ARN of one config is in one partition`,
    });
  }
};

const rules: readonly Rule[] = [
  arnsAreInOnePartition,
  rolesAreInManagementAccount,
  accessNamesBothRoles,
  workstationPrincipalsAreInTheOrganization,
  membersAreNotTheManagementAccount,
  delegatedAdministratorIsAListedMember,
  delegatedAdministratorKeepsTrustedAccess,
  licenseConfigurationRegionsAreManaged,
  snsTopicsMatchTheirRegion,
  reportBucketHasLicenseManagerPrefix,
  kmsKeyIsInBackendRegion,
  kmsKeyIsAKeyForTheRoles,
  licenseConfigurationNamesStayDistinct,
  licenseConfigurationTagsFit,
  projectTagKeysAreReserved,
  reportRegionsAreManaged,
  reportedConfigurationsExistInTheReportRegions,
  reportNamesStayDistinct,
  reportTagsFit,
  grantHomeRegionsAreManaged,
  grantAccountsAreListedMembers,
  grantNamesStayDistinct,
  marketplaceGrantsKeepTrustedAccess,
];

export function validateConfig(config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const rule of rules) rule(config, issues);
  return issues;
}
