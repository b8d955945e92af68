import { configWith } from "../helpers/config";
import { s3CompatibleBackendFlags } from "../helpers/expected";
import { synthesizeStacks } from "../helpers/synth";

const remoteStacks = (stacks: Record<string, Record<string, any>>) =>
  Object.entries(stacks).filter(([name]) => name !== "bootstrap");

describe("remote state of every stack but the bootstrap", () => {
  describe("with DynamoDB locking and S3 compatibility (sandbox config)", () => {
    const stacks = synthesizeStacks(configWith(() => {}));

    it.each(remoteStacks(stacks))(
      "%s keeps its state under its own key, encrypted with the config's KMS key, locked by the table",
      (name, stack) => {
        expect(stack.terraform.backend).toEqual({
          s3: {
            bucket: "sandbox-license-manager-tfstate",
            key: `license-manager-org/${name}.tfstate`,
            region: "us-east-1",
            encrypt: true,
            kms_key_id: "arn:aws:kms:us-east-1:111111111111:key/5a4d1f3e-0c2b-4e6a-9d7f-8b1c2e3d4f50",
            dynamodb_table: "sandbox-license-manager-tflock",
            // The access stack is the administrator's; the others deploy with the deploy role.
            ...(name === "access"
              ? {}
              : {
                  assume_role: {
                    role_arn: "arn:aws:iam::111111111111:role/LicenseManagerDeployer",
                    session_name: "license-manager-org-state",
                  },
                }),
            ...s3CompatibleBackendFlags,
          },
        });
      },
    );
  });

  describe("with S3 lockfile locking, a KMS key and no deploy role", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    const stacks = synthesizeStacks(
      configWith((document) => {
        delete document.deployRoleArn;
        delete document.planRoleArn;
        delete document.access;
        delete document.s3Compatibility;
        document.backend = {
          bucket: "acme-state",
          keyPrefix: "platform/lm",
          region: "eu-west-1",
          locking: "lockfile",
          kmsKeyArn,
        };
      }),
    );

    it.each(remoteStacks(stacks))("%s uses use_lockfile, the key and no AWS-only skips", (name, stack) => {
      expect(stack.terraform.backend).toEqual({
        s3: {
          bucket: "acme-state",
          key: `platform/lm/${name}.tfstate`,
          region: "eu-west-1",
          encrypt: true,
          kms_key_id: kmsKeyArn,
          use_lockfile: true,
        },
      });
    });
  });
});
