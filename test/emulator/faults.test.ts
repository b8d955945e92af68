import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetServiceSettingsCommand, LicenseManagerClient } from "@aws-sdk/client-license-manager";
import {
  DescribeOrganizationCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { FaultInjector, parseFaultProfile, type FaultProfile } from "../../sandbox/emulator/faults/profile";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import { runTool } from "../tools/run-tool";
import { callLog, managementCredentials } from "./emulator-clients";

const profile = (overrides: Partial<FaultProfile>): FaultProfile => ({
  throttle: 0,
  serverError: 0,
  latencyMs: 0,
  staleMs: 0,
  seed: 7,
  ...overrides,
});

describe("fault profiles", () => {
  it("parses SANDBOX_FAULTS and refuses what it does not know", () => {
    expect(parseFaultProfile("throttle=0.2,5xx=0.02,latency=50ms,stale=2s", "42")).toEqual({
      throttle: 0.2,
      serverError: 0.02,
      latencyMs: 50,
      staleMs: 2000,
      seed: 42,
    });
    expect(parseFaultProfile(undefined)).toBeUndefined();
    expect(parseFaultProfile("off")).toBeUndefined();
    expect(() => parseFaultProfile("throttle=2")).toThrow(
      "SANDBOX_FAULTS: throttle=2: expected a share from 0 to 1",
    );
    expect(() => parseFaultProfile("drop=0.1")).toThrow('SANDBOX_FAULTS: unknown fault "drop"');
    expect(() => parseFaultProfile("latency=5")).toThrow("expected a duration such as 50ms or 2s");
    expect(parseFaultProfile("throttle=0.2@organizations+s3,5xx=0.02")).toMatchObject({
      throttle: 0.2,
      throttleServices: ["organizations", "s3"],
      serverError: 0.02,
    });
    expect(() => parseFaultProfile("throttle=0.2@organisations")).toThrow(
      'SANDBOX_FAULTS: throttle=0.2@organisations: expected services joined by "+" after "@", from organizations,',
    );
    expect(() => parseFaultProfile("5xx=0.1@")).toThrow("expected services joined by");
  });

  it("fails the same calls for the same seed", async () => {
    const run = async (seed: number) => {
      const injector = new FaultInjector(profile({ throttle: 0.3, serverError: 0.1, seed }));
      const out: (string | undefined)[] = [];
      for (let i = 0; i < 50; i++) out.push(await injector.next("organizations"));
      return out;
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(await run(4)).not.toEqual(first);
    expect(first.filter((kind) => kind === "throttle").length).toBeGreaterThan(5);
  });

  it("limits a share to the services named after @", async () => {
    const injector = new FaultInjector(profile({ throttle: 1, throttleServices: ["iam"], serverError: 0 }));
    expect(await injector.next("iam")).toBe("throttle");
    expect(await injector.next("license-manager")).toBeUndefined();
    const both = new FaultInjector(
      profile({ throttle: 0.5, throttleServices: ["sts"], serverError: 0.5, serverErrorServices: ["sns"] }),
    );
    const kinds = new Set<string | undefined>();
    for (let i = 0; i < 40; i++) kinds.add(`sns ${await both.next("sns")}`);
    expect([...kinds].sort()).toEqual(["sns 5xx", "sns undefined"]);
  });
});

describe("the emulator with faults", () => {
  let emulator: RunningEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  const clients = (url: string, maxAttempts: number) => {
    const config = { endpoint: url, region: "us-east-1", credentials: managementCredentials, maxAttempts };
    return {
      organizations: new OrganizationsClient(config),
      licenseManager: new LicenseManagerClient(config),
      iam: new IAMClient(config),
      sts: new STSClient(config),
    };
  };
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const { name, $metadata } = error as {
        name: string;
        $metadata: { attempts?: number; httpStatusCode?: number };
      };
      return { name, status: $metadata.httpStatusCode, attempts: $metadata.attempts };
    }
    throw new Error("expected the call to fail");
  };

  it("answers each service's own throttling error, which the SDK retries", async () => {
    emulator = await startEmulator({ port: 0, faults: profile({ throttle: 1 }) });
    const { organizations, licenseManager, iam, sts } = clients(emulator.url, 2);
    expect(await failure(organizations.send(new DescribeOrganizationCommand({})))).toEqual({
      name: "TooManyRequestsException",
      status: 429,
      attempts: 2,
    });
    expect(await failure(licenseManager.send(new GetServiceSettingsCommand({})))).toEqual({
      name: "RateLimitExceededException",
      status: 429,
      attempts: 2,
    });
    // IAM's and STS's query code Throttling: the SDK names the error by its code.
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: "x" })))).toEqual({
      name: "Throttling",
      status: 400,
      attempts: 2,
    });
    expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toEqual({
      name: "Throttling",
      status: 400,
      attempts: 2,
    });
    const sns = await fetch(emulator.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "Action=ListTopics&Version=2010-03-31",
    });
    expect(sns.status).toBe(429);
    expect(await sns.text()).toContain("<Code>Throttled</Code>");
    expect((await fetch(`${emulator.url}/_sandbox/health`)).status).toBe(200);
    const log = await callLog(emulator);
    expect(log.every((entry) => entry.fault === "throttle")).toBe(true);
  });

  it("answers 5xx in each protocol's shape, which the SDK retries", async () => {
    emulator = await startEmulator({ port: 0, faults: profile({ serverError: 1 }) });
    const { organizations, iam } = clients(emulator.url, 2);
    expect(await failure(organizations.send(new DescribeOrganizationCommand({})))).toEqual({
      name: "InternalFailure",
      status: 500,
      attempts: 2,
    });
    expect(await failure(iam.send(new GetRoleCommand({ RoleName: "x" })))).toEqual({
      name: "ServiceUnavailable",
      status: 503,
      attempts: 2,
    });
  });

  it("lets Organizations and IAM reads return the previous value for `stale` after a write", async () => {
    emulator = await startEmulator({ port: 0, faults: profile({ staleMs: 800 }) });
    const { organizations, iam } = clients(emulator.url, 1);
    const principals = async () =>
      (
        await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}))
      ).EnabledServicePrincipals!.map((p) => p.ServicePrincipal);
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "ram.amazonaws.com" }));
    const trust = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
    await iam.send(
      new CreateRoleCommand({ RoleName: "Fresh", AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    expect(await principals()).not.toContain("ram.amazonaws.com");
    expect((await failure(iam.send(new GetRoleCommand({ RoleName: "Fresh" })))).name).toBe(
      "NoSuchEntityException",
    );
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await principals()).toContain("ram.amazonaws.com");
    expect((await iam.send(new GetRoleCommand({ RoleName: "Fresh" }))).Role!.RoleName).toBe("Fresh");
  });

  it("answers S3 SlowDown and DynamoDB ThrottlingException from the storage front", async () => {
    const directory = await mkdtemp(join(tmpdir(), "faults-storage-"));
    const front = await startStorageBackends({
      s3Directory: join(directory, "s3"),
      faults: profile({ throttle: 1 }),
    });
    try {
      const s3 = await fetch(`${front.url}/state-bucket?versioning`);
      expect(s3.status).toBe(503);
      expect(await s3.text()).toContain("<Code>SlowDown</Code>");
      const dynamo = await fetch(front.url, {
        method: "POST",
        headers: {
          "x-amz-target": "DynamoDB_20120810.DescribeTable",
          "content-type": "application/x-amz-json-1.0",
        },
        body: JSON.stringify({ TableName: "locks" }),
      });
      expect(dynamo.status).toBe(400);
      expect(((await dynamo.json()) as { __type: string }).__type).toBe(
        "com.amazonaws.dynamodb.v20120810#ThrottlingException",
      );
    } finally {
      await front.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("the CLIs under faults", () => {
  let emulator: RunningEmulator | undefined;
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "faults-cli-"));
  });
  afterEach(async () => {
    await emulator?.close();
    await rm(home, { recursive: true, force: true });
  });

  it("succeed through the SDK's adaptive retries with half of all calls throttled", async () => {
    emulator = await startEmulator({ port: 0, faults: profile({ throttle: 0.5, seed: 11 }) });
    const result = await runTool("service-linked-roles", emulator.url, home, ["--json"], {
      AWS_REGION: "us-east-1",
    });
    expect(result.stderr).not.toContain("error:");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).managementAccountId).toBe("111111111111");
    const log = await callLog(emulator);
    const retried = log.filter((entry) => entry.fault === "throttle");
    expect(retried.length).toBeGreaterThan(3);
    // Every throttled operation got its answer in the end (GetRole's NoSuchEntity for a missing role included).
    const answered = new Set(log.filter((e) => !e.fault).map((e) => `${e.service} ${e.action}`));
    for (const entry of retried) expect(answered).toContain(`${entry.service} ${entry.action}`);
  });

  it("name the call, its region and what to run next when every attempt is refused", async () => {
    emulator = await startEmulator({ port: 0, faults: profile({ throttle: 1 }) });
    const result = await runTool("service-linked-roles", emulator.url, home, ["--json"], {
      AWS_REGION: "eu-west-1",
      AWS_MAX_ATTEMPTS: "3",
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "Organizations DescribeOrganization in eu-west-1 failed after 3 attempts: TooManyRequestsException: Rate exceeded (HTTP 429)",
    );
    expect(result.stderr).toContain("wait a minute and run the same command again");
    expect((await callLog(emulator)).length).toBe(3);
  });
});
