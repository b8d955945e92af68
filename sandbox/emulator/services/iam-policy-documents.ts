import { validateIdentityPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { AwsError } from "../errors";

const malformed = (message: string): AwsError => new AwsError("MalformedPolicyDocument", message);

/** IAM counts a policy's size without whitespace (IAM User Guide, "IAM and AWS STS quotas"). */
export const policySize = (document: string): number => document.replace(/\s/g, "").length;

/** Every inline policy of a role together. */
export const ROLE_INLINE_POLICIES_MAX_SIZE = 10240;
/** A role's trust policy, at the default quota. */
export const ROLE_TRUST_POLICY_MAX_SIZE = 2048;

function parse(document: string): unknown {
  try {
    return JSON.parse(document) as unknown;
  } catch {
    throw malformed("This policy contains invalid Json");
  }
}

function check(errors: { path: string; message: string }[]): void {
  if (errors.length > 0) {
    const details = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
    throw malformed(`Syntax errors in policy. ${details}`);
  }
}

/** Validates an identity policy as IAM does on PutRolePolicy, with iam-policy's validator. */
export function validIdentityPolicy(document: string): string {
  check(validateIdentityPolicy(parse(document)));
  return document;
}

/** Validates a trust policy as IAM does on CreateRole and UpdateAssumeRolePolicy. */
export function validTrustPolicy(document: string): string {
  check(validateTrustPolicy(parse(document)));
  if (policySize(document) > ROLE_TRUST_POLICY_MAX_SIZE) {
    throw new AwsError(
      "LimitExceeded",
      `Cannot exceed quota for ACLSizePerRole: ${ROLE_TRUST_POLICY_MAX_SIZE}`,
      409,
    );
  }
  return document;
}
