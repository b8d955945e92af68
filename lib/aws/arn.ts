const partition = "aws(?:-cn|-us-gov|-iso(?:-[a-z])?)?";
const region = "[a-z]{2}(?:-[a-z]+)+-\\d+";

export const awsRegionPattern = new RegExp(`^${region}$`);
export const accountIdPattern = /^\d{12}$/;
export const s3BucketArnPattern = new RegExp(`^arn:${partition}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`);
export const snsTopicArnPattern = new RegExp(
  `^arn:${partition}:sns:${region}:\\d{12}:[A-Za-z0-9_-]{1,256}(?:\\.fifo)?$`,
);
export const iamRoleArnPattern = new RegExp(
  `^arn:${partition}:iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`,
);

export const examples = {
  region: "us-east-1",
  s3BucketArn: "arn:aws:s3:::aws-license-manager-service-example",
  snsTopicArn: "arn:aws:sns:us-east-1:111111111111:license-manager",
  iamRoleArn: "arn:aws:iam::111111111111:role/LicenseManagerDeployer",
} as const;

/** arn:aws:iam::<accountId>:role/<roleName> in the same partition as the given ARN (default aws). */
export function roleArnInAccount(accountId: string, roleName: string, partitionOf?: string): string {
  const partitionName = partitionOf?.split(":")[1] ?? "aws";
  return `arn:${partitionName}:iam::${accountId}:role/${roleName}`;
}
