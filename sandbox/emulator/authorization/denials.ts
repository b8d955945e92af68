import { AwsError } from "../errors";
import type { CheckOutcome } from "./types";

/**
 * AWS's access-denied message (IAM User Guide, "Troubleshoot access denied error messages"). STS names only the
 * role when a trust policy refuses; S3 quotes the resource; SNS spells its actions `SNS:`.
 */
export function denialMessage(principalArn: string, refused: CheckOutcome, service?: string): string {
  const action = service === "sns" ? refused.iamAction.replace(/^sns:/, "SNS:") : refused.iamAction;
  const resource = refused.deniedResource ?? refused.resources[0] ?? "*";
  const quoted = service === "s3" ? `"${resource}"` : resource;
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${quoted}`;
  switch (refused.denialReason) {
    case "trust":
      return head;
    case "explicit":
      return `${head} with an explicit deny in an identity-based policy`;
    default:
      return `${head} because no identity-based policy allows the ${action} action`;
  }
}

/**
 * The access-denied error of each emulated service, in its protocol: JSON services answer
 * AccessDeniedException (400), IAM and STS AccessDenied (403), SNS AuthorizationError (403).
 */
export function accessDeniedError(service: string, principalArn: string, refused: CheckOutcome): AwsError {
  const message = denialMessage(principalArn, refused, service);
  switch (service) {
    case "iam":
    case "sts":
      return new AwsError("AccessDenied", message, 403);
    case "sns":
      return new AwsError("AuthorizationError", message, 403);
    default:
      return new AwsError("AccessDeniedException", message, 400);
  }
}
