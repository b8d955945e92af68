/**
 * Field formats of the config schema, each with the words used when a value does not fit. The AWS identifier
 * and ARN patterns themselves are lib/aws/arn.ts, shared with the CLIs.
 */
import { oneOf } from "../messages/alternatives";
import { z } from "zod";
import {
  accountIdPattern,
  amiArnPattern,
  amiIdPattern,
  awsRegionPattern,
  githubOidcProviderArnPattern,
  iamPrincipalArnPattern,
  iamRoleArnPattern,
  iamRoleNamePattern,
  kmsKeyArnPattern,
  organizationIdPattern,
  s3BucketArnPattern,
  servicePrincipalPattern,
  snsTopicArnPattern,
} from "../aws/arn";
import { arnPartitionProblem, unknownRegionProblem } from "../aws/partitions";

/** A string matching `pattern`; every way to miss it is told with the same words. */
export function formatted(pattern: RegExp, expected: string, typeHint = "") {
  return z
    .string({
      invalid_type_error: `expected ${expected}${typeHint}`,
      required_error: `required; expected ${expected}${typeHint}`,
    })
    .regex(pattern, { message: `expected ${expected}` });
}

/**
 * A string matching `pattern` that must also pass a check against AWS's own data (`problem`, judged only once the
 * pattern matches, so a value is told one thing at a time). The JSON Schema keeps the pattern.
 */
function checked<T extends z.ZodTypeAny>(
  schema: T,
  pattern: RegExp,
  problem: (value: string) => string | undefined,
) {
  return schema.superRefine((value: unknown, ctx) => {
    if (typeof value !== "string" || !pattern.test(value)) return;
    const found = problem(value);
    if (found !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: found });
  });
}

/** An ARN of `pattern` whose partition (and region, if it has one) are AWS's. */
const arn = (pattern: RegExp, expected: string) =>
  checked(formatted(pattern, expected), pattern, arnPartitionProblem);

/**
 * A mapping's key matching `pattern`. zod reports a key at the same path as its value: the words "invalid
 * key" tell the loader to show the key, not the value, as what it got.
 */
function formattedKey(pattern: RegExp, expected: string) {
  return z.string().regex(pattern, { message: `${invalidKey}; expected ${expected}` });
}
export const invalidKey = "invalid key";

/** A whole number within a range; one message for a fraction, a value out of range, or a non-number. */
export function wholeNumber(minimum: number, maximum: number | undefined, unit: string) {
  const expected =
    maximum === undefined
      ? `expected a whole number of ${unit}, at least ${minimum}`
      : `expected a whole number of ${unit} from ${minimum} to ${maximum}`;
  const schema = z
    .number({ invalid_type_error: expected, required_error: `required; ${expected}` })
    .int({ message: expected })
    .min(minimum, { message: expected });
  return maximum === undefined ? schema : schema.max(maximum, { message: expected });
}

export const trueOrFalse = () =>
  z.boolean({
    invalid_type_error: "expected true or false",
    required_error: "required; expected true or false",
  });

// YAML reads unquoted digits as a number and drops leading zeros, so account ids must be quoted.
export const accountId = formatted(
  accountIdPattern,
  "a 12-digit AWS account id",
  ' as a quoted string, e.g. "012345678901"',
);
export const organizationId = formatted(
  organizationIdPattern,
  'an organization id: "o-" followed by 10 to 32 lowercase letters or digits',
);
// Regions are AWS's closed set: the pattern for editors, then the AWS SDK's own list of regions.
export const region = checked(
  formatted(awsRegionPattern, "an AWS region name such as us-east-1"),
  awsRegionPattern,
  unknownRegionProblem,
);
export const regionKey = checked(
  formattedKey(awsRegionPattern, "an AWS region name such as us-east-1"),
  awsRegionPattern,
  (key) => {
    const problem = unknownRegionProblem(key);
    return problem && `${invalidKey}; ${problem}`;
  },
);
export const roleArn = arn(
  iamRoleArnPattern,
  "an IAM role ARN such as arn:aws:iam::111111111111:role/Deployer",
);
export const iamRoleName = formatted(iamRoleNamePattern, "an IAM role name: 1–64 letters, digits or +=,.@_-");
export const servicePrincipal = formatted(
  servicePrincipalPattern,
  "a service principal such as sso.amazonaws.com",
);
export const kmsKeyArn = arn(
  kmsKeyArnPattern,
  "a KMS key or alias ARN such as arn:aws:kms:us-east-1:111111111111:key/<uuid>",
);
export const s3BucketArn = arn(s3BucketArnPattern, "an S3 bucket ARN");
export const snsTopicArn = arn(
  snsTopicArnPattern,
  "an SNS topic ARN such as arn:aws:sns:us-east-1:111111111111:license-manager",
);
export const amiReference = checked(
  formatted(
    new RegExp(`${amiIdPattern.source}|${amiArnPattern.source}`),
    "an AMI id (ami-0123456789abcdef0) or AMI ARN (arn:aws:ec2:<region>::image/ami-…)",
  ),
  amiArnPattern,
  arnPartitionProblem,
);
export const iamPrincipalArn = arn(
  iamPrincipalArnPattern,
  "an IAM user, role or account-root ARN such as arn:aws:iam::111111111111:role/Administrator",
);
export const githubOidcProviderArn = arn(
  githubOidcProviderArnPattern,
  "the ARN of GitHub's OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com",
);

// AWS's tagging rules (Tagging AWS resources, "Tag naming limits and requirements"): Unicode letters, digits,
// spaces and _ . : / = + - @; keys 1–128 characters, values up to 256; the aws: prefix, in any case, is
// reserved; at most 50 tags per resource. Lengths count characters, not UTF-16 code units (hence the u flag).
const tagCharacter = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";
export const maximumTagsPerResource = 50;
const tagKey = formattedKey(
  new RegExp(`^(?![aA][wW][sS]:)${tagCharacter}{1,128}$`, "u"),
  "a tag key of 1–128 Unicode letters, digits, spaces and _ . : / = + - @, not starting with aws:",
);
const tagValue = formatted(
  new RegExp(`^${tagCharacter}{0,256}$`, "u"),
  "a tag value as a string: up to 256 Unicode letters, digits, spaces and _ . : / = + - @",
);
/** The environment's name, the value of the license-manager-org:environment tag: a non-empty tag value. */
export const environmentName = formatted(
  new RegExp(`^${tagCharacter}{1,256}$`, "u"),
  "a name for the environment: 1–256 Unicode letters, digits, spaces and _ . : / = + - @",
);
export const tags = z.record(tagKey, tagValue).superRefine((map, ctx) => {
  const count = Object.keys(map).length;
  if (count > maximumTagsPerResource) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `expected at most ${maximumTagsPerResource} tags, AWS's limit per resource (got ${count} tags)`,
    });
  }
});

const bucketRules =
  "3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";

/** S3's bucket naming rules (general purpose buckets). */
export const s3BucketName = z
  .string({
    invalid_type_error: `expected an S3 bucket name: ${bucketRules}`,
    required_error: `required; expected an S3 bucket name: ${bucketRules}`,
  })
  // For the JSON Schema (editors); the same words as the rule below, so a name failing both is told once.
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: `expected an S3 bucket name: ${bucketRules}` })
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

/**
 * Adds an issue for each item whose key (the item itself by default) appeared earlier in the list, at
 * `[index, ...keyPath]`.
 */
export function uniqueItems<T>(
  describe: string,
  keyOf: (item: T) => unknown = (item) => item,
  keyPath: readonly string[] = [],
) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const firstIndex = new Map<unknown, number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const first = firstIndex.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index, ...keyPath],
          message: `duplicate of [${first}]${keyPath.map((part) => `.${part}`).join("")}; expected each ${describe} once`,
        });
      } else {
        firstIndex.set(key, index);
      }
    });
  };
}

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

export const githubBranch = formatted(
  /^(?!\/|.*\/$|.*\/\/|.*\.\.)[A-Za-z0-9._/-]{1,255}$/,
  "a branch name such as main (letters, digits, '.', '_', '-', '/')",
);

/** One of a fixed list of values, told as the list. */
export const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: (issue, context) => ({
      message: `${issue.code === "invalid_type" && issue.received === "undefined" ? "required; " : ""}expected ${oneOf(values, { given: context.data })}`,
    }),
  });

/** A strict object (unknown keys are errors) whose wrong type or absence is told as what it should hold. */
export const section = <T extends z.ZodRawShape>(shape: T, expected: string) =>
  z
    .object(shape, {
      invalid_type_error: `expected ${expected}`,
      required_error: `required; expected ${expected}`,
    })
    .strict();

/** A custom issue at a path relative to the value being refined. */
export const issue = (ctx: z.RefinementCtx, path: (string | number)[], message: string) =>
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
