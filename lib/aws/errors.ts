/** A failed AWS call, with what was being done ("assuming arn:aws:iam::…", "GetServiceSettings in us-east-1"). */
export class AwsCallError extends Error {
  constructor(
    readonly action: string,
    override readonly cause: unknown,
  ) {
    const attempts = attemptsOf(cause);
    const after = attempts > 1 ? ` after ${attempts} attempts` : "";
    super(`${action} failed${after}: ${describeAwsError(cause)}${isTransient(cause) ? TRANSIENT_HINT : ""}`);
    this.name = "AwsCallError";
  }
}

/** How many times the SDK sent the call (its retry strategy's count). */
const attemptsOf = (error: unknown): number =>
  (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts ?? 1;

/**
 * Each service's throttling code, as the SDKs name it and as it appears in Terraform's (the Go SDK's) error text;
 * the CLIs' SDK errors and lib/terraform/throttling.ts both read this list.
 */
export const throttlingCodes = [
  "RateLimitExceededException", // License Manager (awsJson1_1, HTTP 429)
  "TooManyRequestsException", // Organizations (awsJson1_1, HTTP 429)
  "Throttled", // SNS (query protocol, HTTP 429; the SDKs' ThrottledException)
  "ThrottledException",
  "Throttling", // IAM, STS (query protocol, HTTP 400)
  "ThrottlingException",
  "RequestLimitExceeded",
  "SlowDown", // S3 (HTTP 503)
] as const;
const THROTTLING_CODES = new Set<string>(throttlingCodes);

/** Whether AWS refused for load (throttling) or failed on its side (5xx): worth running again later. */
function isTransient(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (!code) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return THROTTLING_CODES.has(code) || status === 429 || status >= 500;
}

const TRANSIENT_HINT =
  ". AWS throttled or failed the call through every retry (retry mode adaptive; AWS_MAX_ATTEMPTS raises the" +
  " attempts); wait a minute and run the same command again.";

/** The service error code, when the error came back from an AWS API (SDK v3 ServiceException). */
export function awsErrorCode(error: unknown): string | undefined {
  if (error instanceof Error && "$metadata" in error && "$fault" in error) return error.name;
  return undefined;
}

/** "Code: message" for AWS errors, the message (and network error code) for anything else. */
export function describeAwsError(error: unknown): string {
  if (error instanceof AwsCallError) return error.message;
  const code = awsErrorCode(error);
  if (error instanceof Error) {
    const message = error.message || "(no message)";
    if (code) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      return `${code}: ${message}${status ? ` (HTTP ${status})` : ""}`;
    }
    const systemCode = (error as { code?: unknown }).code;
    return typeof systemCode === "string" && !message.includes(systemCode)
      ? `${systemCode}: ${message}`
      : message;
  }
  return String(error);
}

/** Runs one AWS call, naming the action in the error if it fails. */
export async function awsCall<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    // A failure to get credentials (e.g. AssumeRole) surfaces from the call that needed them: keep its own action.
    if (error instanceof AwsCallError) throw error;
    throw new AwsCallError(action, error);
  }
}

/**
 * Runs one AWS call that may find nothing: `undefined` when AWS answers with one of `absentCodes` (NotFound,
 * NoSuchBucket, ...), the result otherwise; any other failure names the action, as awsCall does.
 */
export async function awsCallOrAbsent<T>(
  action: string,
  absentCodes: readonly string[],
  call: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (absentCodes.includes(awsErrorCode(error) ?? "")) return undefined;
    if (error instanceof AwsCallError) throw error;
    throw new AwsCallError(action, error);
  }
}
