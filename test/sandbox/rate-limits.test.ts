import {
  apiFamily,
  defaultRateLimits,
  parseRateLimits,
  RateLimiter,
  TokenBucket,
} from "../../sandbox/emulator/faults/rate-limits";

describe("a token bucket", () => {
  it("lets a burst through, then refuses until it refills at its rate", () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(400)).toBe(false); // 0.8 of a token
    expect(bucket.take(500)).toBe(true); // one token after half a second at 2 a second
    expect(bucket.take(500)).toBe(false);
    // Idle for a minute: it holds no more than its burst.
    const taken = [...Array(5).keys()].map(() => bucket.take(60_500));
    expect(taken).toEqual([true, true, true, false, false]);
  });
});

describe("the rate limiter", () => {
  const limits = {
    ...defaultRateLimits,
    "license-manager-read": { perSecond: 1, burst: 2 },
    "license-manager-write": { perSecond: 1, burst: 1 },
    iam: { perSecond: 1, burst: 1 },
  };
  const call = (
    overrides: Partial<{ accountId: string; region: string; service: string; action: string }>,
  ) => ({
    accountId: "111111111111",
    region: "us-east-1",
    service: "license-manager",
    action: "GetLicenseConfiguration",
    ...overrides,
  });

  it("keeps one bucket per account, Region and API family", () => {
    const limiter = new RateLimiter(limits, () => 0);
    expect(limiter.admit(call({}))).toBe(true);
    expect(limiter.admit(call({ action: "ListLicenseConfigurations" }))).toBe(true);
    expect(limiter.admit(call({ action: "GetServiceSettings" }))).toBe(false);
    // Writes are another family; another Region and another account have buckets of their own.
    expect(limiter.admit(call({ action: "CreateLicenseConfiguration" }))).toBe(true);
    expect(limiter.admit(call({ action: "UpdateLicenseConfiguration" }))).toBe(false);
    expect(limiter.admit(call({ region: "eu-west-1" }))).toBe(true);
    expect(limiter.admit(call({ accountId: "222222222222" }))).toBe(true);
  });

  it("gives a global service one bucket whatever the Region signed for, and leaves S3 alone", () => {
    const limiter = new RateLimiter(limits, () => 0);
    expect(limiter.admit(call({ service: "iam", action: "GetRole" }))).toBe(true);
    expect(limiter.admit(call({ service: "iam", action: "GetRole", region: "eu-west-1" }))).toBe(false);
    for (let i = 0; i < 100; i++)
      expect(limiter.admit(call({ service: "s3", action: "GetObject" }))).toBe(true);
  });

  it("refills with the clock", () => {
    let now = 0;
    const limiter = new RateLimiter(limits, () => now);
    expect(limiter.admit(call({ service: "iam", action: "GetRole" }))).toBe(true);
    expect(limiter.admit(call({ service: "iam", action: "GetRole" }))).toBe(false);
    now = 1000;
    expect(limiter.admit(call({ service: "iam", action: "GetRole" }))).toBe(true);
  });
});

describe("SANDBOX_RATE_LIMITS", () => {
  it("maps License Manager reads and writes to their own families", () => {
    expect(apiFamily("license-manager", "ListLicenseSpecificationsForResource")).toBe("license-manager-read");
    expect(apiFamily("license-manager", "UpdateServiceSettings")).toBe("license-manager-write");
    expect(apiFamily("sns", "CreateTopic")).toBe("sns");
    expect(apiFamily("dynamodb", "PutItem")).toBeUndefined();
  });

  it("parses on, off and overrides of the defaults, and refuses what it does not know", () => {
    expect(parseRateLimits(undefined)).toBeUndefined();
    expect(parseRateLimits("off")).toBeUndefined();
    expect(parseRateLimits("on")).toEqual(defaultRateLimits);
    expect(parseRateLimits("sns=0.5/4,license-manager-read=2/8")).toEqual({
      ...defaultRateLimits,
      sns: { perSecond: 0.5, burst: 4 },
      "license-manager-read": { perSecond: 2, burst: 8 },
    });
    expect(() => parseRateLimits("lambda=1/1")).toThrow(
      'SANDBOX_RATE_LIMITS: unknown API family "lambda"; expected one of license-manager-read,',
    );
    expect(() => parseRateLimits("sns=5")).toThrow(
      "SANDBOX_RATE_LIMITS: sns=5: expected <calls per second>/<burst>, both above 0, such as 10/20",
    );
    expect(() => parseRateLimits("sns=0/4")).toThrow("both above 0");
  });
});
