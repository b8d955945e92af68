/**
 * End to end against the sandbox: deploy every stack, then `npm run drift` and `npm run plan` as a user
 * runs them. The only test file that uses the sandbox for these tools: cdktf.out is shared.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
  UpdateServiceSettingsCommand,
} from "@aws-sdk/client-license-manager";
import { DisableAWSServiceAccessCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import type { DriftReport } from "../../lib/drift/model";
import { runCommand } from "../../lib/process/run-command";
import { deployAllStacks, startSandboxSession, type SandboxSession } from "../../sandbox/session";

const projectRoot = path.resolve(__dirname, "..", "..");
const configFile = "test/fixtures/plans/sandbox-e2e.yaml";
const removePrincipalConfig = "test/fixtures/plans/sandbox-e2e-remove-principal.yaml";

describe("npm run drift and npm run plan against the sandbox", () => {
  let session: SandboxSession;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(path.join(tmpdir(), "drift-e2e-"));
    session = await startSandboxSession({ projectRoot, dataDirectory, configFile });
    await deployAllStacks(session);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const tool = (name: string, args: string[], environment: NodeJS.ProcessEnv = {}) =>
    runCommand(path.join(projectRoot, "node_modules", ".bin", "tsx"), [`tools/${name}.ts`, ...args], {
      cwd: projectRoot,
      env: { ...session.environment, ...environment },
      logFile: path.join(dataDirectory, `${name}.log`),
    });

  const clients = () => {
    const config = {
      region: "us-east-1",
      endpoint: session.services.emulatorUrl,
      credentials: { accessKeyId: "AKIASANDBOXMANAGEMENT", secretAccessKey: "sandbox-secret" },
    };
    return {
      organizations: new OrganizationsClient(config),
      licenseManager: new LicenseManagerClient(config),
    };
  };

  it("finds no drift right after the deploy", async () => {
    const result = await tool("drift", ["--json", "--skip-synth"]);
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
      exitCode: 0,
      stderr: expect.stringContaining("No drift: every stack matches its state."),
    });
    const report = JSON.parse(result.stdout) as DriftReport;
    expect(report.stacks.map((stack) => [stack.stack, stack.status])).toEqual([
      ["bootstrap", "clean"],
      ["organization", "clean"],
      ["license-manager", "clean"],
    ]);
  }, 120_000);

  it("exits 2 and names each resource changed outside Terraform", async () => {
    const { organizations, licenseManager } = clients();
    await organizations.send(
      new DisableAWSServiceAccessCommand({
        ServicePrincipal: "license-manager.member-account.amazonaws.com",
      }),
    );
    const { LicenseConfigurations } = await licenseManager.send(new ListLicenseConfigurationsCommand({}));
    const sql = LicenseConfigurations!.find(
      (configuration) => configuration.Name === "sql-server-enterprise",
    )!;
    await licenseManager.send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: sql.LicenseConfigurationArn,
        LicenseCount: 7,
      }),
    );
    await licenseManager.send(
      new UpdateServiceSettingsCommand({
        OrganizationConfiguration: { EnableIntegration: true },
        EnableCrossAccountsDiscovery: false,
      }),
    );

    const result = await tool("drift", ["--json", "--skip-synth"]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as DriftReport;
    const byStack = Object.fromEntries(report.stacks.map((stack) => [stack.stack, stack]));
    expect(byStack.organization.drift).toEqual([
      expect.objectContaining({
        address: "aws_organizations_organization.organization_DC53FF14",
        constructPath: "organization/organization/organization",
        changedAttributes: ["aws_service_access_principals"],
      }),
    ]);
    expect(byStack["license-manager"].drift).toEqual([
      expect.objectContaining({
        constructPath: "license-manager/us-east-1/license-configuration-sql-server-enterprise/configuration",
        changedAttributes: ["license_count"],
      }),
    ]);
    expect(byStack["license-manager"].settings).toEqual([
      expect.objectContaining({
        constructPath: "license-manager/us-east-1/settings/apply",
        region: "us-east-1",
        differences: [{ field: "enableCrossAccountsDiscovery", desired: true, live: false }],
      }),
    ]);
    expect(result.stderr).toContain(
      "drift aws_organizations_organization.organization_DC53FF14 (organization/organization/organization): changed: aws_service_access_principals",
    );
  }, 180_000);

  it("exits 0 again once a redeploy and a settings reconcile restore what changed", async () => {
    for (const stack of ["organization", "license-manager"]) {
      expect([stack, (await session.cli.deploy(stack)).exitCode]).toEqual([stack, 0]);
    }
    const reconcile = await tool("license-manager-settings", [
      "reconcile",
      "--role-arn",
      "arn:aws:iam::111111111111:role/LicenseManagerDeployer",
    ]);
    expect(reconcile.exitCode).toBe(0);
    const result = await tool("drift", ["--json", "--skip-synth"]);
    expect(result.stderr).toContain("No drift: every stack matches its state.");
    expect(result.exitCode).toBe(0);
  }, 240_000);

  it("puts a removed principal first in the plan review", async () => {
    const out = path.join(dataDirectory, "plans");
    const result = await tool("plan", ["--json", "--out", out, "--stack", "organization"], {
      LM_CONFIG: removePrincipalConfig,
    });
    expect(result.exitCode).toBe(2);
    const summary = JSON.parse(result.stdout);
    expect(summary.risks[0]).toEqual(
      expect.objectContaining({
        rule: "service-access-principal-removed",
        stack: "organization",
        address: "aws_organizations_organization.organization_DC53FF14",
        reason: "disables trusted access for sso.amazonaws.com",
      }),
    );
    const review = readFileSync(path.join(out, "review.md"), "utf8");
    const firstFlag = review.split("\n").find((line) => line.startsWith("- **"));
    expect(firstFlag).toBe(
      "- **organization** `aws_organizations_organization.organization_DC53FF14` (`organization/organization/organization`): disables trusted access for sso.amazonaws.com",
    );
  }, 180_000);
});
