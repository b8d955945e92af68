import { callsBetween } from "../../lib/bench/plan-and-drift";

describe("the scale run's call counts", () => {
  it("count only the calls between the two instants, by service and operation, most first", () => {
    const log = [
      { time: "2026-11-27T01:00:00.000Z", service: "sts", action: "AssumeRole" },
      { time: "2026-11-27T01:00:01.000Z", service: "license-manager", action: "GetLicenseConfiguration" },
      { time: "2026-11-27T01:00:02.000Z", service: "license-manager", action: "GetLicenseConfiguration" },
      { time: "2026-11-27T01:00:02.500Z", service: "sts", action: "AssumeRole" },
      { time: "2026-11-27T01:00:05.000Z", service: "license-manager", action: "ListLicenseConfigurations" },
    ];
    expect(
      callsBetween(log, Date.parse("2026-11-27T01:00:00.500Z"), Date.parse("2026-11-27T01:00:03Z")),
    ).toEqual({
      calls: 3,
      callsByOperation: { "license-manager GetLicenseConfiguration": 2, "sts AssumeRole": 1 },
    });
  });
});
