import {
  amiArnPattern,
  arnParts,
  awsRegionPattern,
  iamRoleArnPattern,
  kmsKeyArnPattern,
  roleArnInAccount,
  roleNameAndPath,
  s3BucketArnPattern,
  snsTopicArnPattern,
} from "../../lib/aws/arn";
import { kmsKeyArn, region, roleArn, s3BucketArn, snsTopicArn } from "../../lib/config/formats";
import { licenseManagerSettingsSchema } from "../../lib/license-manager/settings";

describe("AWS identifiers and ARNs", () => {
  it.each([
    ["us-east-1", true],
    ["us-gov-west-1", true],
    ["cn-northwest-1", true],
    ["us-isob-east-1", true],
    ["eusc-de-east-1", true],
    ["us-east", false],
    ["mars-1", false],
    ["US-EAST-1", false],
  ])("region %s: %s", (name, valid) => {
    expect(awsRegionPattern.test(name)).toBe(valid);
  });

  it.each([
    ["arn:aws:sns:us-east-1:111111111111:alerts", true],
    ["arn:aws:sns:us-east-1:111111111111:alerts.fifo", true],
    ["arn:aws-cn:sns:cn-north-1:111111111111:alerts", true],
    ["arn:aws-us-gov:sns:us-gov-west-1:111111111111:alerts.fifo", true],
    ["arn:aws:sns:us-east-1:111111111111:alerts.txt", false],
    ["arn:aws:sns:us-east-1:1111:alerts", false],
    [`arn:aws:sns:us-east-1:111111111111:${"a".repeat(257)}`, false],
  ])("SNS topic %s: %s", (arn, valid) => {
    expect(snsTopicArnPattern.test(arn)).toBe(valid);
  });

  it.each([
    [iamRoleArnPattern, "arn:aws-iso-b:iam::111111111111:role/path/to/Deployer", true],
    [iamRoleArnPattern, "arn:aws:iam::111111111111:user/bob", false],
    [s3BucketArnPattern, "arn:aws-eusc:s3:::aws-license-manager-service-x", true],
    [s3BucketArnPattern, "arn:aws:s3:::Bad_Bucket", false],
    [kmsKeyArnPattern, "arn:aws:kms:eu-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef", true],
    [kmsKeyArnPattern, "arn:aws:kms:eu-west-1:111111111111:alias/state", true],
    [kmsKeyArnPattern, "arn:aws:kms:eu-west-1:111111111111:key/not-a-uuid", false],
    [amiArnPattern, "arn:aws-cn:ec2:cn-north-1::image/ami-0abc1234def567890", true],
    [amiArnPattern, "arn:aws:ec2:us-east-1:111111111111:image/ami-0abc1234def567890", false],
  ])("%s matches %s: %s", (pattern, arn, valid) => {
    expect(pattern.test(arn)).toBe(valid);
  });

  it("is the one format of the config schema and of the CLIs' input", () => {
    const samples = [
      "arn:aws:sns:us-east-1:111111111111:alerts.fifo",
      "arn:aws-cn:s3:::aws-license-manager-service-x",
      "arn:aws-us-gov:iam::111111111111:role/Deployer",
      "arn:aws:kms:us-east-1:111111111111:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
      "not-an-arn",
    ];
    for (const sample of samples) {
      expect(snsTopicArn.safeParse(sample).success).toBe(snsTopicArnPattern.test(sample));
      expect(s3BucketArn.safeParse(sample).success).toBe(s3BucketArnPattern.test(sample));
      expect(roleArn.safeParse(sample).success).toBe(iamRoleArnPattern.test(sample));
      expect(kmsKeyArn.safeParse(sample).success).toBe(kmsKeyArnPattern.test(sample));
    }
    expect(region.safeParse("eusc-de-east-1").success).toBe(true);
    const settings = {
      region: "us-east-1",
      enableIntegration: true,
      enableCrossAccountsDiscovery: false,
      snsTopicArn: "arn:aws:sns:us-east-1:111111111111:alerts.fifo",
      s3BucketArn: "arn:aws-cn:s3:::aws-license-manager-service-x",
    };
    expect(licenseManagerSettingsSchema.safeParse(settings).success).toBe(true);
  });

  it("takes ARNs apart and builds role ARNs in the same partition", () => {
    expect(arnParts("arn:aws-cn:sns:cn-north-1:111111111111:alerts")).toMatchObject({
      partition: "aws-cn",
      service: "sns",
      region: "cn-north-1",
      accountId: "111111111111",
      resource: "alerts",
    });
    expect(roleNameAndPath("arn:aws:iam::111111111111:role/a/b/Name")).toEqual({
      name: "Name",
      path: "/a/b/",
    });
    expect(roleNameAndPath("arn:aws:iam::111111111111:role/Name")).toEqual({ name: "Name", path: "/" });
    expect(roleArnInAccount("222222222222", "Reader", "arn:aws-us-gov:iam::111111111111:role/Deployer")).toBe(
      "arn:aws-us-gov:iam::222222222222:role/Reader",
    );
    expect(roleArnInAccount("222222222222", "Reader")).toBe("arn:aws:iam::222222222222:role/Reader");
  });
});
