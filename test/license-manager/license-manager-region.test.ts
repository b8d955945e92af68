import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import type { LicenseConfigurationConfig } from "../../lib/config/model";
import {
  LicenseManagerRegion,
  type LicenseManagerRegionProps,
} from "../../lib/license-manager/license-manager-region";
import { settingsInput } from "../helpers/expected";

type RegionProps = Omit<LicenseManagerRegionProps, "provider">;

/** One LicenseManagerRegion in a bare stack (no config file), synthesized. */
function synthesizeRegion(props: RegionProps): Record<string, any> {
  const stack = new TerraformStack(Testing.app(), "test");
  const provider = new AwsProvider(stack, "aws", { region: props.region });
  new LicenseManagerRegion(stack, props.region, { ...props, provider });
  return JSON.parse(Testing.synth(stack));
}

const settingsEntry = (stack: Record<string, any>) =>
  Object.entries(stack.resource.terraform_data).find(([name]) => name.includes("_settings_"))!;
const settingsOf = (stack: Record<string, any>) => settingsEntry(stack)[1] as any;

const required: RegionProps = {
  region: "eu-west-1",
  managementAccountId: "123456789012",
  organizationId: "o-abc123def4",
};

const windowsServer: LicenseConfigurationConfig = {
  name: "Windows Server",
  licenseCountingType: "vCPU",
  licenseCount: 64,
  hardLimit: false,
  rules: {},
  tags: {},
  regions: ["eu-west-1"],
  associatedAmis: { "eu-west-1": ["ami-0abc1234def567890"] },
};

describe("LicenseManagerRegion", () => {
  describe("with only the required props", () => {
    const stack = synthesizeRegion(required);
    const settings = settingsOf(stack);

    it("creates a report bucket and an alert topic, and points the settings at them", () => {
      const [bucket] = Object.keys(stack.resource.aws_s3_bucket);
      const [topic] = Object.keys(stack.resource.aws_sns_topic);
      expect(settings.input).toEqual(
        settingsInput("eu-west-1", {
          s3BucketArn: `\${aws_s3_bucket.${bucket}.arn}`,
          snsTopicArn: `\${aws_sns_topic.${topic}.arn}`,
        }),
      );
    });

    it("applies the settings after the bucket's and the topic's policies", () => {
      const [bucketPolicy] = Object.keys(stack.resource.aws_s3_bucket_policy);
      const [topicPolicy] = Object.keys(stack.resource.aws_sns_topic_policy);
      expect(settings.depends_on).toEqual([
        `aws_s3_bucket_policy.${bucketPolicy}`,
        `aws_sns_topic_policy.${topicPolicy}`,
      ]);
    });

    it("has no license configuration", () => {
      expect(stack.resource).not.toHaveProperty("aws_licensemanager_license_configuration");
    });
  });

  describe("with an existing bucket and topic, cross-account discovery and a license configuration", () => {
    const reportBucketArn = "arn:aws:s3:::acme-license-reports";
    const snsTopicArn = "arn:aws:sns:eu-west-1:123456789012:license-alerts";
    const stack = synthesizeRegion({
      ...required,
      reportBucketArn,
      snsTopicArn,
      crossAccountDiscovery: true,
      licenseConfigurations: [windowsServer],
      roleArn: "arn:aws:iam::123456789012:role/Deployer",
    });
    const settings = settingsOf(stack);

    it("creates neither bucket nor topic and uses the given ones", () => {
      expect(stack.resource).not.toHaveProperty("aws_s3_bucket");
      expect(stack.resource).not.toHaveProperty("aws_sns_topic");
      expect(settings.input).toEqual({
        kind: "license-manager-settings",
        region: "eu-west-1",
        desired: {
          enableIntegration: true,
          enableCrossAccountsDiscovery: true,
          s3BucketArn: reportBucketArn,
          snsTopicArn,
        },
      });
    });

    it("runs the reconcile CLI with the role, passed through the environment", () => {
      const { "local-exec": localExec } = settings.provisioner[0];
      expect(localExec.command).toContain('--role-arn "$LM_RECONCILE_ROLE"');
      expect(localExec.environment.LM_RECONCILE_ROLE).toBe("arn:aws:iam::123456789012:role/Deployer");
    });

    it("creates the license configuration after the settings, with its AMI association", () => {
      const [configuration] = Object.values(stack.resource.aws_licensemanager_license_configuration) as any[];
      expect(configuration).toMatchObject({ name: "Windows Server", license_counting_type: "vCPU" });
      const [settingsName] = settingsEntry(stack);
      expect(configuration.depends_on).toEqual([`terraform_data.${settingsName}`]);
      const [association] = Object.values(stack.resource.aws_licensemanager_association) as any[];
      expect(association.resource_arn).toBe("arn:aws:ec2:eu-west-1::image/ami-0abc1234def567890");
    });
  });
});
