import { configWith } from "../helpers/config";
import { onlyResource, synthesizeStacks } from "../helpers/synth";

describe("bootstrap stack with DynamoDB locking and SSE-S3 (sandbox config without its KMS key)", () => {
  const stack = synthesizeStacks(configWith((d) => delete d.backend.kmsKeyArn)).bootstrap;
  const bucketReference = (type: string) => onlyResource(stack, type).bucket as string;

  it("creates the state bucket and keeps Terraform from destroying it", () => {
    const bucket = onlyResource(stack, "aws_s3_bucket");
    expect(bucket.bucket).toBe("sandbox-license-manager-tfstate");
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
  });

  it("applies every hardening resource to that bucket", () => {
    const bucketId = "${aws_s3_bucket.state-bucket_828F7150.id}";
    for (const type of [
      "aws_s3_bucket_versioning",
      "aws_s3_bucket_server_side_encryption_configuration",
      "aws_s3_bucket_public_access_block",
      "aws_s3_bucket_ownership_controls",
      "aws_s3_bucket_policy",
      "aws_s3_bucket_lifecycle_configuration",
    ]) {
      expect([type, bucketReference(type)]).toEqual([type, bucketId]);
    }
  });

  it("versions state objects", () => {
    expect(onlyResource(stack, "aws_s3_bucket_versioning").versioning_configuration).toEqual({
      status: "Enabled",
    });
  });

  it("encrypts by default with SSE-S3 when no KMS key is configured", () => {
    expect(onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false },
    ]);
  });

  it("blocks all public access and enforces bucket-owner object ownership", () => {
    expect(onlyResource(stack, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(stack, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  it("denies every request that does not use TLS", () => {
    const policy = JSON.parse(onlyResource(stack, "aws_s3_bucket_policy").policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [
          "${aws_s3_bucket.state-bucket_828F7150.arn}",
          "${aws_s3_bucket.state-bucket_828F7150.arn}/*",
        ],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
  });

  it("expires noncurrent state versions after the configured days", () => {
    const [rule] = onlyResource(stack, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rule).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
  });

  it("creates the on-demand, recoverable, encrypted lock table", () => {
    expect(onlyResource(stack, "aws_dynamodb_table")).toMatchObject({
      name: "sandbox-license-manager-tflock",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      lifecycle: { prevent_destroy: true },
    });
  });

  it("keeps its own state local until migrated", () => {
    expect(stack.terraform.backend).toEqual({
      local: { path: "../../../terraform.bootstrap.sandbox-license-manager-tfstate.tfstate" },
    });
  });
});

describe("bootstrap stack with lockfile locking and a KMS key (production example shape)", () => {
  const kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  const stack = synthesizeStacks(
    configWith((document) => {
      document.backend.locking = "lockfile";
      delete document.backend.dynamodbTable;
      document.backend.kmsKeyArn = kmsKeyArn;
      document.backend.noncurrentVersionExpirationDays = 30;
      document.backend.bootstrapStateInBackend = true;
    }),
  ).bootstrap;

  it("encrypts with the customer managed key and an S3 bucket key", () => {
    expect(onlyResource(stack, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: kmsKeyArn },
        bucket_key_enabled: true,
      },
    ]);
  });

  it("creates no lock table", () => {
    expect(stack.resource.aws_dynamodb_table).toBeUndefined();
  });

  it("uses the configured expiry", () => {
    const [rule] = onlyResource(stack, "aws_s3_bucket_lifecycle_configuration").rule;
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
  });

  it("keeps its state in the bucket once migrated", () => {
    expect(stack.terraform.backend.s3).toMatchObject({
      bucket: "sandbox-license-manager-tfstate",
      key: "license-manager-org/bootstrap.tfstate",
      use_lockfile: true,
    });
  });
});
