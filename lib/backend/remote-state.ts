import { S3Backend, type TerraformStack } from "cdktf";

export interface RemoteStateProps {
  /** The state bucket. */
  readonly bucket: string;
  /** The stack's state object in the bucket (see stateKey in lib/names/stacks.ts). */
  readonly key: string;
  /** The bucket's region. */
  readonly region: string;
  /**
   * How concurrent runs are kept apart: an S3 lockfile (Terraform 1.10+) or a DynamoDB table.
   * @default "lockfile"
   */
  readonly locking?: "lockfile" | "dynamodb";
  /**
   * The lock table, used with `locking: "dynamodb"` only.
   * @default - no table
   */
  readonly dynamodbTable?: string;
  /**
   * KMS key the state is encrypted with.
   * @default - the bucket's default encryption
   */
  readonly kmsKeyArn?: string;
  /** @default - the caller's own credentials */
  readonly roleArn?: string;
  /**
   * Path-style S3 addressing, for S3-compatible endpoints.
   * @default false
   */
  readonly usePathStyle?: boolean;
  /**
   * Skip the backend's AWS-only checks (credentials, region, account id, metadata API, checksums), for
   * S3-compatible endpoints that do not implement them.
   * @default false
   */
  readonly skipBackendValidation?: boolean;
}

/**
 * Keeps the stack's state in an S3 backend: encrypted, in the bucket's region, through the stack's role,
 * locked by S3 lockfile or DynamoDB.
 */
export function useRemoteState(stack: TerraformStack, props: RemoteStateProps): S3Backend {
  const locking = props.locking ?? "lockfile";
  const skipBackendValidation = props.skipBackendValidation || undefined;
  const s3Backend = new S3Backend(stack, {
    bucket: props.bucket,
    key: props.key,
    region: props.region,
    encrypt: true,
    kmsKeyId: props.kmsKeyArn,
    dynamodbTable: locking === "dynamodb" ? props.dynamodbTable : undefined,
    assumeRole: props.roleArn
      ? { roleArn: props.roleArn, sessionName: "license-manager-org-state" }
      : undefined,
    usePathStyle: props.usePathStyle || undefined,
    skipCredentialsValidation: skipBackendValidation,
    skipRegionValidation: skipBackendValidation,
    skipRequestingAccountId: skipBackendValidation,
    skipMetadataApiCheck: skipBackendValidation,
  });
  // cdktf 0.21's S3Backend has neither use_lockfile (Terraform 1.10+) nor skip_s3_checksum.
  if (locking === "lockfile") stack.addOverride("terraform.backend.s3.use_lockfile", true);
  if (skipBackendValidation) stack.addOverride("terraform.backend.s3.skip_s3_checksum", true);
  return s3Backend;
}
