/**
 * The typed, complete model of one environment's config file (config/<environment>.yaml).
 * `loadConfig` produces it after every check has passed; constructs and stacks only ever see this.
 */
import type { LicenseCountingType, LicenseRules } from "../license-manager/license-rules";

export const licenseManagerPrincipals = [
  "license-manager.amazonaws.com",
  "license-manager.member-account.amazonaws.com",
] as const;

export const policyTypes = [
  "AISERVICES_OPT_OUT_POLICY",
  "BACKUP_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
  "RESOURCE_CONTROL_POLICY",
  "SERVICE_CONTROL_POLICY",
  "TAG_POLICY",
] as const;
export type PolicyType = (typeof policyTypes)[number];

export interface EnvironmentConfig {
  /** The file this model was read from, for messages. */
  readonly sourceFile: string;
  /**
   * The organization's management account: the provider refuses any other account.
   * @example managementAccountId: "111111111111"
   */
  readonly managementAccountId: string;
  /**
   * Region of the organization resources and the default provider.
   * @example homeRegion: us-east-1
   */
  readonly homeRegion: string;
  /**
   * Role in the management account that the provider, the backend and the project CLIs assume.
   * @default - the caller's own credentials are used as they are
   * @example deployRoleArn: arn:aws:iam::111111111111:role/LicenseManagerDeployer
   */
  readonly deployRoleArn?: string;
  /**
   * Read-only role for plans and drift checks (`LM_ROLE=plan`), created by the access stack.
   * @default - none; required with `access`
   * @example planRoleArn: arn:aws:iam::111111111111:role/LicenseManagerPlanner
   */
  readonly planRoleArn?: string;
  /**
   * The access stack: GitHub's OIDC provider and the plan and deploy roles with least-privilege policies.
   * @default - no access stack; the roles are managed elsewhere
   */
  readonly access?: AccessConfig;
  /**
   * Tags added to every taggable resource.
   * @default {}
   */
  readonly defaultTags: Readonly<Record<string, string>>;
  readonly organization: OrganizationConfig;
  readonly backend: BackendConfig;
  readonly licenseManager: LicenseManagerConfig;
  /** Options for S3-compatible stand-ins such as the sandbox's s3rver; never needed against AWS. */
  readonly s3Compatibility: S3CompatibilityConfig;
}

export interface AccessConfig {
  readonly github: GitHubAccessConfig;
  /**
   * GitHub's OIDC provider when the account already has one (an account holds one per issuer).
   * @default - the access stack creates it
   */
  readonly oidcProviderArn?: string;
  /** IAM principals that may also assume each role, for use from a workstation. */
  readonly workstationPrincipals: {
    /** @default [] */
    readonly plan: readonly string[];
    /** @default [] */
    readonly deploy: readonly string[];
  };
  /**
   * A read-only role in each member account (e.g. rolled out by StackSets) that the plan role may assume
   * for `npm run roles`.
   * @default - none: the plan role cannot enter member accounts
   */
  readonly memberReadRoleName?: string;
}

export interface GitHubAccessConfig {
  /** @example repository: example-org/license-manager-org */
  readonly repository: string;
  /** The protected environment deploy.yml runs in; only its jobs may assume the deploy role. @example production */
  readonly environment: string;
  /** Scheduled drift checks run on it. @default main */
  readonly defaultBranch: string;
}

export interface OrganizationConfig {
  /**
   * `import` adopts the existing organization `id` with an import block; `create` creates one.
   * @default import
   */
  readonly source: "import" | "create";
  /**
   * Required with `source: import`.
   * @example id: o-a1b2c3d4e5
   */
  readonly id?: string;
  /**
   * Policy types enabled on the root. Organizations treats this list as authoritative too.
   * @default []
   * @example enabledPolicyTypes: [SERVICE_CONTROL_POLICY]
   */
  readonly enabledPolicyTypes: readonly PolicyType[];
  /**
   * Other service principals with trusted access that must stay enabled. The two License Manager
   * principals are always added.
   * @example serviceAccessPrincipals: [sso.amazonaws.com, cloudtrail.amazonaws.com]
   */
  readonly serviceAccessPrincipals: readonly string[];
  /**
   * Principals enabled now that this deploy may disable. Anything else enabled now and missing from the
   * desired list fails the plan.
   * @default []
   */
  readonly principalsAllowedToBeRemoved: readonly string[];
  /**
   * Member accounts this project refers to (delegated administrator, reports).
   * @default []
   */
  readonly memberAccounts: readonly MemberAccountConfig[];
}

export interface MemberAccountConfig {
  readonly id: string;
  readonly name: string;
}

export interface BackendConfig {
  /** @example bucket: acme-license-manager-tfstate */
  readonly bucket: string;
  /**
   * Each stack's state lives at `<keyPrefix>/<stack>.tfstate`.
   * @default license-manager-org
   */
  readonly keyPrefix: string;
  /** @default - the home region */
  readonly region: string;
  /**
   * `lockfile` (S3 conditional writes, Terraform 1.10+) or `dynamodb` (needs `dynamodbTable`).
   * @default lockfile
   */
  readonly locking: "lockfile" | "dynamodb";
  /** Required with `locking: dynamodb`. */
  readonly dynamodbTable?: string;
  /**
   * Customer managed KMS key for the state bucket and lock table.
   * @default - SSE-S3 for the bucket, the AWS owned key for the table
   */
  readonly kmsKeyArn?: string;
  /** @default 90 */
  readonly noncurrentVersionExpirationDays: number;
  /**
   * Whether the bootstrap stack keeps its own state in the bucket it created. Set it after the first
   * deploy, then run `cdktf deploy bootstrap --migrate-state`.
   * @default false
   */
  readonly bootstrapStateInBackend: boolean;
}

export interface S3CompatibilityConfig {
  /** Path-style S3 addressing for the backend and provider. @default false */
  readonly usePathStyle: boolean;
  /** Skip the backend's AWS-only checks (credentials, region, account id, metadata API, checksums). @default false */
  readonly skipBackendValidation: boolean;
}

export interface LicenseManagerConfig {
  /**
   * Regions where License Manager settings and license configurations are managed.
   * @default - the home region only
   */
  readonly regions: readonly string[];
  /**
   * A member account (listed in organization.memberAccounts) registered as License Manager's
   * delegated administrator.
   * @default - none
   */
  readonly delegatedAdministrator?: string;
  readonly settings: LicenseManagerSettingsConfig;
  /** @default [] */
  readonly licenseConfigurations: readonly LicenseConfigurationConfig[];
}

export interface LicenseManagerSettingsConfig {
  /** @default false */
  readonly crossAccountDiscovery: boolean;
  /**
   * An existing report bucket, used in every region.
   * @default - the stack creates `aws-license-manager-service-<account>-<region>` in each region
   */
  readonly reportBucketArn?: string;
  /**
   * Existing SNS topics by region.
   * @default - the stack creates a topic in each region not listed
   */
  readonly snsTopicArns: Readonly<Record<string, string>>;
}

export interface LicenseConfigurationConfig {
  /** @example name: windows-server-datacenter */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  readonly licenseCountingType: LicenseCountingType;
  /** @default - no count */
  readonly licenseCount?: number;
  /** @default false */
  readonly hardLimit: boolean;
  /** @default {} */
  readonly rules: LicenseRules;
  /** @default {} */
  readonly tags: Readonly<Record<string, string>>;
  /** @default - every License Manager region */
  readonly regions: readonly string[];
  /**
   * AMIs (ids or ARNs) associated with the configuration, by region.
   * @default {}
   */
  readonly associatedAmis: Readonly<Record<string, readonly string[]>>;
}
