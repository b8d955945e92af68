import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { countThrottles } from "../../sandbox/fault-runs";

const entry = (action: string, overrides: Partial<CallLogEntry> = {}): CallLogEntry => ({
  time: "2026-12-06T12:00:00.000Z",
  service: "license-manager",
  action,
  region: "us-east-1",
  status: 200,
  ...overrides,
});
const rate = (action: string, service = "license-manager", errorCode = "RateLimitExceededException") =>
  entry(action, { service, status: service === "iam" ? 400 : 429, errorCode, fault: "rate" });

describe("npm run sandbox:faults' throttle counts", () => {
  it("counts throttles by service and AWS code, and those whose operation succeeded later as absorbed", () => {
    const counts = countThrottles([
      rate("GetLicenseConfiguration"),
      rate("GetLicenseConfiguration"),
      entry("GetLicenseConfiguration"),
      rate("ListTagsForResource"), // never answered later: met, not absorbed
      entry("GetRole", { service: "iam", status: 400, errorCode: "Throttling", fault: "throttle" }),
      entry("GetRole", { service: "iam", status: 503, errorCode: "ServiceUnavailable", fault: "5xx" }),
      entry("GetRole", { service: "iam", status: 404, errorCode: "NoSuchEntity" }),
      entry("CreateTopic", { service: "sns" }),
      rate("CreateTopic", "sns", "Throttled"), // the success came before it
    ]);
    expect(counts).toEqual({
      calls: 9,
      throttled: 5,
      throttles: { "license-manager RateLimitExceededException": 3, "iam Throttling": 1, "sns Throttled": 1 },
      absorbed: 3,
    });
  });
});
