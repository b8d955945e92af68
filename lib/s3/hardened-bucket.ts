import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import type { Construct } from "constructs";

interface BucketHardeningProps {
  /** @default - SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  /** Statements added after the TLS-only denial. @default - none */
  readonly policyStatements?: readonly Record<string, unknown>[];
}

interface BucketHardening {
  readonly policy: S3BucketPolicy;
}

/**
 * What every bucket of this project gets: default encryption, all public access blocked, ACLs disabled
 * (bucket owner enforced) and a policy that denies requests without TLS. The resources are added to
 * `scope` with fixed ids, so their Terraform addresses follow the scope's path.
 */
export function hardenBucket(
  scope: Construct,
  bucket: S3Bucket,
  props: BucketHardeningProps,
): BucketHardening {
  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    provider: bucket.provider,
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: props.kmsKeyArn
          ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
          : { sseAlgorithm: "AES256" },
        // Explicit even for SSE-S3: S3 always reports it, and left unset the provider records null at
        // create and false at the next refresh, which a refresh-only plan reports as drift.
        bucketKeyEnabled: props.kmsKeyArn !== undefined,
      },
    ],
  });

  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, "public-access-block", {
    provider: bucket.provider,
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });

  new S3BucketOwnershipControls(scope, "ownership", {
    provider: bucket.provider,
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });

  const policy = new S3BucketPolicy(scope, "policy", {
    provider: bucket.provider,
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        ...(props.policyStatements ?? []),
      ],
    }),
    // S3 answers OperationAborted to concurrent configuration writes on one bucket: write them in turn.
    dependsOn: [publicAccessBlock],
  });
  return { policy };
}
