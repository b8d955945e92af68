import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LicenseManagerClient, UpdateServiceSettingsCommand } from "@aws-sdk/client-license-manager";
import { EnableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { seedWithMemberAccounts } from "../../sandbox/emulator/seed";
import { administratorRoleArn, seedWithAdministratorRole } from "../helpers/sandbox-seed";
import { runTool as runToolAgainst, sandboxCredentials, type ToolResult } from "./run-tool";

const credentials = sandboxCredentials;
const region = "us-east-1";
const memberAccountIds = ["222222222222", "333333333333", "444444444444"];

const licenseManagerRole = "AWSServiceRoleForAWSLicenseManagerRole";
const managementAccountRole = "AWSServiceRoleForAWSLicenseManagerMasterAccountRole";
const memberAccountRole = "AWSServiceRoleForAWSLicenseManagerMemberAccountRole";

// The SDK clients this test uses directly would otherwise warn that Node 20 support ends in 2027.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let emulator: RunningEmulator;
let homeDirectory: string;

function runTool(...args: string[]): Promise<ToolResult> {
  return runToolAgainst("service-linked-roles", emulator.url, homeDirectory, args, { AWS_REGION: region });
}

async function enableOrganizationsIntegration(): Promise<void> {
  const organizations = new OrganizationsClient({ region, endpoint: emulator.url, credentials });
  await organizations.send(
    new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
  );
  const licenseManager = new LicenseManagerClient({ region, endpoint: emulator.url, credentials });
  await licenseManager.send(
    new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
  );
}

const rolesByAccount = (stdout: string): Record<string, Record<string, boolean>> =>
  Object.fromEntries(
    (
      JSON.parse(stdout) as { accounts: { accountId: string; roles: Record<string, boolean> }[] }
    ).accounts.map((account) => [account.accountId, account.roles]),
  );

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: seedWithAdministratorRole });
  homeDirectory = await mkdtemp(join(tmpdir(), "service-linked-roles-"));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await fetch(`${emulator.url}/_sandbox/reset`, { method: "POST" });
});

describe("service-linked-roles CLI", () => {
  it("reports every role missing before the Organizations integration", async () => {
    const result = await runTool("--json");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).managementAccountId).toBe("111111111111");
    expect(rolesByAccount(result.stdout)).toEqual({
      "111111111111": { [licenseManagerRole]: false, [managementAccountRole]: false },
      ...Object.fromEntries(
        memberAccountIds.map((id) => [id, { [licenseManagerRole]: false, [memberAccountRole]: false }]),
      ),
    });
    // Members need only the member-account role; AWSServiceRoleForAWSLicenseManagerRole comes with use.
    expect(result.stderr).toContain("Missing 5 service-linked role(s):");
  });

  it("finds the roles License Manager creates when the integration is enabled", async () => {
    await enableOrganizationsIntegration();
    const result = await runTool("--json");
    expect(result.exitCode).toBe(0);
    expect(rolesByAccount(result.stdout)).toEqual({
      "111111111111": { [licenseManagerRole]: true, [managementAccountRole]: true },
      ...Object.fromEntries(
        memberAccountIds.map((id) => [id, { [licenseManagerRole]: false, [memberAccountRole]: true }]),
      ),
    });
    expect(JSON.parse(result.stdout).missing).toEqual([]);
    expect(result.stderr).toContain(
      "All expected License Manager service-linked roles exist in the checked accounts.",
    );
  });

  it("prints a table on stderr, assuming --role-arn in the management account first", async () => {
    await enableOrganizationsIntegration();
    const result = await runTool("--role-arn", administratorRoleArn);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("");
    const allLines = result.stderr.split("\n");
    // Progress first: the listing, then every account checked (4 accounts: a line each).
    expect(allLines.slice(0, 5)).toEqual([
      "Listed 4 account(s) of the organization in 1 page(s) of ListAccounts.",
      "Checked 1/4 accounts",
      "Checked 2/4 accounts",
      "Checked 3/4 accounts",
      "Checked 4/4 accounts",
    ]);
    const lines = allLines.slice(5);
    expect(lines[0]).toMatch(
      /^Account\s+Name\s+Kind\s+LicenseManagerRole\s+MasterAccountRole\s+MemberAccountRole$/,
    );
    expect(lines[1]).toMatch(/^111111111111\s+management\s+management\s+present\s+present\s+-$/);
    expect(lines[2]).toMatch(/^222222222222\s+workloads-dev\s+member\s+absent\s+-\s+present$/);
    expect(result.stderr).not.toContain("Missing");
  });

  it("exits 1 and names the accounts it could not check", async () => {
    const result = await runTool("--member-role-name", "NoSuchRole", "--json");
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout).accountsNotChecked).toEqual(memberAccountIds);
    expect(result.stderr).toContain(
      "Account 222222222222 could not be checked: Assuming role arn:aws:iam::222222222222:role/NoSuchRole failed: AccessDenied:",
    );
  });

  it.each([
    {
      args: ["--role-arn", "LicenseManagerDeployer"],
      message:
        '--role-arn must be an IAM role ARN such as arn:aws:iam::111111111111:role/LicenseManagerDeployer (got "LicenseManagerDeployer")',
    },
    { args: ["--bogus"], message: "Unknown option '--bogus'" },
    { args: ["--concurrency", "0"], message: '--concurrency must be a whole number from 1 to 64 (got "0")' },
    {
      args: ["--concurrency", "two"],
      message: '--concurrency must be a whole number from 1 to 64 (got "two")',
    },
  ])("rejects $args with exit 1", async ({ args, message }) => {
    const result = await runTool(...args);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it("prints help", async () => {
    const result = await runTool("--help");
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^Usage: tsx tools\/service-linked-roles\.ts/);
  });
});

describe("service-linked-roles CLI in an organization of 1,000 accounts", () => {
  let large: RunningEmulator;
  beforeAll(async () => {
    large = await startEmulator({ port: 0, seed: seedWithMemberAccounts(999) });
  });
  afterAll(() => large.close());

  it("pages through ListAccounts as AWS pages it and checks every account, several at once", async () => {
    const result = await runToolAgainst(
      "service-linked-roles",
      large.url,
      homeDirectory,
      ["--member-role-name", "LicenseManagerRoleReader", "--concurrency", "16", "--json"],
      { AWS_REGION: region },
    );
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout) as { accounts: { accountId: string; kind: string }[] };
    expect(report.accounts).toHaveLength(1000);
    expect(new Set(report.accounts.map((account) => account.accountId)).size).toBe(1000);
    expect(report.accounts.filter((account) => account.kind === "member")).toHaveLength(999);
    expect(JSON.parse(result.stdout).accountsNotChecked).toEqual([]);

    const log = (await (await fetch(`${large.url}/_sandbox/log`)).json()) as CallLogEntry[];
    const listCalls = log.filter((entry) => entry.action === "ListAccounts");
    // 20 accounts a page at most (Organizations API Reference, ListAccounts: MaxResults 1–20).
    expect(listCalls).toHaveLength(50);
    expect(log.filter((entry) => entry.action === "AssumeRole")).toHaveLength(999);

    const progress = result.stderr.split("\n").filter((line) => /^(Listed|Checked) /.test(line));
    expect(progress).toEqual([
      "Listed 1000 account(s) of the organization in 50 page(s) of ListAccounts.",
      ...Array.from({ length: 10 }, (_, i) => `Checked ${(i + 1) * 100}/1000 accounts`),
    ]);
  }, 240_000);
});
