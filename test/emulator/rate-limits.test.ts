import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { LicenseManagerClient, ListLicenseConfigurationsCommand } from "@aws-sdk/client-license-manager";
import { DescribeOrganizationCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { retryConfig } from "../../lib/aws/client-config";
import { checkCall } from "../../sandbox/emulator/conformance/check";
import { COMMON_ERRORS } from "../../sandbox/emulator/conformance/models";
import { defaultRateLimits, type RateLimits } from "../../sandbox/emulator/faults/rate-limits";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { Terraform } from "../../lib/terraform/terraform";
import { callLog, clientsFor, managementCredentials } from "./emulator-clients";

/** Every family allows one call, then one every 1,000 seconds: the second call of each is throttled. */
const oneCallEach: RateLimits = Object.fromEntries(
  Object.keys(defaultRateLimits).map((family) => [family, { perSecond: 0.001, burst: 1 }]),
) as unknown as RateLimits;

/** An error's traits in its SDK v3 client's schema: `[-3, namespace, name, { httpError, awsQueryError }]`. */
function schemaOf(
  clientPackage: string,
  name: string,
): { httpError?: number; awsQueryError?: [string, number] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schema = (require(clientPackage) as Record<string, unknown>)[`${name}$`] as [
    number,
    string,
    string,
    object,
  ];
  expect(schema[2]).toBe(name);
  return schema[3] as { httpError?: number; awsQueryError?: [string, number] };
}

const signed = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=${managementCredentials.accessKeyId}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

describe("the emulator's rate limits", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("throttle each service with its own code, status and body, as its API model and AWS's common errors give them", async () => {
    emulator = await startEmulator({ port: 0, rateLimits: oneCallEach, faults: false, capture: true });
    const url = emulator.url;
    const json = (target: string) =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": target,
          authorization: signed(target.startsWith("AWSLicense") ? "license-manager" : "organizations"),
        },
        body: "{}",
      });
    const query = (service: string, body: string) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: signed(service) },
        body,
      });
    const second = async (send: () => Promise<Response>) => {
      expect((await send()).status).toBe(200);
      const response = await send();
      return {
        status: response.status,
        type: response.headers.get("content-type"),
        body: await response.text(),
      };
    };

    // License Manager and Organizations: awsJson1_1, the code in __type, the status of the schema's httpError.
    const licenseManager = await second(() => json("AWSLicenseManager.ListLicenseConfigurations"));
    expect(licenseManager.status).toBe(
      schemaOf("@aws-sdk/client-license-manager", "RateLimitExceededException").httpError,
    );
    expect(licenseManager.status).toBe(429);
    expect(licenseManager.type).toBe("application/x-amz-json-1.1");
    expect(JSON.parse(licenseManager.body)).toEqual({
      __type: "RateLimitExceededException",
      message: "Rate exceeded",
    });
    const organizations = await second(() => json("AWSOrganizationsV20161128.DescribeOrganization"));
    expect(organizations.status).toBe(
      schemaOf("@aws-sdk/client-organizations", "TooManyRequestsException").httpError,
    );
    expect(JSON.parse(organizations.body)).toEqual({
      __type: "TooManyRequestsException",
      message: "Rate exceeded",
    });

    // SNS: the query protocol's ErrorResponse with the awsQueryError code and status of ThrottledException.
    const sns = await second(() => query("sns", "Action=ListTopics&Version=2010-03-31"));
    const [snsCode, snsStatus] = schemaOf("@aws-sdk/client-sns", "ThrottledException").awsQueryError!;
    expect({ status: sns.status, code: /<Code>(\w+)<\/Code>/.exec(sns.body)?.[1] }).toEqual({
      status: snsStatus,
      code: snsCode,
    });
    expect(sns.body).toMatch(
      /^<ErrorResponse xmlns="http:\/\/sns\.amazonaws\.com\/doc\/2010-03-31\/"><Error><Type>Sender<\/Type><Code>Throttled<\/Code><Message>Rate exceeded<\/Message><\/Error><RequestId>[-0-9a-f]{36}<\/RequestId><\/ErrorResponse>$/,
    );

    // IAM and STS: Throttling, a common error of the query protocol (400, Sender), in each one's namespace.
    const iam = await second(() => query("iam", "Action=ListRoles&Version=2010-05-08"));
    const sts = await second(() => query("sts", "Action=GetCallerIdentity&Version=2011-06-15"));
    expect([iam.status, sts.status]).toEqual([
      COMMON_ERRORS.Throttling!.status,
      COMMON_ERRORS.Throttling!.status,
    ]);
    expect(iam.body).toContain(
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code>',
    );
    expect(sts.body).toContain(
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>Throttling</Code>',
    );

    // The conformance checker (npm run sandbox:conformance) finds nothing wrong with any of them.
    const log = await callLog(emulator);
    const throttled = log.filter((entry) => entry.fault === "rate");
    expect(throttled.map((entry) => `${entry.service} ${entry.errorCode}`)).toEqual([
      "license-manager RateLimitExceededException",
      "organizations TooManyRequestsException",
      "sns Throttled",
      "iam Throttling",
      "sts Throttling",
    ]);
    expect(throttled.flatMap(checkCall)).toEqual([]);
  });

  it("are absorbed by the SDK clients the CLIs use, which retry each service's throttling error", async () => {
    emulator = await startEmulator({
      port: 0,
      faults: false,
      rateLimits: Object.fromEntries(
        Object.keys(defaultRateLimits).map((family) => [family, { perSecond: 20, burst: 1 }]),
      ) as unknown as RateLimits,
    });
    // Configured as the CLIs configure theirs (lib/aws/client-config.ts: adaptive, 10 attempts).
    const config = {
      ...retryConfig({}),
      endpoint: emulator.url,
      region: "us-east-1",
      credentials: managementCredentials,
    };
    const licenseManager = new LicenseManagerClient(config);
    const organizations = new OrganizationsClient(config);
    const iam = new IAMClient(config);
    const sts = new STSClient(config);
    await Promise.all([
      ...[1, 2, 3].map(() => licenseManager.send(new ListLicenseConfigurationsCommand({}))),
      ...[1, 2, 3].map(() => organizations.send(new DescribeOrganizationCommand({}))),
      ...[1, 2, 3].map(() => sts.send(new GetCallerIdentityCommand({}))),
      ...[1, 2, 3].map(() =>
        iam
          .send(new GetRoleCommand({ RoleName: "OrganizationAccountAccessRole" }))
          .catch((error: Error) => error.name),
      ),
    ]);
    const log = await callLog(emulator);
    const throttledServices = new Set(
      log.filter((entry) => entry.fault === "rate").map((entry) => entry.service),
    );
    expect([...throttledServices].sort()).toEqual(["iam", "license-manager", "organizations", "sts"]);
    // Each of the twelve calls was answered by the service in the end.
    expect(log.filter((entry) => !entry.fault)).toHaveLength(12);
  });
});

describe("a Terraform plan under License Manager's rate limit", () => {
  let emulator: RunningEmulator | undefined;
  let workDir: string;
  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "rate-limits-"));
    copyFileSync(join(__dirname, "fixtures", "provider-retries.tf"), join(workDir, "main.tf"));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    rmSync(workDir, { recursive: true, force: true });
  });

  const terraformFor = (url: string, lines: string[]) =>
    new Terraform(workDir, {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: managementCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: managementCredentials.secretAccessKey,
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
        TF_VAR_service: "license-manager",
      },
      throttleRetry: { attempts: 4, baseDelayMs: 1500, report: (line) => lines.push(line) },
    });

  it("is run again after the bucket refills, and converges", async () => {
    const stateFile = join(workDir, "emulator-state.json");
    emulator = await startEmulator({ port: 0, faults: false, rateLimits: false, stateFile });
    const setUp: string[] = [];
    await terraformFor(emulator.url, setUp).init();
    await terraformFor(emulator.url, setUp).run(["apply", "-auto-approve", "-input=false"]);
    await emulator.close();

    // Another process of the same account keeps License Manager's read bucket empty until Terraform's refresh
    // meets a throttle; Terraform's re-run, after the wait, finds the bucket refilled.
    emulator = await startEmulator({
      port: 0,
      faults: false,
      stateFile,
      rateLimits: { ...defaultRateLimits, "license-manager-read": { perSecond: 1, burst: 4 } },
    });
    const running = emulator;
    const { licenseManager } = clientsFor(running);
    const terraformThrottled = async () =>
      (await callLog(running)).some(
        (entry) => entry.fault === "rate" && entry.action === "GetLicenseConfiguration",
      );
    // It calls far faster than the bucket refills, so it takes nearly every token as it comes.
    const neighbour = (async () => {
      const until = Date.now() + 120_000;
      for (let calls = 1; Date.now() < until; calls++) {
        await licenseManager.send(new ListLicenseConfigurationsCommand({})).catch(() => undefined);
        if (calls % 25 === 0 && (await terraformThrottled())) return;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const lines: string[] = [];
    await terraformFor(emulator.url, lines).plan("plan.tfplan");
    await neighbour;
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(
      /^throttled by AWS \(RateLimitExceededException\); retrying terraform plan in rate-limits-\w+ in 1\.5 s, attempt 2 of 4$/,
    );
    const log = await callLog(emulator);
    const throttledReads = log.filter(
      (entry) => entry.fault === "rate" && entry.service === "license-manager",
    );
    expect(throttledReads.length).toBeGreaterThanOrEqual(1);
    expect(throttledReads.every((entry) => entry.errorCode === "RateLimitExceededException")).toBe(true);
    // The last plan read the configuration through.
    expect(log.filter((entry) => entry.action === "GetLicenseConfiguration").at(-1)).toMatchObject({
      status: 200,
    });
  }, 300_000);
});
