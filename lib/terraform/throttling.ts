/**
 * Re-running a Terraform operation that failed only because AWS throttled it.
 *
 * The AWS provider (5.100.0) retries with aws-sdk-go-v2's standard retryer, whose throttling codes
 * (github.com/aws/aws-sdk-go-v2 aws/retry/standard.go, DefaultThrottleErrorCodes) include Throttling,
 * ThrottlingException, ThrottledException and TooManyRequestsException, but not License Manager's
 * RateLimitExceededException nor SNS's query code Throttled, and whose retryable statuses are 500, 502, 503 and
 * 504, not 429 (DefaultRetryableHTTPStatusCodes). The provider adds no retryables for either service: neither
 * internal/service/licensemanager nor internal/service/sns has a service_package.go with withExtraOptions, and
 * the generated NewClient keeps the configured retryer. So one throttled License Manager or SNS call fails the
 * whole plan or apply (test/emulator/provider-retries.test.ts shows it), though AWS documents both errors as
 * "try again later". The project's commands therefore run such an operation again, with exponential backoff and a
 * bound, when every error Terraform reported is a throttling error; anything else fails at once.
 */

import { throttlingCodes } from "../aws/errors";

const CODE = new RegExp(`\\b(${throttlingCodes.join("|")})\\b`, "g");

/** A diagnostic's first line: Terraform's "Error: …", after cdktf's stack prefix and the box drawing, if any. */
const DIAGNOSTIC = /^[^\n]*?(?:^|\s|│)(Error|Warning): /;

/** cdktf's own line after a failed Terraform run: it adds nothing to Terraform's errors. */
const CDKTF_WRAPPER = /Invoking Terraform CLI failed with exit code \d+/;

/**
 * The throttling codes in a failed command's output, with how often each appears, when every error Terraform
 * reported names one of them; undefined when there is no error or one of them is not throttling.
 */
export function throttlingOnly(output: string): Map<string, number> | undefined {
  const blocks: string[][] = [];
  let current: string[] | undefined;
  for (const line of output.split("\n")) {
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      current = match[1] === "Error" && !CDKTF_WRAPPER.test(line) ? [] : undefined;
      if (current) blocks.push(current);
    }
    current?.push(line);
  }
  if (blocks.length === 0) return undefined;
  const codes = new Map<string, number>();
  for (const block of blocks) {
    const found = [...block.join("\n").matchAll(CODE)].map((match) => match[1]!);
    if (found.length === 0) return undefined;
    // One count per error: the Go SDK repeats the code in the message ("… RateLimitExceededException: …").
    const code = found[0]!;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  return codes;
}

export interface ThrottleRetryOptions {
  /**
   * Runs in all, the first included.
   * @default LM_THROTTLE_ATTEMPTS, else 8 (waits of 2, 4, 8, 16, 30, 30 and 30 s: about two minutes)
   */
  readonly attempts?: number;
  /**
   * The wait before the second run; doubled before each next one, up to maxDelayMs.
   * @default LM_THROTTLE_DELAY_MS, else 2000
   */
  readonly baseDelayMs?: number;
  /** @default 30000 */
  readonly maxDelayMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default a line on stderr */
  readonly report?: (line: string) => void;
}

const positiveInteger = (value: string | undefined): number | undefined => {
  const number = Number(value);
  return value !== undefined && Number.isInteger(number) && number > 0 ? number : undefined;
};

/** The options of the environment: LM_THROTTLE_ATTEMPTS and LM_THROTTLE_DELAY_MS. */
function throttleRetryFromEnvironment(environment: NodeJS.ProcessEnv = process.env): ThrottleRetryOptions {
  return {
    attempts: positiveInteger(environment.LM_THROTTLE_ATTEMPTS) ?? 8,
    baseDelayMs: positiveInteger(environment.LM_THROTTLE_DELAY_MS) ?? 2000,
  };
}

/** The options with their defaults filled in, and the wait before a given attempt. */
export function throttleRetry(options: ThrottleRetryOptions) {
  const defaults = throttleRetryFromEnvironment();
  const baseDelayMs = options.baseDelayMs ?? defaults.baseDelayMs!;
  const maxDelayMs = options.maxDelayMs ?? 30000;
  return {
    attempts: options.attempts ?? defaults.attempts!,
    /** The wait before attempt `number` (2 or more): the base, doubled for each attempt after the second. */
    delayBefore: (number: number) => Math.min(maxDelayMs, baseDelayMs * 2 ** (number - 2)),
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    report: options.report ?? ((line: string) => process.stderr.write(`${line}\n`)),
  };
}

/** How the line on stderr names the codes: "RateLimitExceededException ×3, Throttled". */
export const describeCodes = (codes: ReadonlyMap<string, number>): string =>
  [...codes].map(([code, count]) => (count > 1 ? `${code} ×${count}` : code)).join(", ");

/** What an attempt came to: `failedOutput` is the output of a failure, undefined for a success. */
interface AttemptOutcome<T> {
  readonly value?: T;
  readonly error?: unknown;
}

/**
 * Runs `attempt`, and again after a backoff while it fails only on throttling (throttlingOnly of the output
 * `failedOutput` gives for the failure), at most `attempts` times in all. Returns the last value or throws the
 * last error, as the attempt did. `operation` names it in the line on stderr ("plan", "cdktf deploy organization").
 */
export async function rerunWhileThrottled<T>(
  operation: string,
  attempt: () => Promise<T>,
  failedOutput: (outcome: AttemptOutcome<T>) => string | undefined,
  options: ThrottleRetryOptions = {},
): Promise<T> {
  const { attempts, delayBefore, sleep, report } = throttleRetry(options);
  for (let number = 1; ; number++) {
    let outcome: AttemptOutcome<T>;
    try {
      outcome = { value: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    const output = failedOutput(outcome);
    const codes = output === undefined ? undefined : throttlingOnly(output);
    if (!codes || number >= attempts) {
      if (codes)
        report(
          `throttled by AWS (${describeCodes(codes)}); gave up on ${operation} after ${attempts} attempts`,
        );
      if ("error" in outcome) throw outcome.error;
      return outcome.value as T;
    }
    const delayMs = delayBefore(number + 1);
    report(
      `throttled by AWS (${describeCodes(codes)}); retrying ${operation} in ${formatSeconds(delayMs)}, attempt ${number + 1} of ${attempts}`,
    );
    await sleep(delayMs);
  }
}

const formatSeconds = (ms: number): string =>
  `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;

/** The stderr line's pattern, for whoever counts re-runs in a command's output (npm run sandbox:faults). */
export const RERUN_LINE = /^[ \t]*throttled by AWS \(.*\); retrying /gm;
