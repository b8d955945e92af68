import {
  arnPartitionProblem,
  awsPartitionIds,
  awsRegions,
  partitionOfRegion,
  unknownRegionProblem,
} from "../../lib/aws/partitions";
import { regionOption, roleArnOption } from "../../tools/cli";
import { problemsOf } from "../helpers/config";

describe("partitions and regions, from the AWS SDK's endpoint table", () => {
  it("finds the table and its partitions, without the SDK's pseudo-regions", () => {
    expect(awsPartitionIds()).toEqual(expect.arrayContaining(["aws", "aws-cn", "aws-us-gov", "aws-iso-b"]));
    expect(awsRegions()).toEqual(
      expect.arrayContaining(["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"]),
    );
    expect(awsRegions().filter((region) => region.endsWith("-global"))).toEqual([]);
    expect(partitionOfRegion("cn-north-1")).toBe("aws-cn");
    expect(partitionOfRegion("us-east-1")).toBe("aws");
    expect(partitionOfRegion("us-east-9")).toBeUndefined();
  });

  it("tells an unknown region by the count of regions, a few examples and the closest one", () => {
    expect(unknownRegionProblem("us-east-1")).toBeUndefined();
    const problem = unknownRegionProblem("us-est-1")!;
    expect(problem).toMatch(
      /^not an AWS region; expected one of the \d+ regions the AWS SDK knows, e\.g\. [a-z0-9-]+, [a-z0-9-]+, [a-z0-9-]+; did you mean "us-east-1"\?$/,
    );
  });

  it.each([
    ["arn:aws:iam::111111111111:role/Deployer", undefined],
    ["arn:aws-us-gov:sns:us-gov-west-1:111111111111:alerts", undefined],
    [
      "arn:aws-cm:iam::111111111111:role/Deployer",
      `the ARN's partition "aws-cm" is not one of AWS's partitions; expected one of ${awsPartitionIds().join(", ")}; did you mean "aws-cn"?`,
    ],
    [
      "arn:aws:sns:cn-north-1:111111111111:alerts",
      "the ARN's region cn-north-1 is in the partition aws-cn, not aws",
    ],
    [
      "arn:aws:sns:eu-wst-1:111111111111:alerts",
      expect.stringMatching(
        /^the ARN's region "eu-wst-1" is not an AWS region; .*did you mean "eu-west-1"\?$/,
      ),
    ],
  ])("judges the partition and region of %s", (arn, expected) => {
    expect(arnPartitionProblem(arn)).toEqual(expected);
  });
});

describe("config values AWS draws from a closed set", () => {
  it.each([
    [
      "an unknown home region",
      (d: Record<string, any>) => (d.homeRegion = "us-est-1"),
      /^config\/test\.yaml: homeRegion: not an AWS region; expected one of the \d+ regions the AWS SDK knows, e\.g\. .*; did you mean "us-east-1"\? \(got "us-est-1"\)$/,
    ],
    [
      "an unknown region key",
      (d: Record<string, any>) =>
        (d.licenseManager.licenseConfigurations[0].associatedAmis = { "us-eest-1": ["ami-12345678"] }),
      /^config\/test\.yaml: licenseManager\.licenseConfigurations\[0\]\.associatedAmis\.us-eest-1: invalid key; not an AWS region; .*did you mean "us-east-1"\? \(got "us-eest-1"\)$/,
    ],
    [
      "an ARN in no partition",
      (d: Record<string, any>) => (d.deployRoleArn = "arn:aws-cm:iam::111111111111:role/Deployer"),
      /^config\/test\.yaml: deployRoleArn: the ARN's partition "aws-cm" is not one of AWS's partitions; expected one of aws, .*; did you mean "aws-cn"\? \(got "arn:aws-cm:iam::111111111111:role\/Deployer"\)$/,
    ],
    [
      "a key whose region is in another partition",
      (d: Record<string, any>) => (d.backend.kmsKeyArn = "arn:aws:kms:cn-north-1:111111111111:alias/state"),
      /^config\/test\.yaml: backend\.kmsKeyArn: the ARN's region cn-north-1 is in the partition aws-cn, not aws \(got /,
    ],
  ])("refuses %s", (_name, change, expected) => {
    const problems = problemsOf(change);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe("the tools' region and role options", () => {
  it("check a region against the SDK's regions", () => {
    expect(regionOption("eu-west-1")).toBe("eu-west-1");
    expect(() => regionOption("eu-wset-1")).toThrow(
      /^--region is not an AWS region; .*did you mean "eu-west-1"\? \(got "eu-wset-1"\)$/,
    );
    expect(() => regionOption("moon")).toThrow(
      '--region must be a Region code such as us-east-1 (got "moon")',
    );
  });

  it("check a role ARN's partition", () => {
    expect(roleArnOption("arn:aws:iam::111111111111:role/Deployer")).toBe(
      "arn:aws:iam::111111111111:role/Deployer",
    );
    expect(() => roleArnOption("arn:aws-cm:iam::111111111111:role/Deployer")).toThrow(
      /^--role-arn: the ARN's partition "aws-cm" is not one of AWS's partitions; .*did you mean "aws-cn"\?/,
    );
  });
});
