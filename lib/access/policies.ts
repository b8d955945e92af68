/**
 * The plan and deploy roles' identity policies and trust policies, as pure functions of narrow props. The
 * access stack attaches them, `npm run access` prints them and the README's Permissions section is generated
 * from them. Every action is listed one by one; resources are ARNs wherever the Service Authorization
 * Reference lets the action be scoped, `*` only where the action has no resource type.
 *
 * The lists are exactly what the sandbox's lifecycle run uses (test/e2e: every action used at least once,
 * no call denied); add an action here only together with the run that uses it.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface TrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface TrustPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly TrustStatement[];
}

export interface StateScope {
  readonly bucket: string;
  /** Every state key the role reads, e.g. license-manager-org/organization.tfstate. */
  readonly readKeys: readonly string[];
  /** State keys the role writes (the deploy role's stacks); none for the plan role. */
  readonly writeKeys: readonly string[];
  readonly locking: "lockfile" | "dynamodb";
  /** With `locking: dynamodb`. */
  readonly lockTableArn?: string;
  /** Customer managed key of the bucket and table. @default - SSE-S3 / the AWS owned key */
  readonly kmsKeyArn?: string;
}

/** What the roles act on, read from the config by the access stack and the access CLI. */
export interface AccessPolicyProps {
  readonly partition: string;
  readonly managementAccountId: string;
  /** @default - any organization of the management account (`o-*`), for an organization still to create */
  readonly organizationId?: string;
  readonly licenseManagerRegions: readonly string[];
  /** Principals the deploy role may enable: the config's and License Manager's two. */
  readonly serviceAccessPrincipals: readonly string[];
  /** Principals the deploy role may disable (organization.principalsAllowedToBeRemoved). */
  readonly principalsAllowedToBeRemoved: readonly string[];
  /** Policy types the deploy role may enable on the root. */
  readonly enabledPolicyTypes: readonly string[];
  /** @default - no delegated administrator: nothing to register */
  readonly delegatedAdministrator?: string;
  /** Report buckets the License Manager stack creates and manages (names). */
  readonly reportBuckets: readonly string[];
  /** Alert topics the License Manager stack creates and manages (ARNs). */
  readonly notificationTopics: readonly string[];
  /** Member accounts whose read role the plan role may assume for the service-linked role report. */
  readonly memberAccountIds: readonly string[];
  /** @default - the plan role cannot enter member accounts */
  readonly memberReadRoleName?: string;
  readonly planState: StateScope;
  readonly deployState: StateScope;
}

const licenseManagerService = "license-manager.amazonaws.com";
const licenseManagerRoleName = "AWSServiceRoleForAWSLicenseManagerRole";

function arns(props: AccessPolicyProps) {
  const { partition, managementAccountId: account } = props;
  const organization = props.organizationId ?? "o-*";
  return {
    organizationRoot: `arn:${partition}:organizations::${account}:root/${organization}/r-*`,
    organizationAccount: (accountId: string) =>
      `arn:${partition}:organizations::${account}:account/${organization}/${accountId}`,
    serviceLinkedRole: `arn:${partition}:iam::${account}:role/aws-service-role/${licenseManagerService}/${licenseManagerRoleName}`,
    licenseConfigurations: props.licenseManagerRegions.map(
      (region) => `arn:${partition}:license-manager:${region}:${account}:license-configuration:*`,
    ),
    bucket: (name: string) => `arn:${partition}:s3:::${name}`,
    object: (bucket: string, key: string) => `arn:${partition}:s3:::${bucket}/${key}`,
    memberReadRoles: props.memberReadRoleName
      ? props.memberAccountIds.map(
          (accountId) => `arn:${partition}:iam::${accountId}:role/${props.memberReadRoleName}`,
        )
      : [],
  };
}

/** Reads of the state: the objects of the stacks, and what locking needs (the lock only, never the state). */
function stateStatements(state: StateScope, partition: string, writes: boolean): PolicyStatement[] {
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "StateList",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [bucketArn],
    },
    {
      Sid: writes ? "StateReadWrite" : "StateRead",
      Effect: "Allow",
      Action: writes ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
      Resource: (writes ? state.writeKeys : state.readKeys).map((key) => `${bucketArn}/${key}`),
    },
  ];
  if (writes) {
    const readOnly = state.readKeys.filter((key) => !state.writeKeys.includes(key));
    if (readOnly.length > 0) {
      statements.push({
        Sid: "StateRead",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: readOnly.map((key) => `${bucketArn}/${key}`),
      });
    }
  }
  const lockedKeys = writes ? state.writeKeys : state.readKeys;
  if (state.locking === "lockfile") {
    statements.push({
      Sid: "StateLockFile",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: lockedKeys.map((key) => `${bucketArn}/${key}.tflock`),
    });
  } else if (state.lockTableArn) {
    // The lock item's partition key is "<bucket>/<key>"; the state digest item ("<bucket>/<key>-md5") is
    // only read by a plan and written by a deploy.
    statements.push({
      Sid: "StateLockTable",
      Effect: "Allow",
      Action: ["dynamodb:PutItem", "dynamodb:DeleteItem"],
      Resource: [state.lockTableArn],
      Condition: {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": lockedKeys.map((key) => `${state.bucket}/${key}`),
        },
      },
    });
    statements.push({
      Sid: writes ? "StateDigestReadWrite" : "StateDigestRead",
      Effect: "Allow",
      Action: writes ? ["dynamodb:GetItem", "dynamodb:PutItem"] : ["dynamodb:GetItem"],
      Resource: [state.lockTableArn],
      Condition: {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": lockedKeys.map((key) => `${state.bucket}/${key}-md5`),
        },
      },
    });
  }
  if (state.kmsKeyArn) {
    statements.push({
      Sid: "StateKey",
      Effect: "Allow",
      Action: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
      Resource: [state.kmsKeyArn],
    });
  }
  return statements;
}

/** What every plan, drift check and deploy reads from Organizations, IAM and License Manager. */
function readStatements(props: AccessPolicyProps): PolicyStatement[] {
  const arn = arns(props);
  return [
    {
      Sid: "OrganizationRead",
      Effect: "Allow",
      Action: [
        "organizations:DescribeOrganization",
        "organizations:ListAWSServiceAccessForOrganization",
        "organizations:ListAccounts",
        "organizations:ListDelegatedAdministrators",
        "organizations:ListRoots",
      ],
      Resource: ["*"],
    },
    {
      Sid: "ServiceLinkedRoleRead",
      Effect: "Allow",
      Action: ["iam:GetRole"],
      Resource: [arn.serviceLinkedRole],
    },
    {
      Sid: "RoleList",
      Effect: "Allow",
      Action: ["iam:ListRoles"],
      Resource: ["*"],
    },
    {
      Sid: "LicenseManagerRead",
      Effect: "Allow",
      Action: ["license-manager:GetServiceSettings"],
      Resource: ["*"],
    },
    {
      Sid: "LicenseConfigurationRead",
      Effect: "Allow",
      Action: [
        "license-manager:GetLicenseConfiguration",
        "license-manager:ListLicenseSpecificationsForResource",
        "license-manager:ListTagsForResource",
      ],
      Resource: arn.licenseConfigurations,
    },
  ];
}

export function planPolicy(props: AccessPolicyProps): PolicyDocument {
  const arn = arns(props);
  const statements = [...stateStatements(props.planState, props.partition, false), ...readStatements(props)];
  if (arn.memberReadRoles.length > 0) {
    statements.push({
      Sid: "MemberRoleReport",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: arn.memberReadRoles,
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export function deployPolicy(props: AccessPolicyProps): PolicyDocument {
  const arn = arns(props);
  const statements: PolicyStatement[] = [
    ...stateStatements(props.deployState, props.partition, true),
    ...readStatements(props),
    {
      Sid: "TrustedAccessEnable",
      Effect: "Allow",
      Action: ["organizations:EnableAWSServiceAccess"],
      Resource: ["*"],
      Condition: { StringEquals: { "organizations:ServicePrincipal": props.serviceAccessPrincipals } },
    },
  ];
  if (props.principalsAllowedToBeRemoved.length > 0) {
    statements.push({
      Sid: "TrustedAccessDisable",
      Effect: "Allow",
      Action: ["organizations:DisableAWSServiceAccess"],
      Resource: ["*"],
      Condition: { StringEquals: { "organizations:ServicePrincipal": props.principalsAllowedToBeRemoved } },
    });
  }
  if (props.enabledPolicyTypes.length > 0) {
    statements.push({
      Sid: "PolicyTypeEnable",
      Effect: "Allow",
      Action: ["organizations:EnablePolicyType"],
      Resource: [arn.organizationRoot],
      Condition: { StringEquals: { "organizations:PolicyType": props.enabledPolicyTypes } },
    });
  }
  if (props.delegatedAdministrator) {
    statements.push({
      Sid: "DelegatedAdministrator",
      Effect: "Allow",
      Action: [
        "organizations:RegisterDelegatedAdministrator",
        "organizations:DeregisterDelegatedAdministrator",
      ],
      Resource: [arn.organizationAccount(props.delegatedAdministrator)],
      Condition: { StringEquals: { "organizations:ServicePrincipal": [licenseManagerService] } },
    });
  }
  statements.push(
    {
      Sid: "ServiceLinkedRoleCreate",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [arn.serviceLinkedRole],
      Condition: { StringEquals: { "iam:AWSServiceName": [licenseManagerService] } },
    },
    {
      Sid: "ServiceLinkedRoleDelete",
      Effect: "Allow",
      Action: ["iam:DeleteServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus"],
      Resource: [arn.serviceLinkedRole],
    },
    {
      Sid: "LicenseManagerSettings",
      Effect: "Allow",
      Action: ["license-manager:UpdateServiceSettings"],
      Resource: ["*"],
    },
    {
      Sid: "LicenseConfigurationCreate",
      Effect: "Allow",
      Action: ["license-manager:CreateLicenseConfiguration"],
      Resource: ["*"],
    },
    {
      Sid: "LicenseConfigurationWrite",
      Effect: "Allow",
      Action: [
        "license-manager:DeleteLicenseConfiguration",
        "license-manager:UpdateLicenseConfiguration",
        "license-manager:UpdateLicenseSpecificationsForResource",
      ],
      Resource: arn.licenseConfigurations,
    },
  );
  if (props.notificationTopics.length > 0) {
    statements.push({
      Sid: "NotificationTopics",
      Effect: "Allow",
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:SetTopicAttributes",
        "sns:TagResource",
      ],
      Resource: props.notificationTopics,
    });
  }
  if (props.reportBuckets.length > 0) {
    statements.push({
      Sid: "ReportBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        "s3:GetAccelerateConfiguration",
        "s3:GetBucketAcl",
        "s3:GetBucketCORS",
        "s3:GetBucketLogging",
        "s3:GetBucketObjectLockConfiguration",
        "s3:GetBucketOwnershipControls",
        "s3:GetBucketPolicy",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketRequestPayment",
        "s3:GetBucketTagging",
        "s3:GetBucketVersioning",
        "s3:GetBucketWebsite",
        "s3:GetEncryptionConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:ListBucket",
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketTagging",
        "s3:PutEncryptionConfiguration",
      ],
      Resource: props.reportBuckets.map(arn.bucket),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export interface TrustProps {
  readonly oidcProviderArn: string;
  /** Token subjects (`sub`) allowed, e.g. repo:<owner>/<repo>:pull_request. */
  readonly subjects: readonly string[];
  /** IAM principals that may assume the role from a workstation. @default [] */
  readonly workstationPrincipals?: readonly string[];
}

const githubIssuer = "token.actions.githubusercontent.com";

export function trustPolicy(props: TrustProps): TrustPolicyDocument {
  const statements: TrustStatement[] = [
    {
      Sid: "GitHubActions",
      Effect: "Allow",
      Principal: { Federated: props.oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${githubIssuer}:aud`]: "sts.amazonaws.com",
          [`${githubIssuer}:sub`]: props.subjects,
        },
      },
    },
  ];
  if (props.workstationPrincipals && props.workstationPrincipals.length > 0) {
    statements.push({
      Sid: "Workstations",
      Effect: "Allow",
      Principal: { AWS: props.workstationPrincipals },
      Action: "sts:AssumeRole",
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** The `sub` claims of GitHub's tokens: pull requests and the default branch's scheduled drift runs. */
export function planSubjects(repository: string, defaultBranch: string): string[] {
  return [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${defaultBranch}`];
}

/** Only jobs of the protected environment. */
export function deploySubjects(repository: string, environment: string): string[] {
  return [`repo:${repository}:environment:${environment}`];
}
