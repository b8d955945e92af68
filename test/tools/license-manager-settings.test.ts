import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LicenseManagerClient, UpdateServiceSettingsCommand } from "@aws-sdk/client-license-manager";
import { EnableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { administratorRoleArn, seedWithAdministratorRole } from "../helpers/sandbox-seed";
import { runTool as runToolAgainst, sandboxCredentials, type ToolResult } from "./run-tool";

const credentials = sandboxCredentials;
const region = "us-east-1";
const topicArn = "arn:aws:sns:us-east-1:111111111111:license-manager";
const bucketArn = "arn:aws:s3:::aws-license-manager-service-111111111111";

// The SDK clients this test uses directly would otherwise warn that Node 20 support ends in 2027.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let emulator: RunningEmulator;
let homeDirectory: string;

function runTool(...args: string[]): Promise<ToolResult> {
  return runToolAgainst("license-manager-settings", emulator.url, homeDirectory, args);
}

const desired = (settings: Record<string, unknown>): string => JSON.stringify({ region, ...settings });
const integrated = desired({
  enableIntegration: true,
  enableCrossAccountsDiscovery: true,
  snsTopicArn: topicArn,
});

async function callLog(): Promise<{ action: string; principal?: string; status: number }[]> {
  return (await fetch(`${emulator.url}/_sandbox/log`)).json() as Promise<
    { action: string; principal?: string; status: number }[]
  >;
}
const updateCalls = async (): Promise<number> =>
  (await callLog()).filter((entry) => entry.action === "UpdateServiceSettings" && entry.status === 200)
    .length;

async function enableTrustedAccess(): Promise<void> {
  const organizations = new OrganizationsClient({ region, endpoint: emulator.url, credentials });
  await organizations.send(
    new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
  );
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: seedWithAdministratorRole });
  homeDirectory = await mkdtemp(join(tmpdir(), "license-manager-settings-"));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/_sandbox/reset`, { method: "POST" });
});

describe("license-manager-settings CLI", () => {
  it("applies the desired settings, after which diff finds none", async () => {
    await enableTrustedAccess();
    const apply = await runTool("apply", "--desired", integrated);
    expect(apply.stderr).toContain("Updated License Manager settings in us-east-1:");
    expect(apply.stderr).toContain("enableIntegration: false -> true");
    expect(apply.stderr).toContain(`snsTopicArn: null -> "${topicArn}"`);
    expect(apply.exitCode).toBe(0);

    const diff = await runTool("diff", "--desired", integrated, "--json");
    expect(diff.exitCode).toBe(0);
    expect(JSON.parse(diff.stdout)).toEqual({ region, inSync: true, differences: [] });
  });

  it("calls UpdateServiceSettings only when something differs", async () => {
    await enableTrustedAccess();
    const updatesBefore = await updateCalls(); // the emulator's call log survives resets
    expect((await runTool("apply", "--desired", integrated)).exitCode).toBe(0);
    const updatesAfterFirstApply = await updateCalls();
    expect(updatesAfterFirstApply).toBe(updatesBefore + 1);

    const second = await runTool("apply", "--desired", integrated, "--json");
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ region, updated: false, changes: [] });
    expect(second.stderr).toContain("already match; nothing to update");
    expect(await updateCalls()).toBe(updatesAfterFirstApply);
  });

  it("diff exits 2 and names a field changed out of band", async () => {
    await enableTrustedAccess();
    expect((await runTool("apply", "--desired", integrated)).exitCode).toBe(0);
    const licenseManager = new LicenseManagerClient({ region, endpoint: emulator.url, credentials });
    await licenseManager.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false }));

    const text = await runTool("diff", "--desired", integrated);
    expect(text.exitCode).toBe(2);
    expect(text.stderr).toContain("enableCrossAccountsDiscovery: desired true, live false");

    const json = await runTool("diff", "--desired", integrated, "--json");
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      region,
      inSync: false,
      differences: [{ field: "enableCrossAccountsDiscovery", desired: true, live: false }],
    });
  });

  it("diff reports every difference", async () => {
    const everythingDifferent = desired({
      enableIntegration: true,
      enableCrossAccountsDiscovery: true,
      s3BucketArn: bucketArn,
      snsTopicArn: topicArn,
    });
    const result = await runTool("diff", "--desired", everythingDifferent, "--json");
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout).differences).toEqual([
      { field: "enableIntegration", desired: true, live: false },
      { field: "enableCrossAccountsDiscovery", desired: true, live: false },
      { field: "s3BucketArn", desired: bucketArn, live: null },
      { field: "snsTopicArn", desired: topicArn, live: null },
    ]);
    expect(result.stderr.split("\n").filter((line) => line.startsWith("  "))).toHaveLength(4);
  });

  it("get prints the live settings, including the resource share, as JSON", async () => {
    await enableTrustedAccess();
    await runTool("apply", "--desired", integrated);
    const result = await runTool("get", "--region", region);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      region,
      enableIntegration: true,
      enableCrossAccountsDiscovery: true,
      s3BucketArn: null,
      snsTopicArn: topicArn,
      licenseManagerResourceShareArn: expect.stringMatching(
        /^arn:aws:ram:us-east-1:111111111111:resource-share\//,
      ),
    });
  });

  it("assumes --role-arn for its calls and reads --desired-file", async () => {
    await enableTrustedAccess();
    const file = join(homeDirectory, "desired.json");
    await writeFile(file, integrated);
    const result = await runTool("apply", "--desired-file", file, "--role-arn", administratorRoleArn);
    expect(result.exitCode).toBe(0);
    const licenseManagerCalls = (await callLog()).filter((entry) => entry.action.endsWith("ServiceSettings"));
    expect(licenseManagerCalls.slice(-2).map(({ action, principal }) => ({ action, principal }))).toEqual([
      {
        action: "GetServiceSettings",
        principal: expect.stringContaining(":assumed-role/SandboxAdministrator/"),
      },
      {
        action: "UpdateServiceSettings",
        principal: expect.stringContaining(":assumed-role/SandboxAdministrator/"),
      },
    ]);
  });

  it("prints AWS errors with their code and message", async () => {
    const result = await runTool("apply", "--desired", integrated);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "License Manager UpdateServiceSettings in us-east-1 failed: InvalidParameterValueException: Trusted access for license-manager.amazonaws.com is not enabled",
    );
    const badRole = await runTool(
      "get",
      "--region",
      region,
      "--role-arn",
      "arn:aws:iam::111111111111:role/Missing",
    );
    expect(badRole.exitCode).toBe(1);
    expect(badRole.stderr).toContain(
      "Assuming role arn:aws:iam::111111111111:role/Missing failed: AccessDenied:",
    );
  });

  it.each([
    {
      name: "invalid JSON",
      args: ["diff", "--desired", "{"],
      message: "--desired is not valid JSON (",
    },
    {
      name: "an unknown field",
      args: [
        "diff",
        "--desired",
        desired({ enableIntegration: true, enableCrossAccountsDiscovery: false, sns: "x" }),
      ],
      message:
        '--desired: unknown field sns (got "x"); known fields are region, enableIntegration, enableCrossAccountsDiscovery, s3BucketArn, snsTopicArn',
    },
    {
      name: "a bad ARN",
      args: [
        "apply",
        "--desired",
        desired({ enableIntegration: true, enableCrossAccountsDiscovery: false, s3BucketArn: "my-bucket" }),
      ],
      message:
        '--desired: s3BucketArn must be an S3 bucket ARN such as arn:aws:s3:::aws-license-manager-service-example (got "my-bucket")',
    },
    {
      name: "a non-boolean flag",
      args: ["diff", "--desired", desired({ enableIntegration: "yes", enableCrossAccountsDiscovery: false })],
      message: '--desired: enableIntegration must be true or false (got "yes")',
    },
    {
      name: "discovery without integration",
      args: ["diff", "--desired", desired({ enableIntegration: false, enableCrossAccountsDiscovery: true })],
      message:
        "--desired: enableCrossAccountsDiscovery can be true only when enableIntegration is true (cross-account discovery needs the Organizations integration) (got true)",
    },
    {
      name: "a region mismatch",
      args: [
        "diff",
        "--region",
        "eu-west-1",
        "--desired",
        desired({ enableIntegration: false, enableCrossAccountsDiscovery: false }),
      ],
      message: "--region is eu-west-1 but the desired settings say region us-east-1; they must match",
    },
    { name: "a missing command", args: [], message: "missing command; expected one of apply, get, diff" },
    { name: "a missing --desired", args: ["apply", "--region", region], message: "missing desired settings" },
  ])("rejects $name with exit 1", async ({ args, message }) => {
    const result = await runTool(...args);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe("");
  });

  it.each([[["--help"]], [["apply", "--help"]], [["get", "--help"]], [["diff", "-h"]]])(
    "prints help for %j",
    async (args) => {
      const result = await runTool(...args);
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toMatch(/^Usage: tsx tools\/license-manager-settings\.ts/);
    },
  );
});
