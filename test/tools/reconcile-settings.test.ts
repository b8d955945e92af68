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
  return runToolAgainst("reconcile", emulator.url, homeDirectory, args);
}

const kind = "license-manager-settings";
const desired = (settings: Record<string, unknown>): string =>
  JSON.stringify({ kind, region, desired: settings });
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
  homeDirectory = await mkdtemp(join(tmpdir(), "reconcile-settings-"));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/_sandbox/reset`, { method: "POST" });
});

describe("reconcile CLI with License Manager settings", () => {
  it("applies the desired settings, after which diff finds none", async () => {
    await enableTrustedAccess();
    const apply = await runTool("apply", "--input", integrated);
    expect(apply.stderr).toContain("Updated License Manager settings in us-east-1:");
    expect(apply.stderr).toContain("enableIntegration: false -> true");
    expect(apply.stderr).toContain(`snsTopicArn: null -> "${topicArn}"`);
    expect(apply.exitCode).toBe(0);

    const diff = await runTool("diff", "--input", integrated, "--json");
    expect(diff.exitCode).toBe(0);
    expect(JSON.parse(diff.stdout)).toEqual({ kind, region, inSync: true, differences: [] });
  });

  it("calls UpdateServiceSettings only when something differs", async () => {
    await enableTrustedAccess();
    const updatesBefore = await updateCalls(); // the emulator's call log survives resets
    expect((await runTool("apply", "--input", integrated)).exitCode).toBe(0);
    const updatesAfterFirstApply = await updateCalls();
    expect(updatesAfterFirstApply).toBe(updatesBefore + 1);

    const second = await runTool("apply", "--input", integrated, "--json");
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ kind, region, updated: false, changes: [] });
    expect(second.stderr).toContain("already match; nothing to update");
    expect(await updateCalls()).toBe(updatesAfterFirstApply);
  });

  it("diff exits 2 and names a field changed out of band", async () => {
    await enableTrustedAccess();
    expect((await runTool("apply", "--input", integrated)).exitCode).toBe(0);
    const licenseManager = new LicenseManagerClient({ region, endpoint: emulator.url, credentials });
    await licenseManager.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false }));

    const text = await runTool("diff", "--input", integrated);
    expect(text.exitCode).toBe(2);
    expect(text.stderr).toContain("enableCrossAccountsDiscovery: desired true, live false");

    const json = await runTool("diff", "--input", integrated, "--json");
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      kind,
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
    const result = await runTool("diff", "--input", everythingDifferent, "--json");
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
    await runTool("apply", "--input", integrated);
    const result = await runTool("get", "--input", integrated, "--json");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).live).toEqual({
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

  it("assumes --role-arn for its calls and reads --input-file", async () => {
    await enableTrustedAccess();
    const file = join(homeDirectory, "desired.json");
    await writeFile(file, integrated);
    const result = await runTool("apply", "--input-file", file, "--role-arn", administratorRoleArn);
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
    // A member account cannot link License Manager with Organizations.
    const result = await runTool(
      "apply",
      "--input",
      integrated,
      "--role-arn",
      "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "License Manager UpdateServiceSettings in us-east-1 failed: AccessDeniedException: Only the management account",
    );
    const badRole = await runTool(
      "get",
      "--input",
      integrated,
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
      args: ["diff", "--input", "{"],
      message: "--input is not valid JSON (",
    },
    {
      name: "an unknown field",
      args: [
        "diff",
        "--input",
        desired({ enableIntegration: true, enableCrossAccountsDiscovery: false, sns: "x" }),
      ],
      message:
        '--input: desired.sns: unknown field (got "x"); known fields are region, enableIntegration, enableCrossAccountsDiscovery, s3BucketArn, snsTopicArn',
    },
    {
      name: "a bad ARN",
      args: [
        "apply",
        "--input",
        desired({ enableIntegration: true, enableCrossAccountsDiscovery: false, s3BucketArn: "my-bucket" }),
      ],
      message:
        '--input: desired.s3BucketArn must be an S3 bucket ARN such as arn:aws:s3:::aws-license-manager-service-example (got "my-bucket")',
    },
    {
      name: "a non-boolean flag",
      args: ["diff", "--input", desired({ enableIntegration: "yes", enableCrossAccountsDiscovery: false })],
      message: '--input: desired.enableIntegration must be true or false (got "yes")',
    },
    {
      name: "discovery without integration",
      args: ["diff", "--input", desired({ enableIntegration: false, enableCrossAccountsDiscovery: true })],
      message:
        "--input: desired.enableCrossAccountsDiscovery can be true only when enableIntegration is true (cross-account discovery needs the Organizations integration) (got true)",
    },
    {
      name: "a bad region and an unknown top-level field, both at once",
      args: ["diff", "--input", JSON.stringify({ kind, region: "moon-1", desired: {}, extra: 1 })],
      message:
        '--input: region must be a Region code such as us-east-1 (got "moon-1"); extra: unknown field (got 1); known fields are kind, region, desired',
    },
    {
      name: "an unknown kind",
      args: ["diff", "--input", JSON.stringify({ kind: "license-manager-grants", region, desired: {} })],
      message:
        '--input: kind "license-manager-grants" is not a known kind; expected one of organizations-trusted-access, license-manager-settings, license-manager-discovery-and-reports',
    },
    {
      name: "a missing command",
      args: [],
      message: "missing command; expected one of apply, diff, get, restore, unlink",
    },
    {
      name: "an input where the states are read",
      args: ["restore", "--input", integrated],
      message: "restore reads the inputs recorded in the stacks' states; it takes no --input",
    },
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
      expect(result.stderr).toMatch(/^Usage: npm run reconcile -- /);
    },
  );
});
