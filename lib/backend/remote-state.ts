import { S3Backend, type TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/model";
import { stateKey } from "../names/stacks";

/**
 * Keeps the stack's state in the configured S3 backend: encrypted, in the backend's region, through the
 * stack's role, locked by S3 lockfile or DynamoDB as configured.
 */
export function useRemoteState(
  stack: TerraformStack,
  config: EnvironmentConfig,
  stackName: string,
  /** @default - the caller's own credentials */
  roleArn?: string,
): S3Backend {
  const { backend, s3Compatibility } = config;
  const s3Backend = new S3Backend(stack, {
    bucket: backend.bucket,
    key: stateKey(config, stackName),
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
    dynamodbTable: backend.locking === "dynamodb" ? backend.dynamodbTable : undefined,
    assumeRole: roleArn ? { roleArn, sessionName: "license-manager-org-state" } : undefined,
    usePathStyle: s3Compatibility.usePathStyle || undefined,
    skipCredentialsValidation: s3Compatibility.skipBackendValidation || undefined,
    skipRegionValidation: s3Compatibility.skipBackendValidation || undefined,
    skipRequestingAccountId: s3Compatibility.skipBackendValidation || undefined,
    skipMetadataApiCheck: s3Compatibility.skipBackendValidation || undefined,
  });
  // cdktf 0.21's S3Backend has neither use_lockfile (Terraform 1.10+) nor skip_s3_checksum.
  if (backend.locking === "lockfile") stack.addOverride("terraform.backend.s3.use_lockfile", true);
  if (s3Compatibility.skipBackendValidation) stack.addOverride("terraform.backend.s3.skip_s3_checksum", true);
  return s3Backend;
}
