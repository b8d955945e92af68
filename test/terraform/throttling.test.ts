import {
  describeCodes,
  rerunWhileThrottled,
  RERUN_LINE,
  throttlingOnly,
} from "../../lib/terraform/throttling";

/** Terraform's own -no-color diagnostics, as the AWS provider 5.100.0 words a throttled License Manager read. */
const licenseManagerThrottled = `aws_licensemanager_license_configuration.windows: Refreshing state... [id=arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1]

Error: reading License Manager License Configuration (arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1): operation error License Manager: GetLicenseConfiguration, https response error StatusCode: 429, RequestID: 5d1e, RateLimitExceededException: Rate exceeded

  with aws_licensemanager_license_configuration.windows,
  on cdk.tf.json line 40, in resource "aws_licensemanager_license_configuration" "windows":
  40:       },

Error: reading License Manager License Configuration (arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-2): operation error License Manager: GetLicenseConfiguration, https response error StatusCode: 429, RequestID: 77aa, RateLimitExceededException: Rate exceeded

  with aws_licensemanager_license_configuration.sql,
  on cdk.tf.json line 60, in resource "aws_licensemanager_license_configuration" "sql":
  60:       },
`;

/** The same through `cdktf deploy --no-color`: each line prefixed with the stack, the box drawing kept. */
const cdktfSnsThrottled = `license-manager  ╷
license-manager  │ Error: creating SNS Topic (license-manager-notifications): operation error SNS: CreateTopic, https response error StatusCode: 429, RequestID: 1, api error Throttled: Rate exceeded
license-manager  │
license-manager  │   with aws_sns_topic.notifications,
license-manager  ╵
Invoking Terraform CLI failed with exit code 1
`;

const accessDenied = `Error: reading Organizations Organization: operation error Organizations: DescribeOrganization, https response error StatusCode: 400, AccessDeniedException: not allowed
`;

describe("throttlingOnly", () => {
  it("counts one code per error when every error is a throttle", () => {
    expect(throttlingOnly(licenseManagerThrottled)).toEqual(new Map([["RateLimitExceededException", 2]]));
    expect(throttlingOnly(cdktfSnsThrottled)).toEqual(new Map([["Throttled", 1]]));
    expect(
      describeCodes(
        new Map([
          ["RateLimitExceededException", 3],
          ["Throttled", 1],
        ]),
      ),
    ).toBe("RateLimitExceededException ×3, Throttled");
  });

  it("is undefined when one error is not a throttle, or there is no error", () => {
    expect(throttlingOnly(`${licenseManagerThrottled}\n${accessDenied}`)).toBeUndefined();
    expect(throttlingOnly(accessDenied)).toBeUndefined();
    expect(throttlingOnly("Plan: 1 to add, 0 to change, 0 to destroy.")).toBeUndefined();
    // A throttle in a warning does not make a failed command a throttled one.
    expect(
      throttlingOnly(
        "Warning: retried after Throttling\n\nError: Error acquiring the state lock\n\nLock Info:",
      ),
    ).toBeUndefined();
  });
});

describe("rerunWhileThrottled", () => {
  const run = (outputs: (string | undefined)[], attempts = 5) => {
    const lines: string[] = [];
    const delays: number[] = [];
    let calls = 0;
    const promise = rerunWhileThrottled(
      "terraform plan in license-manager",
      async () => {
        const output = outputs[Math.min(calls, outputs.length - 1)];
        calls++;
        if (output !== undefined) throw Object.assign(new Error("failed"), { output });
        return "planned";
      },
      ({ error }) => (error as { output?: string } | undefined)?.output,
      {
        attempts,
        baseDelayMs: 2000,
        sleep: async (ms) => void delays.push(ms),
        report: (line) => lines.push(line),
      },
    );
    return { promise, lines, delays, calls: () => calls };
  };

  it("runs again, with a doubling wait, while the failures are throttles, and returns the success", async () => {
    const outcome = run([licenseManagerThrottled, cdktfSnsThrottled, undefined]);
    await expect(outcome.promise).resolves.toBe("planned");
    expect(outcome.calls()).toBe(3);
    expect(outcome.delays).toEqual([2000, 4000]);
    expect(outcome.lines).toEqual([
      "throttled by AWS (RateLimitExceededException ×2); retrying terraform plan in license-manager in 2 s, attempt 2 of 5",
      "throttled by AWS (Throttled); retrying terraform plan in license-manager in 4 s, attempt 3 of 5",
    ]);
    expect(outcome.lines.join("\n").match(RERUN_LINE)).toHaveLength(2);
  });

  it("fails at once on an error that is not a throttle", async () => {
    const outcome = run([accessDenied, undefined]);
    await expect(outcome.promise).rejects.toMatchObject({ output: accessDenied });
    expect(outcome.calls()).toBe(1);
    expect(outcome.lines).toEqual([]);
  });

  it("stops after the bound, with the last failure and a line saying so", async () => {
    const outcome = run([licenseManagerThrottled], 3);
    await expect(outcome.promise).rejects.toMatchObject({ output: licenseManagerThrottled });
    expect(outcome.calls()).toBe(3);
    expect(outcome.delays).toEqual([2000, 4000]);
    expect(outcome.lines.at(-1)).toBe(
      "throttled by AWS (RateLimitExceededException ×2); gave up on terraform plan in license-manager after 3 attempts",
    );
  });
});
