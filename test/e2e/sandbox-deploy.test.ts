/**
 * End to end: every stack deployed into the sandbox with the real cdktf CLI, Terraform 1.11 and AWS
 * provider 5.100.0, then diffs, out-of-band changes, the removal guard, state locking and destroy.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
  UpdateServiceSettingsCommand,
} from "@aws-sdk/client-license-manager";
import {
  DescribeOrganizationCommand,
  DisableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateServiceLinkedRoleCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { parse, stringify } from "yaml";
import { runCommand } from "../../lib/process/run-command";
import { readSandboxReport, type SandboxReport } from "../../sandbox/report";
import { deployAllStacks, startSandboxSession, type SandboxSession } from "../../sandbox/session";

const projectRoot = path.resolve(__dirname, "../..");
const workDirectory = mkdtempSync(path.join(tmpdir(), "lm-e2e-"));
const deployRole = "arn:aws:iam::111111111111:role/LicenseManagerDeployer";

/** The sandbox config under another state bucket, so its bootstrap state file is the test's own. */
function writeConfig(
  name: string,
  change: (document: Record<string, any>) => void = () => undefined,
): string {
  const document = parse(readFileSync(path.join(projectRoot, "config/sandbox.yaml"), "utf8"));
  document.backend.bucket = "e2e-license-manager-tfstate";
  document.backend.dynamodbTable = "e2e-license-manager-tflock";
  change(document);
  const file = path.join(workDirectory, name);
  writeFileSync(file, stringify(document));
  return file;
}

let session: SandboxSession;
let existingRoleId: string | undefined;
let organizations: OrganizationsClient;
const licenseManager = (region: string) => new LicenseManagerClient({ region });
const savedEnvironment = { ...process.env };

const enabledPrincipals = async () =>
  (
    (await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals ??
    []
  )
    .map((entry) => entry.ServicePrincipal)
    .sort();

const settingsCli = (...args: string[]) =>
  runCommand(
    path.join(projectRoot, "node_modules/.bin/tsx"),
    ["tools/license-manager-settings.ts", ...args],
    {
      cwd: projectRoot,
      env: session.environment,
    },
  );

const licenseManagerStackDirectory = () => path.join(projectRoot, "cdktf.out/stacks/license-manager");

async function windowsConfigurationArn(region: string): Promise<string> {
  const state = await runCommand("terraform", ["show", "-json"], {
    cwd: licenseManagerStackDirectory(),
    env: session.environment,
  });
  const resources: any[] = JSON.parse(state.stdout).values.root_module.resources;
  const configuration = resources.find(
    (resource) =>
      resource.type === "aws_licensemanager_license_configuration" &&
      resource.values.name === "windows-server-datacenter" &&
      resource.values.arn.includes(`:${region}:`),
  );
  return configuration.values.arn;
}

beforeAll(async () => {
  session = await startSandboxSession({
    projectRoot,
    dataDirectory: path.join(workDirectory, "data"),
    configFile: writeConfig("e2e.yaml"),
  });
  Object.assign(process.env, session.environment);
  organizations = new OrganizationsClient({ region: "us-east-1" });
  // License Manager creates its role on first use: the stack must adopt one that exists.
  const created = await new IAMClient({ region: "us-east-1" }).send(
    new CreateServiceLinkedRoleCommand({ AWSServiceName: "license-manager.amazonaws.com" }),
  );
  existingRoleId = created.Role?.RoleId;
  await deployAllStacks(session);
}, 600_000);

afterAll(async () => {
  await session?.close();
  process.env = savedEnvironment;
});

describe("a fresh deploy of every stack", () => {
  let report: SandboxReport;
  beforeAll(async () => {
    report = await readSandboxReport("us-east-1", ["us-east-1", "eu-west-1"]);
  });

  it("deploys the stacks in dependency order", () => {
    expect(session.stacks).toEqual(["bootstrap", "organization", "license-manager"]);
  });

  it("enables both License Manager principals and keeps the principals enabled before", () => {
    expect(report.servicePrincipals).toEqual([
      "cloudtrail.amazonaws.com",
      "license-manager.amazonaws.com",
      "license-manager.member-account.amazonaws.com",
      "sso.amazonaws.com",
    ]);
  });

  it("registers the delegated administrator", () => {
    expect(report.delegatedAdministrators).toEqual(["444444444444"]);
  });

  it("leaves every expected service-linked role in every account", () => {
    expect(report.serviceLinkedRoles.missing).toEqual([]);
    expect(report.serviceLinkedRoles.accounts.map((account) => [account.accountId, account.roles])).toEqual([
      [
        "111111111111",
        {
          AWSServiceRoleForAWSLicenseManagerRole: true,
          AWSServiceRoleForAWSLicenseManagerMasterAccountRole: true,
        },
      ],
      ...["222222222222", "333333333333", "444444444444"].map((accountId) => [
        accountId,
        {
          AWSServiceRoleForAWSLicenseManagerRole: false,
          AWSServiceRoleForAWSLicenseManagerMemberAccountRole: true,
        },
      ]),
    ]);
  });

  it("adopts the service-linked role License Manager had already created, by import", async () => {
    const deployLog = readFileSync(path.join(session.logDirectory, "deploy-license-manager.log"), "utf8");
    expect(deployLog).toMatch(
      /aws_iam_service_linked_role\.service-linked-role_E7A4F1D5 \(service-linked-role\/role\): Import complete/,
    );
    const { Role } = await new IAMClient({ region: "us-east-1" }).send(
      new GetRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
    );
    expect(Role?.RoleId).toBe(existingRoleId);
  });

  it("links License Manager to Organizations in both regions, with discovery, bucket and topic", () => {
    expect(report.settings.map(({ licenseManagerResourceShareArn, ...settings }) => settings)).toEqual(
      ["us-east-1", "eu-west-1"].map((region) => ({
        region,
        enableIntegration: true,
        enableCrossAccountsDiscovery: true,
        s3BucketArn: `arn:aws:s3:::aws-license-manager-service-111111111111-${region}`,
        snsTopicArn: `arn:aws:sns:${region}:111111111111:aws-license-manager-service-notifications`,
      })),
    );
    for (const settings of report.settings)
      expect(settings.licenseManagerResourceShareArn).toMatch(/^arn:aws:ram:/);
  });

  it("creates the license configurations per region with their rules and associations", () => {
    expect(report.licenseConfigurations.map(({ region, name }) => `${region} ${name}`).sort()).toEqual([
      "eu-west-1 windows-server-datacenter",
      "us-east-1 sql-server-enterprise",
      "us-east-1 windows-server-datacenter",
    ]);
    const windows = report.licenseConfigurations.find(
      (configuration) =>
        configuration.region === "us-east-1" && configuration.name === "windows-server-datacenter",
    );
    expect(windows).toEqual({
      region: "us-east-1",
      name: "windows-server-datacenter",
      licenseCountingType: "Core",
      licenseCount: 96,
      hardLimit: true,
      rules: [
        "#minimumCores=8",
        "#maximumCores=128",
        "#allowedTenancy=EC2-DedicatedHost",
        "#licenseAffinityToHost=90",
      ],
      associatedResources: ["arn:aws:ec2:us-east-1::image/ami-0abc1234def567890"],
    });
  });

  it.each(["bootstrap", "organization", "license-manager"])(
    "cdktf diff %s shows no changes",
    async (stack) => {
      const diff = await session.cli.diff(stack);
      expect(diff.exitCode).toBe(0);
      expect(diff.hasChanges).toBe(false);
    },
  );
});

/** cdktf's output without colours, and with Terraform's box and line wrapping undone, for matching messages. */
const flatten = (result: { stdout: string; stderr: string }) =>
  (result.stdout + result.stderr)
    // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/[│╷╵]/g, " ")
    .replace(/\s+/g, " ");

describe("changes made outside Terraform", () => {
  it("the next cdktf diff of License Manager names a changed license count", async () => {
    await licenseManager("us-east-1").send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: await windowsConfigurationArn("us-east-1"),
        LicenseCount: 10,
      }),
    );
    const diff = await session.cli.diff("license-manager");
    expect(diff.hasChanges).toBe(true);
    const output = flatten(diff);
    expect(output).toMatch(
      /aws_licensemanager_license_configuration\.us-east-1_license-configuration-windows-server-datacenter_configuration_\w+ \(us-east-1\/license-configuration-windows-server-datacenter\/configuration\) will be updated in-place/,
    );
    expect(output).toContain("~ license_count = 10 -> 96");
  });

  it("the settings check names cross-account discovery turned off", async () => {
    await licenseManager("eu-west-1").send(
      new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false }),
    );
    const desired = JSON.stringify({
      region: "eu-west-1",
      enableIntegration: true,
      enableCrossAccountsDiscovery: true,
    });
    const result = await settingsCli("diff", "--desired", desired, "--role-arn", deployRole);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("enableCrossAccountsDiscovery: desired true, live false");
  });

  it("the next cdktf diff of the organization names a disabled principal", async () => {
    await organizations.send(
      new DisableAWSServiceAccessCommand({
        ServicePrincipal: "license-manager.member-account.amazonaws.com",
      }),
    );
    const diff = await session.cli.diff("organization");
    expect(diff.hasChanges).toBe(true);
    const output = flatten(diff);
    expect(output).toContain(
      "aws_organizations_organization.organization_DC53FF14 (organization/organization) will be updated in-place",
    );
    expect(output).toContain('+ "license-manager.member-account.amazonaws.com"');
  });

  it("meanwhile License Manager's plan stops at its trusted-access check, naming the principal", async () => {
    const diff = await session.cli.diff("license-manager");
    expect(flatten(diff)).toContain(
      "Trusted access for license-manager.member-account.amazonaws.com is not enabled in the organization. " +
        "Deploy the organization stack first",
    );
  });

  it("a deploy in progress holds the state lock: a second deploy of the stack fails and the state stays intact", async () => {
    const stackDirectory = path.join(projectRoot, "cdktf.out/stacks/organization");
    const serialBefore = JSON.parse(
      (await runCommand("terraform", ["state", "pull"], { cwd: stackDirectory, env: session.environment }))
        .stdout,
    ).serial;
    // An apply waiting for its approval holds the lock for as long as it waits.
    const holder = spawn("terraform", ["apply", "-no-color"], {
      cwd: stackDirectory,
      env: session.environment,
    });
    let holderOutput = "";
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (chunk: Buffer) => {
        holderOutput += chunk.toString();
        if (holderOutput.includes("Enter a value:")) resolve();
      });
      holder.on("exit", () => reject(new Error(`the first apply ended early:\n${holderOutput}`)));
    });

    const second = await session.cli.deploy("organization");
    holder.stdin.end("no\n");
    await new Promise((resolve) => holder.on("exit", resolve));

    expect(second.exitCode).not.toBe(0);
    expect(flatten(second)).toContain("Error acquiring the state lock");
    const stateAfter = JSON.parse(
      (await runCommand("terraform", ["state", "pull"], { cwd: stackDirectory, env: session.environment }))
        .stdout,
    );
    expect(stateAfter.serial).toBe(serialBefore);
    expect(stateAfter.resources.length).toBeGreaterThan(0);
    expect(await enabledPrincipals()).not.toContain("license-manager.member-account.amazonaws.com");
  });

  it("a redeploy and a settings reconcile restore them, and every diff after is clean", async () => {
    for (const stack of ["organization", "license-manager"]) {
      const deploy = await session.cli.deploy(stack);
      expect([stack, deploy.exitCode]).toEqual([stack, 0]);
    }
    const reconcile = await settingsCli("reconcile", "--role-arn", deployRole);
    expect(reconcile.exitCode).toBe(0);
    expect(reconcile.stderr).toContain(
      "Restored License Manager settings in eu-west-1: enableCrossAccountsDiscovery",
    );

    expect(await enabledPrincipals()).toContain("license-manager.member-account.amazonaws.com");
    const configuration = await licenseManager("us-east-1").send(
      new GetLicenseConfigurationCommand({
        LicenseConfigurationArn: await windowsConfigurationArn("us-east-1"),
      }),
    );
    expect(configuration.LicenseCount).toBe(96);
    for (const stack of session.stacks) {
      expect([stack, (await session.cli.diff(stack)).hasChanges]).toEqual([stack, false]);
    }
    const settingsAgain = await settingsCli("reconcile", "--role-arn", deployRole);
    expect(settingsAgain.stderr).not.toContain("Restored");
  });
});

describe("protections", () => {
  afterAll(async () => {
    // Back to the deployed config for anything after.
    await runCommand(path.join(projectRoot, "node_modules/.bin/cdktf"), ["synth"], {
      cwd: projectRoot,
      env: session.environment,
    });
  });

  it("a config that drops an enabled principal fails the plan with the guard's message and changes nothing", async () => {
    const withoutSso = writeConfig("without-sso.yaml", (document) => {
      document.organization.serviceAccessPrincipals = ["cloudtrail.amazonaws.com"];
    });
    const environment = { ...session.environment, LM_CONFIG: withoutSso };
    const cdktf = path.join(projectRoot, "node_modules/.bin/cdktf");
    const deploy = await runCommand(
      cdktf,
      [
        "deploy",
        "organization",
        "--auto-approve",
        "--skip-provider-lock",
        "--ignore-missing-stack-dependencies",
      ],
      { cwd: projectRoot, env: environment },
    );
    const output = flatten(deploy);
    expect(deploy.exitCode).not.toBe(0);
    expect(output).toContain("Resource precondition failed");
    expect(output).toContain("Removal guard: this apply would disable trusted access for sso.amazonaws.com");
    expect(output).toContain("list them in organization.principalsAllowedToBeRemoved");
    expect(await enabledPrincipals()).toEqual([
      "cloudtrail.amazonaws.com",
      "license-manager.amazonaws.com",
      "license-manager.member-account.amazonaws.com",
      "sso.amazonaws.com",
    ]);
  });

  it("destroying the organization through the stack is refused", async () => {
    const destroy = await session.cli.destroy("organization");
    const output = flatten(destroy);
    expect(destroy.exitCode).not.toBe(0);
    expect(output).toContain("Instance cannot be destroyed");
    expect(output).toContain("lifecycle.prevent_destroy");
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe("o-sandbox00001");
    expect(await enabledPrincipals()).toHaveLength(4);
  });
});

describe("tear-down", () => {
  it("unlinks License Manager from Organizations, then destroys its stack, service-linked role included", async () => {
    const unlink = await settingsCli("unlink");
    expect(unlink.exitCode).toBe(0);
    expect(unlink.stderr).toContain("Unlinked License Manager from Organizations in us-east-1");
    expect(unlink.stderr).toContain("Unlinked License Manager from Organizations in eu-west-1");

    const destroy = await session.cli.destroy("license-manager");
    expect(destroy.exitCode).toBe(0);
    expect(flatten(destroy)).toContain("Destroy complete!");
    await expect(
      new IAMClient({ region: "us-east-1" }).send(
        new GetRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
      ),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
    for (const region of ["us-east-1", "eu-west-1"]) {
      const { LicenseConfigurations } = await licenseManager(region).send(
        new ListLicenseConfigurationsCommand({}),
      );
      expect([region, LicenseConfigurations]).toEqual([region, []]);
    }
    // The organization keeps License Manager's trusted access: that is the organization stack's.
    expect(await enabledPrincipals()).toContain("license-manager.amazonaws.com");
  });
});

describe("moving the bootstrap stack's state into its own bucket", () => {
  it("cdktf deploy bootstrap --migrate-state, after backend.bootstrapStateInBackend: true, keeps every resource", async () => {
    const migrated = writeConfig("migrated.yaml", (document) => {
      document.backend.bootstrapStateInBackend = true;
    });
    const environment = { ...session.environment, LM_CONFIG: migrated };
    const cdktf = path.join(projectRoot, "node_modules/.bin/cdktf");
    const deploy = await runCommand(
      cdktf,
      ["deploy", "bootstrap", "--migrate-state", "--auto-approve", "--skip-provider-lock"],
      { cwd: projectRoot, env: environment },
    );
    expect(deploy.exitCode).toBe(0);
    expect(flatten(deploy)).toContain("No changes. Your infrastructure matches the configuration.");
    const bootstrapDirectory = path.join(projectRoot, "cdktf.out/stacks/bootstrap");
    const pulled = await runCommand("terraform", ["state", "pull"], {
      cwd: bootstrapDirectory,
      env: environment,
    });
    expect(JSON.parse(pulled.stdout).resources).toHaveLength(8);
    expect(
      JSON.parse(readFileSync(path.join(bootstrapDirectory, "cdk.tf.json"), "utf8")).terraform.backend.s3,
    ).toMatchObject({
      bucket: "e2e-license-manager-tfstate",
      key: "license-manager-org/bootstrap.tfstate",
    });
  });
});
