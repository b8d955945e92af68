/** Field formats shared by the config schema, each with the words used when a value does not fit. */
import { z } from "zod";

function formatted(pattern: RegExp, expected: string, typeHint = "") {
  return z
    .string({
      invalid_type_error: `expected ${expected}${typeHint}`,
      required_error: `required: ${expected}${typeHint}`,
    })
    .regex(pattern, { message: `expected ${expected}` });
}

// YAML reads unquoted digits as a number and drops leading zeros, so account ids must be quoted.
export const accountId = formatted(
  /^\d{12}$/,
  "a 12-digit AWS account id",
  ' as a quoted string, e.g. "012345678901"',
);
export const organizationId = formatted(
  /^o-[a-z0-9]{10,32}$/,
  'an organization id: "o-" followed by 10 to 32 lowercase letters or digits',
);
export const region = formatted(
  /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/,
  "an AWS region name such as us-east-1",
);
export const roleArn = formatted(
  /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  "an IAM role ARN such as arn:aws:iam::111111111111:role/Deployer",
);
export const servicePrincipal = formatted(
  /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/,
  "a service principal such as sso.amazonaws.com",
);
export const kmsKeyArn = formatted(
  /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key\/[a-f0-9-]{36}|key\/mrk-[a-f0-9]{32}|alias\/[\w/+=,.@-]+)$/,
  "a KMS key or alias ARN such as arn:aws:kms:us-east-1:111111111111:key/<uuid>",
);
export const s3BucketArn = formatted(/^arn:aws(-cn|-us-gov)?:s3:::[a-z0-9.-]{3,63}$/, "an S3 bucket ARN");
export const snsTopicArn = formatted(
  /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/,
  "an SNS topic ARN such as arn:aws:sns:us-east-1:111111111111:license-manager",
);
export const amiReference = formatted(
  /^(ami-[0-9a-f]{8,17}|arn:aws(-cn|-us-gov)?:ec2:[a-z0-9-]+::image\/ami-[0-9a-f]{8,17})$/,
  "an AMI id (ami-0123456789abcdef0) or AMI ARN (arn:aws:ec2:<region>::image/ami-…)",
);
export const tags = z.record(
  z.string().min(1).max(128),
  z.string({ invalid_type_error: "expected a tag value as a string" }).max(256),
);

const bucketRules =
  "3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";

/** S3's bucket naming rules (general purpose buckets). */
export const s3BucketName = z
  .string({ invalid_type_error: `expected an S3 bucket name: ${bucketRules}` })
  .superRefine((name, ctx) => {
    const problem = bucketNameProblem(name);
    if (problem)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `expected an S3 bucket name: ${problem}` });
  });

function bucketNameProblem(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) return bucketRules;
  if (name.includes("..")) return "no two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "not formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "not starting with xn--, sthree- or amzn-s3-demo-";
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name))
    return "not ending with -s3alias, --ol-s3, --x-s3 or --table-s3";
  return undefined;
}

/** Adds an issue for each value that appears more than once in a list. */
export function uniqueItems<T>(describe: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<T>();
    items.forEach((item, index) => {
      if (seen.has(item)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index], message: `duplicate ${describe}` });
      }
      seen.add(item);
    });
  };
}

/** Principals a role may trust for workstation use: a user, a role, or an account's root. */
export const iamPrincipalArn = formatted(
  /^arn:aws(-cn|-us-gov)?:(iam::\d{12}:(user|role)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}|iam::\d{12}:root|sts::\d{12}:assumed-role\/[\w+=,.@-]{1,64}\/[\w+=,.@-]{2,64})$/,
  "an IAM user, role or account-root ARN such as arn:aws:iam::111111111111:role/Administrator",
);

export const githubOidcProviderArn = formatted(
  /^arn:aws(-cn|-us-gov)?:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
  "the ARN of GitHub's OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
);

// GitHub's own rules: owners (users, organizations) are 1–39 letters, digits or single hyphens, not at either
// end; repository names 1–100 letters, digits, '.', '_' or '-', never "." or "..".
const githubOwner = "[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}";
const githubRepositoryName = "(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}";
export const githubRepository = formatted(
  new RegExp(`^${githubOwner}/${githubRepositoryName}$`),
  "a GitHub repository as <owner>/<name>, e.g. example-org/license-manager-org",
);

/**
 * GitHub environment names are at most 255 characters; the name also becomes part of the OIDC token's `sub`
 * claim (`repo:<owner>/<repo>:environment:<name>`), matched exactly, so separators and wildcards are refused.
 */
export const githubEnvironment = formatted(
  /^[A-Za-z0-9 _.-]{1,255}$/,
  "a GitHub environment name: 1–255 letters, digits, spaces, '_', '.' or '-'",
);
