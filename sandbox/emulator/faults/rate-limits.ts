/**
 * Throttling by rate, the way AWS throttles its control-plane APIs: a token bucket per account, region and API
 * family. A call takes a token; a bucket holds at most `burst` tokens and gains `perSecond` a second; a call that
 * finds the bucket empty is answered with the service's own throttling error (faults/responses.ts) and does not
 * run. Configured by SANDBOX_RATE_LIMITS (parseRateLimits), beside the random fault profile (SANDBOX_FAULTS).
 *
 * Where AWS documents the keying: IAM and STS requests "contribute to a maximum rate limit for your AWS account",
 * and each STS endpoint (global, each Region) has its own limit
 * (https://repost.aws/knowledge-center/iam-sts-throttling-error); SNS API calls "can't exceed the maximum allowed
 * API request rate for each AWS account and Region" (https://repost.aws/knowledge-center/sns-throttling-exception-errors,
 * which sends readers to the per-action figures on https://docs.aws.amazon.com/general/latest/gr/sns.html).
 * Organizations is a global service hosted in us-east-1 (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html)
 * and IAM a global one, so both have one bucket per account whatever the caller's signing Region.
 *
 * Where AWS is silent: License Manager (https://docs.aws.amazon.com/general/latest/gr/licensemanager.html lists
 * resource quotas only), Organizations (its quotas page lists entity counts, not request rates), IAM and STS
 * publish no request rates. The defaults below are therefore the sandbox's, not AWS's: small enough that the
 * sandbox's own deploy, plan and drift meet throttling as an organization-sized one meets it in AWS (bursts of
 * Terraform's refresh drain a bucket), large enough that a command re-run after a few seconds gets through.
 * License Manager's reads and writes are separate families because its SDKs and the provider call them at very
 * different rates (a refresh is all reads); AWS does not say how it splits them.
 */

export const apiFamilies = [
  "license-manager-read",
  "license-manager-write",
  "organizations",
  "iam",
  "sts",
  "sns",
] as const;

export type ApiFamily = (typeof apiFamilies)[number];

export interface BucketRate {
  /** Tokens added a second. */
  readonly perSecond: number;
  /** The most tokens the bucket holds: how many calls a burst gets through at once. */
  readonly burst: number;
}

export type RateLimits = Readonly<Record<ApiFamily, BucketRate>>;

/** The sandbox's defaults (see the module comment: AWS publishes none of these as request rates). */
export const defaultRateLimits: RateLimits = {
  "license-manager-read": { perSecond: 10, burst: 20 },
  "license-manager-write": { perSecond: 5, burst: 10 },
  organizations: { perSecond: 10, burst: 20 },
  iam: { perSecond: 10, burst: 20 },
  sts: { perSecond: 10, burst: 20 },
  sns: { perSecond: 10, burst: 20 },
};

const READ_ACTION = /^(Get|List|Describe)/;

/** The family a call counts against; undefined for services without rate limits here (S3, DynamoDB). */
export function apiFamily(service: string, action: string): ApiFamily | undefined {
  if (service === "license-manager")
    return READ_ACTION.test(action) ? "license-manager-read" : "license-manager-write";
  return (apiFamilies as readonly string[]).includes(service) ? (service as ApiFamily) : undefined;
}

/** Services that are global: one bucket per account, whatever the Region the caller signed for. */
const GLOBAL_SERVICES = new Set(["organizations", "iam"]);

const RATE = /^(\d+(?:\.\d+)?)\/(\d+)$/;

/**
 * SANDBOX_RATE_LIMITS: absent, empty or `off` for none; `on` for the defaults; or overrides of the defaults,
 * `<family>=<per second>/<burst>` joined by commas, e.g. `license-manager-read=5/10,sns=2/4`.
 */
export function parseRateLimits(text: string | undefined): RateLimits | undefined {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "" || trimmed === "off") return undefined;
  if (trimmed === "on") return defaultRateLimits;
  const limits: Record<ApiFamily, BucketRate> = { ...defaultRateLimits };
  for (const part of trimmed.split(",")) {
    const [family = "", value = ""] = part.trim().split("=");
    if (!(apiFamilies as readonly string[]).includes(family))
      throw new Error(
        `SANDBOX_RATE_LIMITS: unknown API family "${family}"; expected one of ${apiFamilies.join(", ")} (or on, off)`,
      );
    const match = RATE.exec(value);
    const perSecond = Number(match?.[1]);
    const burst = Number(match?.[2]);
    if (!match || perSecond <= 0 || burst < 1)
      throw new Error(
        `SANDBOX_RATE_LIMITS: ${family}=${value}: expected <calls per second>/<burst>, both above 0, such as 10/20`,
      );
    limits[family as ApiFamily] = { perSecond, burst };
  }
  return limits;
}

/** The limits of the environment: SANDBOX_RATE_LIMITS. */
export const rateLimitsFromEnvironment = (): RateLimits | undefined =>
  parseRateLimits(process.env.SANDBOX_RATE_LIMITS);

/** One bucket; `now` in milliseconds, passed in so that tests drive the clock. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: BucketRate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.updatedAt = now;
  }

  /** Takes a token if there is one: whether the call may go through. */
  take(now: number): boolean {
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.rate.burst, this.tokens + elapsedSeconds * this.rate.perSecond);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Every bucket of the emulator, created at an account's, Region's and family's first call. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly limits: RateLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether the call goes through; false when its bucket is empty (the caller answers with a throttle). */
  admit(call: { accountId: string; region: string; service: string; action: string }): boolean {
    const family = apiFamily(call.service, call.action);
    if (!family) return true;
    const region = GLOBAL_SERVICES.has(call.service) ? "global" : call.region;
    const key = `${call.accountId} ${region} ${family}`;
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.limits[family], now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }
}
