/**
 * AWS identifiers and ARN formats, one pattern each, for the config schema (lib/config/formats.ts) and the
 * CLIs alike. Every ARN pattern accepts any partition's shape (aws, aws-cn, aws-us-gov, the ISO partitions,
 * aws-eusc, …); that the partition and region exist is checked against the AWS SDK's partition table
 * (partitions.ts). ARNs are taken apart with @aws-sdk/util-arn-parser.
 */
import { parse } from "@aws-sdk/util-arn-parser";

// The shape of a partition; which partitions exist is AWS's own data (partitions.ts: arnPartitionProblem).
const partition = "aws(?:-[a-z]+)*";
// us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1
const region = "[a-z]{2,4}(?:-[a-z]+){1,2}-\\d{1,2}";
const account = "\\d{12}";
const iamName = "[\\w+=,.@-]{1,64}";
const iamPath = "(?:[\\w+=,.@-]+/)*";
const bucketName = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
const amiId = "ami-[0-9a-f]{8,17}";
const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

export const awsRegionPattern = whole(region);
export const accountIdPattern = whole(account);
export const organizationIdPattern = /^o-[a-z0-9]{10,32}$/;
export const servicePrincipalPattern = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/;
export const iamRoleNamePattern = whole(iamName);
export const amiIdPattern = whole(amiId);

export const iamRoleArnPattern = whole(`arn:${partition}:iam::${account}:role/${iamPath}${iamName}`);
/** Principals a role may trust: a user, a role, an account's root, or an assumed-role session. */
export const iamPrincipalArnPattern = whole(
  `arn:${partition}:(?:iam::${account}:(?:(?:user|role)/${iamPath}${iamName}|root)|sts::${account}:assumed-role/${iamName}/[\\w+=,.@-]{2,64})`,
);
export const githubOidcProviderArnPattern = whole(
  `arn:${partition}:iam::${account}:oidc-provider/token\\.actions\\.githubusercontent\\.com`,
);
/** A key (single- or multi-Region) or an alias. */
export const kmsKeyArnPattern = whole(
  `arn:${partition}:kms:${region}:${account}:(?:key/(?:${uuid}|mrk-[0-9a-f]{32})|alias/[\\w/+=,.@-]+)`,
);
export const s3BucketArnPattern = whole(`arn:${partition}:s3:::${bucketName}`);
/** Standard and FIFO topics: up to 256 characters, a FIFO topic's name ending in .fifo. */
export const snsTopicArnPattern = whole(
  `arn:${partition}:sns:${region}:${account}:(?:[A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\\.fifo)`,
);
/** Licenses and grants are global to the partition: no region (Service Authorization Reference, License Manager). */
export const licenseArnPattern = whole(`arn:${partition}:license-manager::${account}:license:l-[0-9a-f]{32}`);
export const grantArnPattern = whole(`arn:${partition}:license-manager::${account}:grant:g-[0-9a-f]{32}`);
/** AMI ARNs carry a region but no account. */
export const amiArnPattern = whole(`arn:${partition}:ec2:${region}::image/${amiId}`);

export const examples = {
  region: "us-east-1",
  s3BucketArn: "arn:aws:s3:::aws-license-manager-service-example",
  snsTopicArn: "arn:aws:sns:us-east-1:111111111111:license-manager",
  iamRoleArn: "arn:aws:iam::111111111111:role/LicenseManagerDeployer",
} as const;

/** The parts of an ARN: partition, service, region, accountId and resource (after the fifth colon). */
export function arnParts(arn: string) {
  return parse(arn);
}

/** The name of a bucket given by its ARN. */
export function bucketNameOfArn(bucketArn: string): string {
  return parse(bucketArn).resource;
}

/** `arn:aws:iam::1:role/a/b/Name` → path `/a/b/`, name `Name`. */
export function roleNameAndPath(roleArn: string): { name: string; path: string } {
  const segments = parse(roleArn)
    .resource.replace(/^role\//, "")
    .split("/");
  const name = segments.pop() as string;
  return { name, path: segments.length > 0 ? `/${segments.join("/")}/` : "/" };
}

/** arn:<partition>:iam::<accountId>:role/<roleName>, in the partition of the given ARN (default aws). */
export function roleArnInAccount(accountId: string, roleName: string, partitionOf?: string): string {
  const partitionName = partitionOf ? parse(partitionOf).partition : "aws";
  return `arn:${partitionName}:iam::${accountId}:role/${roleName}`;
}
