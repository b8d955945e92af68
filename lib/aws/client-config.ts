/**
 * How the project's CLIs build their AWS SDK clients, in one place: the region, the credentials and the
 * retry strategy. AWS throttles control-plane APIs per account (Organizations, IAM and License Manager
 * answer bursts with TooManyRequestsException, Throttling, RateLimitExceededException) and fails a few calls
 * with 5xx; the SDK's default (standard, 3 attempts) gives up too early for a drift check that makes dozens
 * of calls. "adaptive" is the standard strategy (exponential backoff with jitter, a retry quota) plus a
 * client-side rate limiter that slows down once the service throttles.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import type { CredentialsProvider } from "./credentials";

export const DEFAULT_MAX_ATTEMPTS = 10;

interface RetryConfig {
  readonly retryMode: string;
  readonly maxAttempts: number;
}

/** adaptive, 10 attempts; AWS_RETRY_MODE and AWS_MAX_ATTEMPTS override them as they do for any SDK. */
export function retryConfig(environment: NodeJS.ProcessEnv = process.env): RetryConfig {
  const attempts = Number(environment.AWS_MAX_ATTEMPTS);
  return {
    retryMode: environment.AWS_RETRY_MODE || "adaptive",
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : DEFAULT_MAX_ATTEMPTS,
  };
}

/** The configuration of every SDK client the CLIs create. */
export function clientConfig(
  region: string,
  credentials?: CredentialsProvider,
): { region: string; credentials?: CredentialsProvider } & RetryConfig {
  return { region, ...(credentials ? { credentials } : {}), ...retryConfig() };
}
