import { randomUUID } from "node:crypto";
import type { FaultKind } from "./profile";

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  code: string;
}

/**
 * Each service's own throttling error, as its API reference and SDK v3 error schema give it:
 * Organizations TooManyRequestsException (429 in the schema), License Manager RateLimitExceededException (429),
 * IAM and STS Throttling (400, the query protocol's common error), SNS Throttled (ThrottledException, 429).
 */
const THROTTLING: Record<string, { code: string; status: number; message: string }> = {
  organizations: { code: "TooManyRequestsException", status: 429, message: "Rate exceeded" },
  "license-manager": { code: "RateLimitExceededException", status: 429, message: "Rate exceeded" },
  iam: { code: "Throttling", status: 400, message: "Rate exceeded" },
  sts: { code: "Throttling", status: 400, message: "Rate exceeded" },
  sns: { code: "Throttled", status: 429, message: "Rate exceeded" },
};

/** A fault of a JSON 1.1 service (Organizations, License Manager). */
export function jsonFault(service: string, kind: FaultKind): FaultResponse {
  const { code, status, message } =
    kind === "throttle"
      ? (THROTTLING[service] ?? THROTTLING.organizations)
      : {
          code: "InternalFailure",
          status: 500,
          message: "The request processing has failed because of an unknown error.",
        };
  const requestId = randomUUID();
  return {
    status,
    code,
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": code,
    },
    body: JSON.stringify({ __type: code, message }),
  };
}

/** A fault of a query-protocol service (IAM, STS, SNS), in its namespace. */
export function queryFault(service: string, xmlns: string, kind: FaultKind): FaultResponse {
  const { code, status, message } =
    kind === "throttle"
      ? (THROTTLING[service] ?? THROTTLING.iam)
      : {
          code: "ServiceUnavailable",
          status: 503,
          message: "The request has failed due to a temporary failure of the server.",
        };
  const requestId = randomUUID();
  const type = status >= 500 ? "Receiver" : "Sender";
  return {
    status,
    code,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body: `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** S3's SlowDown (503) and InternalError (500), as the S3 API reference's error list gives them. */
export function s3Fault(kind: FaultKind): FaultResponse {
  const [code, status, message] =
    kind === "throttle"
      ? ["SlowDown", 503, "Please reduce your request rate."]
      : ["InternalError", 500, "We encountered an internal error. Please try again."];
  const requestId = randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase();
  return {
    status,
    code,
    headers: { "content-type": "application/xml", "x-amz-request-id": requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}

/** DynamoDB's ThrottlingException (400) and InternalServerError (500), JSON 1.0 with the namespaced type. */
export function dynamoFault(kind: FaultKind): FaultResponse {
  const [code, status, message] =
    kind === "throttle"
      ? ["ThrottlingException", 400, "Rate of requests exceeds the allowed throughput."]
      : ["InternalServerError", 500, "Internal server error"];
  return {
    status,
    code,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID() },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${code}`, message }),
  };
}
