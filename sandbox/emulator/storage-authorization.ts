import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { denialMessage } from "./authorization/denials";
import { dynamoChecks, type PartitionKeyLookup } from "./authorization/dynamodb-operations";
import { s3Operation } from "./authorization/s3-operations";
import type {
  AuthorizationOutcome,
  CheckOutcome,
  IamCheck,
  IamDecision,
  StorageAuthorization,
} from "./authorization/types";
import { authorizationFields, type CallLogEntry } from "./call-log";
import { parseSigningScope } from "./identity";
import { escapeXml } from "./xml";

export interface StorageReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface GuardedStorageRequest {
  /** The call log entry so far: the response's status and error code complete it. */
  entry: Omit<CallLogEntry, "time" | "status">;
  /** Set when the request must not reach s3rver or dynalite: the caller's key is bad or IAM refused. */
  refusal?: StorageReply;
}

const s3Error = (status: number, code: string, message: string, extra = ""): StorageReply => ({
  status,
  headers: { "content-type": "application/xml" },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}<RequestId>${randomUUID()}</RequestId><HostId>sandbox</HostId></Error>`,
});

const dynamoError = (code: string, message: string, field = "message"): StorageReply => ({
  status: 400,
  headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID() },
  body: JSON.stringify({ __type: `com.amazon.coral.service#${code}`, [field]: message }),
});

/** A HEAD answer has no body: S3 sends the status alone. */
const withoutBodyFor = (method: string | undefined, reply: StorageReply): StorageReply =>
  method === "HEAD" ? { ...reply, body: "" } : reply;

/** SigV4 in the Authorization header, or in the query string of a presigned URL. */
function signingScope(request: IncomingMessage) {
  const fromHeader = parseSigningScope(request.headers.authorization);
  if (fromHeader) return fromHeader;
  const credential = new URL(request.url ?? "/", "http://front").searchParams.get("X-Amz-Credential");
  return credential ? parseSigningScope(`Credential=${credential}`) : undefined;
}

/**
 * Resolves the caller of an S3 or DynamoDB request against the emulator's credentials, evaluates the IAM
 * checks of the operation, and answers as S3 (REST-XML) or DynamoDB (JSON 1.0) would when the key is unknown
 * or expired, or when IAM refuses: S3 AccessDenied 403, DynamoDB AccessDeniedException 400.
 */
export async function guardStorageRequest(
  authorization: StorageAuthorization,
  request: IncomingMessage,
  body: Buffer,
  partitionKey: PartitionKeyLookup,
  /** The KMS checks S3 makes of an object operation's caller (storage-kms.ts); none when left out. */
  kmsChecks: (operation: string, region: string, accountId: string) => IamCheck[] = () => [],
): Promise<GuardedStorageRequest> {
  const target = request.headers["x-amz-target"];
  const dynamo = target !== undefined;
  const scope = signingScope(request);
  const region = scope?.region ?? "us-east-1";
  let operation: string;
  let checksFor: (accountId: string) => Promise<IamCheck[]> | IamCheck[];
  if (dynamo) {
    operation = String(target).split(".")[1] ?? "";
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      // dynalite answers the malformed body; the checks see an empty input.
    }
    checksFor = (accountId) => dynamoChecks(operation, input, region, accountId, partitionKey);
  } else {
    const mapped = s3Operation({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
      body,
    });
    operation = mapped.operation;
    // S3's own permission first, then the KMS key's: AWS refuses the S3 action before it calls KMS.
    checksFor = (accountId) => [...mapped.checks, ...kmsChecks(mapped.operation, region, accountId)];
  }
  const entry: GuardedStorageRequest["entry"] = {
    service: dynamo ? "dynamodb" : "s3",
    action: operation,
    region,
  };

  if (!scope) {
    // Unsigned: no identity policy can allow it; a bucket policy could, and the sandbox evaluates none.
    const checks = await checksFor("");
    const outcome = anonymousOutcome(authorization, checks);
    Object.assign(entry, { principal: "anonymous", ...authorizationFields(outcome) });
    if (outcome.decision !== "denied") return { entry };
    return {
      entry,
      refusal: dynamo
        ? dynamoError("MissingAuthenticationTokenException", "Request is missing Authentication Token")
        : withoutBodyFor(request.method, s3Error(403, "AccessDenied", "Access Denied")),
    };
  }

  const resolution = await authorization.authorize(scope.accessKeyId, region, checksFor);
  if (resolution.kind === "unknown-key") {
    return {
      entry,
      refusal: dynamo
        ? dynamoError("UnrecognizedClientException", "The security token included in the request is invalid.")
        : withoutBodyFor(
            request.method,
            s3Error(
              403,
              "InvalidAccessKeyId",
              "The AWS Access Key Id you provided does not exist in our records.",
              `<AWSAccessKeyId>${escapeXml(scope.accessKeyId)}</AWSAccessKeyId>`,
            ),
          ),
    };
  }
  if (resolution.kind === "expired") {
    return {
      entry,
      refusal: dynamo
        ? dynamoError("ExpiredTokenException", "The security token included in the request is expired")
        : withoutBodyFor(request.method, s3Error(400, "ExpiredToken", "The provided token has expired.")),
    };
  }
  const { outcome } = resolution;
  Object.assign(entry, {
    accountId: resolution.accountId,
    principal: resolution.principalArn,
    ...authorizationFields(outcome),
  });
  if (outcome.decision !== "denied" || !outcome.refused) return { entry };
  const message = denialMessage(resolution.principalArn, outcome.refused, entry.service);
  return {
    entry,
    refusal: dynamo
      ? dynamoError("AccessDeniedException", message, "Message")
      : withoutBodyFor(request.method, s3Error(403, "AccessDenied", message)),
  };
}

function anonymousOutcome(authorization: StorageAuthorization, checks: IamCheck[]): AuthorizationOutcome {
  const decision: IamDecision =
    authorization.mode === "off"
      ? "unrestricted"
      : authorization.mode === "audit"
        ? "audit-denied"
        : "denied";
  const outcomes = checks.map((check): CheckOutcome => ({
    iamAction: check.action,
    resources: check.resources,
    decision,
    ...(decision === "unrestricted" ? {} : { denialReason: "implicit" }),
  }));
  return {
    decision,
    iamAction: checks[0]?.action,
    resources: checks[0]?.resources,
    checks: outcomes,
    refused: decision === "unrestricted" ? undefined : outcomes[0],
  };
}

/** The error code of an S3 (XML) or DynamoDB (JSON `__type`) error body. */
export function storageErrorCode(status: number, body: Buffer | string): string | undefined {
  if (status < 300) return undefined;
  const text = body.toString();
  const xmlCode = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  if (xmlCode) return xmlCode;
  const type = /"__type"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return type ? type.split("#").pop() : undefined;
}
