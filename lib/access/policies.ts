/**
 * The plan and deploy roles' identity policies (their trust policies: trust.ts), as pure functions of narrow
 * props. The access stack attaches them, `npm run access` prints them and docs/permissions.md's generated section
 * is written from them. Every action is listed one by one; resources are ARNs wherever the Service Authorization
 * Reference lets the action be scoped, `*` only where the action has no resource type.
 *
 * The lists are exactly what the sandbox's lifecycle run uses (test/e2e: every action used at least once,
 * no call denied); add an action here only together with the run that uses it. What the reconcile CLI calls
 * comes from each kind on the registry (lib/reconcile/registry.ts): its reads go to both roles, its writes to
 * the deploy role.
 */
import {
  licenseManagerMasterAccountPrincipal,
  licenseManagerPrincipal as licenseManagerService,
  serviceLinkedRoleNames,
} from "../names/license-manager";
import { projectTagConditions } from "../names/project-tags";
import { reconcileKinds } from "../reconcile/registry";

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
  /** The bucket's region: S3 calls KMS there (kms:ViaService = s3.<region>.amazonaws.com). */
  readonly region: string;
}

/** What the roles act on, read from the config by the access stack and the access CLI. */
export interface AccessPolicyProps {
  readonly partition: string;
  readonly managementAccountId: string;
  /** @default - any organization of the management account (`o-*`), for an organization still to create */
  readonly organizationId?: string;
  readonly licenseManagerRegions: readonly string[];
  /** Licenses the config grants (licenseManager.grants): the deploy role may create grants of these only. */
  readonly grantedLicenseArns: readonly string[];
  /** Whether a grant shares an AWS Marketplace license: AWS Marketplace's service-linked role is then created. */
  readonly marketplaceGrants: boolean;
  /**
   * Principals the deploy role may enable: the config's and License Manager's two (source: import or create);
   * License Manager's two only (source: external).
   */
  readonly serviceAccessPrincipals: readonly string[];
  /**
   * Principals the deploy role may disable (organization.principalsAllowedToBeRemoved); with source: external,
   * only License Manager's own, and only when the config asks to disable them.
   */
  readonly principalsAllowedToBeRemoved: readonly string[];
  /** @default - no delegated administrator: nothing to register */
  readonly delegatedAdministrator?: string;
  /**
   * The project's tags on what the License Manager stack creates (project, environment, stack): the deploy role
   * creates license configurations and report generators only with them in the request, and updates and deletes
   * only those that carry them.
   */
  readonly licenseManagerTags: Readonly<Record<string, string>>;
  /** Report buckets the License Manager stack creates and manages (names). */
  readonly reportBuckets: readonly string[];
  /** Alert topics the License Manager stack creates and manages (ARNs). */
  readonly notificationTopics: readonly string[];
  /**
   * The role the plan role may assume in every account of the organization for the service-linked role report.
   * @default - the plan role cannot enter member accounts
   */
  readonly memberReadRoleName?: string;
  /** The access stack's roles and OIDC provider, which the plan role reads for drift checks. */
  readonly accessResources: {
    readonly roleArns: readonly string[];
    readonly oidcProviderArn: string;
  };
  readonly planState: StateScope;
  readonly deployState: StateScope;
}

function arns(props: AccessPolicyProps) {
  const { partition, managementAccountId: account } = props;
  const organization = props.organizationId ?? "o-*";
  const serviceLinkedRole = (service: string, name: string) =>
    `arn:${partition}:iam::${account}:role/aws-service-role/${service}/${name}`;
  return {
    organizationAccount: (accountId: string) =>
      `arn:${partition}:organizations::${account}:account/${organization}/${accountId}`,
    serviceLinkedRole: serviceLinkedRole(licenseManagerService, serviceLinkedRoleNames.licenseManager),
    // Created by License Manager when it is linked to Organizations; read by npm run roles.
    masterAccountRole: serviceLinkedRole(
      licenseManagerMasterAccountPrincipal,
      serviceLinkedRoleNames.managementAccount,
    ),
    licenseConfigurations: props.licenseManagerRegions.map(
      (region) => `arn:${partition}:license-manager:${region}:${account}:license-configuration:*`,
    ),
    bucket: (name: string) => `arn:${partition}:s3:::${name}`,
    memberReadRoles: props.memberReadRoleName
      ? [`arn:${partition}:iam::*:role/${props.memberReadRoleName}`]
      : [],
  };
}

/**
 * What the AWS provider reads of an aws_s3_bucket and its settings on every refresh (IAM action names, not
 * API names: GetBucketEncryption is s3:GetEncryptionConfiguration, HeadBucket is s3:ListBucket).
 */
const bucketReads = [
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
];

/**
 * The state: the stacks' objects, and what locking needs. A deploy writes its state and takes the lock; with
 * DynamoDB, `dynamodb:LeadingKeys` keeps the lock statement to the lock items ("<bucket>/<key>"), off the state
 * digests ("<bucket>/<key>-md5"). A plan only reads: plans and drift checks run with -lock=false
 * (tools/plan.ts, tools/drift.ts, TF_CLI_ARGS_plan in the workflows), so the plan role holds no lock action at
 * all and cannot drop a running deploy's lock.
 */
function stateStatements(state: StateScope, partition: string, writes: boolean): PolicyStatement[] {
  const bucketArn = `arn:${partition}:s3:::${state.bucket}`;
  const keys = writes ? state.writeKeys : state.readKeys;
  const statements: PolicyStatement[] = [
    { Sid: "StateList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
    {
      Sid: writes ? "StateReadWrite" : "StateRead",
      Effect: "Allow",
      Action: writes ? ["s3:GetObject", "s3:PutObject"] : ["s3:GetObject"],
      Resource: keys.map((key) => `${bucketArn}/${key}`),
    },
  ];
  if (!writes) {
    // Unlocked reads: the digest only, which the S3 backend compares with the object it read.
    if (state.locking === "dynamodb" && state.lockTableArn) {
      statements.push({
        Sid: "StateDigestRead",
        Effect: "Allow",
        Action: ["dynamodb:GetItem"],
        Resource: [state.lockTableArn],
        Condition: {
          "ForAllValues:StringEquals": {
            "dynamodb:LeadingKeys": keys.map((key) => `${state.bucket}/${key}-md5`),
          },
        },
      });
    }
  } else if (state.locking === "lockfile") {
    // Terraform reads the lock file back before it deletes it.
    statements.push({
      Sid: "StateLockFile",
      Effect: "Allow",
      Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      Resource: keys.map((key) => `${bucketArn}/${key}.tflock`),
    });
  } else if (state.lockTableArn) {
    const lockItems = keys.map((key) => `${state.bucket}/${key}`);
    const digestItems = keys.map((key) => `${state.bucket}/${key}-md5`);
    statements.push({
      Sid: "StateLockTable",
      Effect: "Allow",
      // Unlocking reads the lock item back (its owner) before deleting it.
      Action: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: [state.lockTableArn],
      Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": lockItems } },
    });
    statements.push({
      Sid: "StateDigestReadWrite",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
      Resource: [state.lockTableArn],
      Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": digestItems } },
    });
  }
  if (state.kmsKeyArn) statements.push(stateKeyStatement(state.kmsKeyArn, state, bucketArn, keys, writes));
  return statements;
}

/**
 * The state's customer managed key, only as S3 uses it for this bucket's state objects. S3 calls KMS on the
 * caller's behalf: GenerateDataKey to write an SSE-KMS object, Decrypt to read one, and answers AccessDenied when
 * the caller may not (S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)", Permissions:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms). Those calls
 * carry kms:ViaService = s3.<region>.amazonaws.com and the encryption context `aws:s3:arn`: the object's ARN, or
 * the bucket's ARN when the object is written with an S3 Bucket Key (same page, "Encryption context"; "Reducing
 * the cost of SSE-KMS with Amazon S3 Bucket Keys": https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
 * The state bucket turns the Bucket Key on (lib/s3/hardened-bucket.ts), so the bucket's ARN is what KMS sees; the
 * objects' ARNs stay allowed for a bucket created without one. Writes with S3 lock files encrypt the lock file too.
 * The DynamoDB lock table's key is given no statement: "when you access your table, DynamoDB decrypts the table
 * data transparently" (KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS",
 * https://docs.aws.amazon.com/kms/latest/developerguide/services-dynamodb.html); whether the key's policy must name
 * the roles there, those pages do not say, and the sandbox does not model it.
 */
function stateKeyStatement(
  kmsKeyArn: string,
  state: StateScope,
  bucketArn: string,
  keys: readonly string[],
  writes: boolean,
): PolicyStatement {
  const objects = keys.flatMap((key) =>
    writes && state.locking === "lockfile" ? [key, `${key}.tflock`] : [key],
  );
  return {
    Sid: "StateKey",
    Effect: "Allow",
    Action: writes ? ["kms:Decrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
    Resource: [kmsKeyArn],
    Condition: {
      StringEquals: {
        "kms:ViaService": [`s3.${state.region}.amazonaws.com`],
        "kms:EncryptionContext:aws:s3:arn": [bucketArn, ...objects.map((key) => `${bucketArn}/${key}`)],
      },
    },
  };
}

/** What every plan, drift check and deploy of the organization and License Manager stacks reads. */
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
    // The service-linked role's data source lists roles by path: ListRoles has no resource type.
    { Sid: "RoleList", Effect: "Allow", Action: ["iam:ListRoles"], Resource: ["*"] },
    {
      Sid: "LicenseManagerRead",
      Effect: "Allow",
      // None has a resource type in the Service Authorization Reference. ListLicenseConfigurations finds the
      // tagged configurations no state holds (npm run drift's unmanaged, npm run adopt).
      Action: [
        "license-manager:ListLicenseConfigurations",
        "license-manager:ListLicenseSpecificationsForResource",
      ],
      Resource: ["*"],
    },
    {
      Sid: "LicenseConfigurationRead",
      Effect: "Allow",
      Action: ["license-manager:GetLicenseConfiguration"],
      Resource: arn.licenseConfigurations,
    },
    // The plan-time lookup of the stack's tagged license configurations that no state holds, which the deploy
    // adopts (lib/license-manager/unmanaged-lookup.ts). GetResources has no resource type.
    { Sid: "TaggedResourceList", Effect: "Allow", Action: ["tag:GetResources"], Resource: ["*"] },
    ...reconcileKinds.flatMap((kind) => kind.permissions(props).read),
  ];
}

/**
 * The statements without those that grant nothing new: every action on every resource already allowed by an
 * earlier statement with the same condition (a kind on the registry declares all it calls, some of which the
 * provider's resources need too).
 */
function withoutRedundant(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const granted = new Set<string>();
  const key = (statement: PolicyStatement, action: string, resource: string) =>
    JSON.stringify([action, resource, statement.Condition ?? null]);
  return statements.filter((statement) => {
    const pairs = statement.Action.flatMap((action) =>
      statement.Resource.map((resource) => key(statement, action, resource)),
    );
    const redundant = pairs.length > 0 && pairs.every((pair) => granted.has(pair));
    for (const pair of pairs) granted.add(pair);
    return !redundant;
  });
}

function statementIf(condition: boolean, statement: PolicyStatement): PolicyStatement[] {
  return condition ? [statement] : [];
}

/**
 * Reads only: plans and drift checks of every stack (the bootstrap's bucket and table, the access stack's
 * roles), `npm run roles`, `npm run org` and `npm run reconcile -- get|diff`; writes nothing, not even the state
 * lock (plans run with -lock=false).
 */
export function planPolicy(props: AccessPolicyProps): PolicyDocument {
  const arn = arns(props);
  const { planState: state } = props;
  const statements: PolicyStatement[] = [
    ...stateStatements(state, props.partition, false),
    {
      Sid: "StateBucketRead",
      Effect: "Allow",
      Action: bucketReads,
      Resource: [arn.bucket(state.bucket), ...props.reportBuckets.map(arn.bucket)],
    },
    ...statementIf(state.lockTableArn !== undefined, {
      Sid: "LockTableRead",
      Effect: "Allow",
      Action: [
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTable",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource",
      ],
      Resource: state.lockTableArn ? [state.lockTableArn] : [],
    }),
    {
      Sid: "AccessRead",
      Effect: "Allow",
      Action: ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"],
      Resource: [...props.accessResources.roleArns],
    },
    {
      Sid: "OidcProviderRead",
      Effect: "Allow",
      Action: ["iam:GetOpenIDConnectProvider"],
      Resource: [props.accessResources.oidcProviderArn],
    },
    ...readStatements(props),
    {
      Sid: "ServiceLinkedRoleRead",
      Effect: "Allow",
      Action: ["iam:GetRole"],
      Resource: [arn.serviceLinkedRole, arn.masterAccountRole],
    },
    ...statementIf(props.notificationTopics.length > 0, {
      Sid: "NotificationTopicsRead",
      Effect: "Allow",
      Action: ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
      Resource: props.notificationTopics,
    }),
    // Every account of the organization, not a list in the config: the role in any account whose organization is
    // the plan role's own. aws:ResourceOrgID is the organization of the resource's account, in the request context
    // whenever that account is a member (IAM User Guide, "AWS global condition context keys"); the IAM User Guide
    // pairs it with ${aws:PrincipalOrgID} in its example. The id is written out when the config knows it; an
    // organization still to create is named by the policy variable (escaped for Terraform by access-roles.ts).
    ...statementIf(arn.memberReadRoles.length > 0, {
      Sid: "MemberRoleReport",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: arn.memberReadRoles,
      Condition: { StringEquals: { "aws:ResourceOrgID": props.organizationId ?? "${aws:PrincipalOrgID}" } },
    }),
  ];
  return {
    Version: "2012-10-17",
    Statement: withoutRedundant(statements.filter((statement) => statement.Resource.length > 0)),
  };
}

/**
 * The plan role's reads of the organization and License Manager stacks plus exactly the writes their
 * deploys and `npm run reconcile -- restore|unlink` make.
 */
export function deployPolicy(props: AccessPolicyProps): PolicyDocument {
  const arn = arns(props);
  const tagged = projectTagConditions(props.licenseManagerTags);
  const statements: PolicyStatement[] = [
    ...stateStatements(props.deployState, props.partition, true),
    ...readStatements(props),
    ...statementIf(props.delegatedAdministrator !== undefined, {
      Sid: "DelegatedAdministratorRegister",
      Effect: "Allow",
      Action: ["organizations:RegisterDelegatedAdministrator"],
      Resource: props.delegatedAdministrator ? [arn.organizationAccount(props.delegatedAdministrator)] : [],
      Condition: { StringEquals: { "organizations:ServicePrincipal": [licenseManagerService] } },
    }),
    {
      Sid: "ServiceLinkedRoleCreate",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [arn.serviceLinkedRole],
      Condition: { StringEquals: { "iam:AWSServiceName": [licenseManagerService] } },
    },
    {
      Sid: "ServiceLinkedRole",
      Effect: "Allow",
      // TagRole: the provider's default tags on the role.
      Action: [
        "iam:DeleteServiceLinkedRole",
        "iam:GetRole",
        "iam:GetServiceLinkedRoleDeletionStatus",
        "iam:TagRole",
      ],
      Resource: [arn.serviceLinkedRole],
    },
    {
      Sid: "LicenseConfigurationCreate",
      Effect: "Allow",
      Action: ["license-manager:CreateLicenseConfiguration"],
      Resource: ["*"],
      Condition: tagged.requested,
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
      Condition: tagged.carried,
    },
    {
      // A configuration's own tags, or the name tag a configuration made before it existed, change in place.
      Sid: "LicenseConfigurationTags",
      Effect: "Allow",
      Action: ["license-manager:TagResource", "license-manager:UntagResource"],
      Resource: arn.licenseConfigurations,
      Condition: tagged.retagged,
    },
    ...statementIf(props.notificationTopics.length > 0, {
      Sid: "NotificationTopics",
      Effect: "Allow",
      // TagResource: creating a topic with tags needs it too.
      Action: [
        "sns:CreateTopic",
        "sns:DeleteTopic",
        "sns:GetTopicAttributes",
        "sns:ListTagsForResource",
        "sns:SetTopicAttributes",
        "sns:TagResource",
      ],
      Resource: props.notificationTopics,
    }),
    ...statementIf(props.reportBuckets.length > 0, {
      Sid: "ReportBuckets",
      Effect: "Allow",
      Action: [
        "s3:CreateBucket",
        "s3:DeleteBucket",
        "s3:DeleteBucketPolicy",
        ...bucketReads,
        "s3:PutBucketOwnershipControls",
        "s3:PutBucketPolicy",
        "s3:PutBucketPublicAccessBlock",
        "s3:PutBucketTagging",
        "s3:PutEncryptionConfiguration",
      ].sort(),
      Resource: props.reportBuckets.map(arn.bucket),
    }),
  ];
  // What the reconcile CLI writes, kind by kind (last, so that what a resource already needs is not repeated).
  statements.push(...reconcileKinds.flatMap((kind) => kind.permissions(props).write));
  return { Version: "2012-10-17", Statement: withoutRedundant(statements) };
}
