import { Testing, TerraformStack } from "cdktf";
import { addAwsProvider, type ProjectAwsProviderProps } from "../../lib/providers/aws-provider";

/** The providers a bare stack (no config file) synthesizes with the given props. */
function synthesizeProviders(...providers: ProjectAwsProviderProps[]): Record<string, any>[] {
  const stack = new TerraformStack(Testing.app(), "test");
  providers.forEach((props, index) => addAwsProvider(stack, `aws-${index}`, props));
  return JSON.parse(Testing.synth(stack)).provider.aws;
}

const required: ProjectAwsProviderProps = {
  region: "eu-west-1",
  managementAccountId: "123456789012",
  environment: "staging",
  stack: "organization",
};

describe("addAwsProvider", () => {
  describe("with only the required props", () => {
    const [provider] = synthesizeProviders(required);

    it("is locked to the management account, in the region, with the caller's credentials", () => {
      expect(provider).toEqual({
        region: "eu-west-1",
        allowed_account_ids: ["123456789012"],
        default_tags: [
          {
            tags: {
              "license-manager-org:project": "license-manager-org",
              "license-manager-org:environment": "staging",
              "license-manager-org:stack": "organization",
            },
          },
        ],
      });
    });
  });

  describe("with every optional prop", () => {
    const [provider] = synthesizeProviders({
      ...required,
      alias: "eu-west-1",
      roleArn: "arn:aws:iam::123456789012:role/Deployer",
      defaultTags: { Team: "platform", "license-manager-org:stack": "overridden" },
      s3UsePathStyle: true,
    });

    it("assumes the role with the project's session name", () => {
      expect(provider.assume_role).toEqual([
        { role_arn: "arn:aws:iam::123456789012:role/Deployer", session_name: "license-manager-org" },
      ]);
    });

    it("has the alias and path-style S3", () => {
      expect(provider.alias).toBe("eu-west-1");
      expect(provider.s3_use_path_style).toBe(true);
    });

    it("adds the default tags, the project's own tags winning on a clash", () => {
      expect(provider.default_tags[0].tags).toEqual({
        Team: "platform",
        "license-manager-org:project": "license-manager-org",
        "license-manager-org:environment": "staging",
        "license-manager-org:stack": "organization",
      });
    });
  });

  it("leaves s3_use_path_style out when false", () => {
    const [provider] = synthesizeProviders({ ...required, s3UsePathStyle: false });
    expect(provider).not.toHaveProperty("s3_use_path_style");
  });
});
