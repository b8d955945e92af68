import { Testing, TerraformStack } from "cdktf";
import { useRemoteState, type RemoteStateProps } from "../../lib/backend/remote-state";
import { s3CompatibleBackendFlags } from "../helpers/expected";

/** The backend block a bare stack (no config file) synthesizes with the given props. */
function synthesizeBackend(props: RemoteStateProps): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  useRemoteState(stack, props);
  return JSON.parse(Testing.synth(stack)).terraform.backend;
}

const required: RemoteStateProps = {
  bucket: "acme-state",
  key: "platform/organization.tfstate",
  region: "eu-west-1",
};

describe("useRemoteState", () => {
  it("with only the required props: encrypted, locked by an S3 lockfile, the caller's credentials", () => {
    expect(synthesizeBackend(required)).toEqual({
      s3: {
        bucket: "acme-state",
        key: "platform/organization.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("with DynamoDB locking, a KMS key, a role and S3 compatibility", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    expect(
      synthesizeBackend({
        ...required,
        locking: "dynamodb",
        dynamodbTable: "acme-lock",
        kmsKeyArn,
        roleArn: "arn:aws:iam::123456789012:role/Deployer",
        usePathStyle: true,
        skipBackendValidation: true,
      }),
    ).toEqual({
      s3: {
        bucket: "acme-state",
        key: "platform/organization.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: kmsKeyArn,
        dynamodb_table: "acme-lock",
        assume_role: {
          role_arn: "arn:aws:iam::123456789012:role/Deployer",
          session_name: "license-manager-org-state",
        },
        ...s3CompatibleBackendFlags,
      },
    });
  });

  it("ignores a lock table with lockfile locking", () => {
    const backend = synthesizeBackend({ ...required, locking: "lockfile", dynamodbTable: "acme-lock" });
    expect(backend.s3).not.toHaveProperty("dynamodb_table");
    expect(backend.s3.use_lockfile).toBe(true);
  });
});
