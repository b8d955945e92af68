/**
 * End to end, in one sandbox session: every stack deployed with the real cdktf CLI, Terraform 1.11 and AWS
 * provider 5.100.0, against a sandbox that enforces IAM. The bootstrap and access stacks are deployed by the
 * sandbox's administrator; the organization and License Manager stacks by the deploy role the access stack
 * creates; `npm run plan` and `npm run drift` read with the plan role. The scenarios run in order, each
 * leaving the sandbox as the deploy left it for the next: reads first, then changes made outside Terraform and
 * their repair, the protections, the tear-down, and last the call log, which must show every permission of
 * both roles used and no call denied outside the scenarios that expect a denial.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { GetRolePolicyCommand, GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  CreateGrantVersionCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListDistributedGrantsCommand,
  ListReceivedGrantsForOrganizationCommand,
  ListLicenseConfigurationsCommand,
  ListLicenseManagerReportGeneratorsCommand,
  ListTagsForResourceCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseManagerReportGeneratorCommand,
  UpdateServiceSettingsCommand,
} from "@aws-sdk/client-license-manager";
import {
  DescribeOrganizationCommand,
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { parse, stringify } from "yaml";
import { policyActions } from "../../lib/access/render";
import { assumeRoleCredentials } from "../../lib/aws/credentials";
import { loadConfig } from "../../lib/config/load";
import type { DriftReport } from "../../lib/drift/model";
import { runCommand } from "../../lib/process/run-command";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { SANDBOX_MARKETPLACE_LICENSE_ARN } from "../../sandbox/emulator/seed";
import { readSandboxReport, type SandboxReport } from "../../sandbox/report";
import { deployAllStacks, startSandboxSession, type SandboxSession } from "../../sandbox/session";
import { offlineRunnerEnvironment } from "../../sandbox/workflow-runner/machine";
import { runWorkflow, type WorkflowRunOptions } from "../../sandbox/workflow-runner/runner";
import { roleDocuments } from "../../tools/access";
import { interruptedDeployScenarios } from "./interrupted-deploy.scenarios";

const projectRoot = path.resolve(__dirname, "../..");
const workDirectory = mkdtempSync(path.join(tmpdir(), "lm-e2e-"));
const deployRole = "arn:aws:iam::111111111111:role/LicenseManagerDeployer";
const planRole = "arn:aws:iam::111111111111:role/LicenseManagerPlanner";
const memberReadRole = "LicenseManagerRoleReader";
/** Sessions of the scenarios that expect a denial; their denied calls are expected. */
const expectedDenialSession = "e2e-expected-denial";

const configurationNamed = (document: Record<string, any>, name: string): Record<string, any> =>
  document.licenseManager.licenseConfigurations.find((configuration: any) => configuration.name === name);

/** The sandbox config under another state bucket, so its bootstrap state file is the test's own. */
function writeConfig(
  name: string,
  change: (document: Record<string, any>) => void = () => undefined,
): string {
  const document = parse(readFileSync(path.join(projectRoot, "config/sandbox.yaml"), "utf8"));
  document.backend.bucket = "e2e-license-manager-tfstate";
  document.backend.dynamodbTable = "e2e-license-manager-tflock";
  // A user's own tag, which the tear-down's first deploy moves to another configuration (TagResource and
  // UntagResource with the deploy role).
  configurationNamed(document, "sql-server-enterprise").tags = { owner: "licensing" };
  change(document);
  // The environment tag comes from the file's name (lib/names/project-tags.ts): every variant is e2e.yaml.
  const directory = path.join(workDirectory, name.replace(/\.ya?ml$/, ""));
  mkdirSync(directory, { recursive: true });
  const file = path.join(directory, "e2e.yaml");
  writeFileSync(file, stringify(document));
  return file;
}

const configFile = writeConfig("e2e.yaml");
let session: SandboxSession;
let organizations: OrganizationsClient;
const licenseManager = (region: string) => new LicenseManagerClient({ region });
const iam = () => new IAMClient({ region: "us-east-1" });
const savedEnvironment = { ...process.env };
/** Time windows in which a denied call is what the scenario expects (the plan role trying to apply). */
const denialWindows: { from: string; to: string }[] = [];

const enabledPrincipals = async () =>
  (
    (await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}))).EnabledServicePrincipals ??
    []
  )
    .map((entry) => entry.ServicePrincipal)
    .sort();

const tsx = path.join(projectRoot, "node_modules/.bin/tsx");
const cdktf = path.join(projectRoot, "node_modules/.bin/cdktf");

/** A project CLI as a user runs it, logged under the session's log directory. */
const tool = (name: string, args: string[], environment: NodeJS.ProcessEnv = {}) =>
  runCommand(tsx, [`tools/${name}.ts`, ...args], {
    cwd: projectRoot,
    env: { ...session.environment, ...environment },
    logFile: path.join(session.logDirectory, `${name}.log`),
  });

const stackDirectory = (stack: string, synthesisDirectory = "cdktf.out") =>
  path.join(projectRoot, synthesisDirectory, "stacks", stack);

async function licenseConfigurationArn(name: string, region: string): Promise<string> {
  const { LicenseConfigurations } = await licenseManager(region).send(
    new ListLicenseConfigurationsCommand({}),
  );
  const found = LicenseConfigurations?.find((configuration) => configuration.Name === name);
  if (!found?.LicenseConfigurationArn) throw new Error(`no license configuration ${name} in ${region}`);
  return found.LicenseConfigurationArn;
}

/** cdktf's output without colours, and with Terraform's box and line wrapping undone, for matching messages. */
/** The management account's grants by name, and what each account of the organization received of them. */
async function grantsByName() {
  const { Grants } = await licenseManager("us-east-1").send(new ListDistributedGrantsCommand({}));
  const live = (Grants ?? []).filter((grant) => grant.GrantStatus !== "DELETED");
  const received =
    (
      await licenseManager("us-east-1").send(
        new ListReceivedGrantsForOrganizationCommand({ LicenseArn: SANDBOX_MARKETPLACE_LICENSE_ARN }),
      )
    ).Grants ?? [];
  return Object.fromEntries(
    live.map((grant) => [
      grant.GrantName!,
      {
        arn: grant.GrantArn!,
        status: grant.GrantStatus,
        operations: [...(grant.GrantedOperations ?? [])].sort(),
        accounts: Object.fromEntries(
          received
            .filter((each) => each.GrantArn === grant.GrantArn)
            .map((each) => [/(\d{12}):root$/.exec(each.GranteePrincipalArn!)![1], each.GrantStatus]),
        ),
      },
    ]),
  );
}

/**
 * The principals the session's config keeps enabled, sorted: SSO and CloudTrail, License Manager's two and AWS
 * Marketplace's (for the sandbox's Marketplace grants).
 */
const sessionPrincipals = [
  "cloudtrail.amazonaws.com",
  "license-management.marketplace.amazonaws.com",
  "license-manager.amazonaws.com",
  "license-manager.member-account.amazonaws.com",
  "sso.amazonaws.com",
];

/** cdktf deploy of the organization stack alone, with the session's environment and these variables. */
const deployOrganization = (environment: NodeJS.ProcessEnv = {}) =>
  runCommand(
    cdktf,
    [
      "deploy",
      "organization",
      "--auto-approve",
      "--skip-provider-lock",
      "--ignore-missing-stack-dependencies",
    ],
    { cwd: projectRoot, env: { ...session.environment, ...environment } },
  );

const flatten = (result: { stdout: string; stderr: string }) =>
  (result.stdout + result.stderr)
    // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
    .replace(/[│╷╵]/g, " ")
    .replace(/\s+/g, " ");

const statePull = async (stack: string) =>
  JSON.parse(
    (
      await runCommand("terraform", ["state", "pull"], {
        cwd: stackDirectory(stack),
        env: session.environment,
      })
    ).stdout,
  );

beforeAll(async () => {
  session = await startSandboxSession({
    projectRoot,
    dataDirectory: path.join(workDirectory, "data"),
    configFile,
  });
  Object.assign(process.env, session.environment);
  organizations = new OrganizationsClient({ region: "us-east-1" });
  await deployAllStacks(session);
}, 600_000);

afterAll(async () => {
  await session?.close();
  process.env = savedEnvironment;
  rmSync(path.join(projectRoot, "cdktf.plan.out"), { recursive: true, force: true });
});

describe("a fresh deploy of every stack", () => {
  let report: SandboxReport;
  beforeAll(async () => {
    report = await readSandboxReport("us-east-1", ["us-east-1", "eu-west-1"]);
  });

  it("deploys the stacks in dependency order, the access stack right after the bootstrap", () => {
    expect(session.stacks).toEqual(["bootstrap", "access", "organization", "license-manager"]);
  });

  it("creates the plan and deploy roles with the policies npm run access prints", async () => {
    const documents = roleDocuments(loadConfig(configFile));
    for (const { roleArn, policy, trust } of documents) {
      const roleName = roleArn.split("/").pop()!;
      const { Role } = await iam().send(new GetRoleCommand({ RoleName: roleName }));
      expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(trust);
      const inline = await iam().send(
        new GetRolePolicyCommand({
          RoleName: roleName,
          PolicyName: `license-manager-org-${roleName === "LicenseManagerPlanner" ? "plan" : "deploy"}`,
        }),
      );
      expect(JSON.parse(decodeURIComponent(inline.PolicyDocument!))).toEqual(policy);
    }
  });

  it("enables both License Manager principals, AWS Marketplace's for the grants, and keeps the principals enabled before", () => {
    expect(report.servicePrincipals).toEqual([
      "cloudtrail.amazonaws.com",
      "license-management.marketplace.amazonaws.com",
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
      discoveryRules: "none",
      disassociateWhenNotFound: false,
    });
  });

  it("puts the automated discovery rule on its configuration and creates the weekly usage report", () => {
    const sql = report.licenseConfigurations.find(
      (configuration) => configuration.name === "sql-server-enterprise",
    );
    expect(sql).toMatchObject({
      discoveryRules:
        'SSM_MANAGED[Application Name EQUALS "Microsoft SQL Server 2019 Enterprise"; Tag:license-exempt NOT_EQUALS]',
      disassociateWhenNotFound: true,
    });
    expect(report.reportGenerators).toEqual([
      {
        region: "us-east-1",
        name: "weekly-sql-server-usage",
        types: ["LicenseConfigurationUsageReport"],
        period: "WEEK",
        licenseConfigurations: ["sql-server-enterprise"],
        bucket: "aws-license-manager-service-111111111111-us-east-1",
      },
    ]);
  });
});

describe("grants of the management account's Marketplace license", () => {
  it("are accepted through the organization link and activated, in every account they reach", async () => {
    expect(await grantsByName()).toEqual({
      "analytics-server-organization": {
        arn: expect.any(String),
        status: "ACTIVE",
        operations: ["CheckInLicense", "CheckoutLicense", "ListPurchasedLicenses"],
        accounts: { "222222222222": "ACTIVE", "333333333333": "ACTIVE", "444444444444": "ACTIVE" },
      },
      "analytics-server-security": {
        arn: expect.any(String),
        status: "ACTIVE",
        operations: ["CheckInLicense", "CheckoutLicense"],
        accounts: { "444444444444": "ACTIVE" },
      },
    });
  });
});

describe("read-only work with the plan role", () => {
  it("npm run drift finds no drift in any stack", async () => {
    const result = await tool("drift", ["--json"]);
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
      exitCode: 0,
      stderr: expect.stringContaining("No drift: every stack matches its state."),
    });
    expect(result.stderr).toContain("plan role, cdktf.plan.out");
    const report = JSON.parse(result.stdout) as DriftReport;
    expect(report.stacks.map((stack) => [stack.stack, stack.status])).toEqual([
      ["bootstrap", "clean"],
      ["access", "clean"],
      ["organization", "clean"],
      ["license-manager", "clean"],
    ]);
  });

  it("npm run plan plans every stack with no changes", async () => {
    const result = await tool("plan", [
      "--json",
      "--skip-synth",
      "--out",
      path.join(workDirectory, "plans-clean"),
    ]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).risks).toEqual([]);
  });

  it("npm run roles reports every service-linked role, entering members through their read role only", async () => {
    const result = await tool("service-linked-roles", [
      "--role-arn",
      planRole,
      "--member-role-name",
      memberReadRole,
      "--json",
    ]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).missing).toEqual([]);
  });

  it("reconcile get reads what the stacks recorded (License Manager's settings among them) with the plan role", async () => {
    const result = await tool("reconcile", ["get", "--role-arn", planRole, "--json"]);
    expect(result.exitCode).toBe(0);
    expect(
      (JSON.parse(result.stdout) as { kind: string; region: string }[])
        .filter(({ kind }) => kind === "license-manager-settings")
        .map(({ region }) => region)
        .sort(),
    ).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("cdktf diff (deploy role) shows no changes", async () => {
    const diff = await session.cli.diff("organization");
    expect(diff.exitCode).toBe(0);
    expect(diff.hasChanges).toBe(false);
  });
});

describe("the workflows as GitHub runs them (sandbox/workflow-runner)", () => {
  const workflowsDirectory = path.join(projectRoot, ".github/workflows");
  let runCount = 0;
  /** One run of a workflow file's jobs against the sandbox, as GitHub would run them for the event. */
  const runJobs = (
    workflowFile: string,
    event: WorkflowRunOptions["event"],
    jobs: string[],
    options: Partial<WorkflowRunOptions> = {},
  ) => {
    const { repository, repositoryId, defaultBranch } = session.config.access!.github!;
    return runWorkflow({
      workflowFile: path.resolve(workflowsDirectory, workflowFile),
      event,
      repository: { repository, repositoryId: repositoryId!, defaultBranch },
      vars: {
        LM_CONFIG: configFile,
        AWS_PLAN_ROLE_ARN: planRole,
        AWS_DEPLOY_ROLE_ARN: deployRole,
        AWS_REGION: "us-east-1",
      },
      jobs,
      sourceDirectory: projectRoot,
      workDirectory: path.join(workDirectory, "workflows", `run-${(runCount += 1)}`),
      machineEnvironment: offlineRunnerEnvironment(session.environment),
      // npm ci takes minutes here: each job's workspace links the project's installed node_modules instead.
      replaceRunSteps: { "npm ci": `ln -s ${path.join(projectRoot, "node_modules")} node_modules` },
      ...options,
    });
  };
  const stepsOf = (job: { steps: readonly { name: string; outcome: string }[] }) =>
    job.steps.map((step) => `${step.outcome}: ${step.name}`);
  const pullRequest = { name: "pull_request", number: 12, headBranch: "feature" } as const;
  let planJobToken: string;

  it("plan.yml's plan job on a pull request assumes the plan role, plans every stack and posts and uploads its review", async () => {
    const { jobs } = await runJobs("plan.yml", pullRequest, ["plan"], { assumeSucceeded: ["test"] });
    const plan = jobs.plan;
    planJobToken = plan.idToken!;
    expect(stepsOf(plan)).toEqual([
      "success: Run actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
      "success: Run actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020",
      "success: Run npm ci",
      "success: Run hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd",
      "success: Run aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
      "success: npm run plan",
      "success: Post or update the review comment",
      "success: Upload the review",
      "skipped: Fail when a stack could not be planned",
    ]);
    expect(plan.steps[4].notes?.assumedRole).toMatch(
      /^arn:aws:sts::111111111111:assumed-role\/LicenseManagerPlanner\/plan-/,
    );
    // The session's bootstrap state is the administrator's local file until the migration scenario
    // (backend.bootstrapStateInBackend: false): a checkout has none, so the bootstrap plans as new, as it would on
    // GitHub before the migration (exit 2, changes); every stack whose state is in the bucket plans no change.
    expect(plan.steps[5].outputs).toEqual({ "exit-code": "2" });
    // The step's redirected stdout is the same summary as plans/summary.json (npm run --silent: no banner).
    const summary = JSON.parse(readFileSync(path.join(plan.workspace, "plans/summary.json"), "utf8"));
    expect(JSON.parse(readFileSync(path.join(plan.workspace, "plan-summary.json"), "utf8"))).toEqual(summary);
    expect(
      summary.stacks.map((stack: { stack: string; status: string }) => [stack.stack, stack.status]),
    ).toEqual([
      ["bootstrap", "changes"],
      ["access", "no-changes"],
      ["organization", "no-changes"],
      ["license-manager", "no-changes"],
    ]);
    const review = readFileSync(path.join(plan.workspace, "plans/review.md"), "utf8");
    expect(readFileSync(path.join(plan.workspace, "../../artifacts/plans/review.md"), "utf8")).toBe(review);
    expect(plan.steps[6].notes?.githubApiCalls).toEqual([
      { call: "issues.listComments", paginate: true, params: expect.objectContaining({ issue_number: 12 }) },
      { call: "issues.createComment", params: expect.objectContaining({ issue_number: 12, body: review }) },
    ]);
  }, 600_000);

  it("the pull request's token cannot assume the deploy role", async () => {
    const window = { from: new Date().toISOString(), to: "" };
    const sts = new STSClient({ region: "us-east-1" });
    await expect(
      sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: deployRole,
          RoleSessionName: expectedDenialSession,
          WebIdentityToken: planJobToken,
        }),
      ),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    denialWindows.push({ ...window, to: new Date().toISOString() });
  });

  it("a branch's copy of deploy.yml (job_workflow_ref on the branch, the production environment) is refused the deploy role and runs nothing after", async () => {
    const copy = parse(readFileSync(path.join(workflowsDirectory, "deploy.yml"), "utf8"));
    copy.on.push.branches = ["feature"];
    // A writer's copy goes straight for the deploy role: no plan job to wait for, no saved plans to fetch.
    copy.jobs.deploy.needs = "config";
    copy.jobs.deploy.steps = copy.jobs.deploy.steps.filter(
      (step: { uses?: string }) => !String(step.uses).startsWith("actions/download-artifact@"),
    );
    delete copy.jobs.plan;
    const file = path.join(workDirectory, "branch-copy", "deploy.yml");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, stringify(copy));
    const window = { from: new Date().toISOString(), to: "" };
    const { jobs } = await runJobs(file, { name: "push", branch: "feature" }, Object.keys(copy.jobs));
    denialWindows.push({ ...window, to: new Date().toISOString() });
    const credentials = Object.values(jobs)
      .flatMap((job) => job.steps)
      .find((step) => step.name.includes("configure-aws-credentials"))!;
    expect(credentials).toMatchObject({
      outcome: "failure",
      error:
        "Could not assume role with OIDC: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
    });
    // The config job holds no credentials and may succeed; every job that asks for a role gets none and skips
    // every later step but those that run always() (deleting the saved plans, with GitHub's token only).
    for (const job of Object.values(jobs)) {
      const asks = job.steps.findIndex((step) => step.name.includes("configure-aws-credentials"));
      if (asks < 0) continue;
      expect(job.result).not.toBe("success");
      expect(job.steps[asks]!.outcome).toBe("failure");
      const declared = copy.jobs[job.job].steps as { if?: string }[];
      const after = job.steps
        .map((step, index) => ({ step, index }))
        .filter(({ index }) => index > asks && !/always\(\)/.test(String(declared[index]?.if ?? "")));
      expect(after.length).toBeGreaterThan(0);
      for (const { step } of after) expect([step.name, step.outcome]).toEqual([step.name, "skipped"]);
    }
    expect(jobs.deploy!.steps.find((step) => step.name.includes("configure-aws-credentials"))).toMatchObject({
      outcome: "failure",
      error:
        "Could not assume role with OIDC: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
    });
  }, 300_000);

  it("drift.yml's job on main (its schedule) runs with the plan role, finds no drift and closes no issue", async () => {
    const { jobs } = await runJobs("drift.yml", { name: "schedule" }, ["drift"]);
    expect(stepsOf(jobs.drift).slice(4)).toEqual([
      "success: Run aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
      "success: npm run drift",
      "success: Open, update or close the drift issue",
      "skipped: Fail on drift or error",
    ]);
    expect(jobs.drift.steps[4].notes?.assumedRole).toContain("assumed-role/LicenseManagerPlanner/drift-");
    expect(jobs.drift.steps[5].outputs).toEqual({ "exit-code": "0" });
    expect(jobs.drift.steps[6].notes?.githubApiCalls).toEqual([
      { call: "issues.listForRepo", paginate: true, params: expect.objectContaining({ labels: "drift" }) },
    ]);
  }, 600_000);

  it("deploy.yml's jobs on a push to main run every step with the deploy role", async () => {
    const workflow = parse(readFileSync(path.join(workflowsDirectory, "deploy.yml"), "utf8"));
    const { jobs } = await runJobs(
      "deploy.yml",
      { name: "push", branch: "main" },
      Object.keys(workflow.jobs),
    );
    for (const job of Object.values(jobs)) {
      expect({ job: job.job, failed: job.steps.filter((step) => step.outcome === "failure") }).toEqual({
        job: job.job,
        failed: [],
      });
      expect(job.result).toBe("success");
    }
    const assumed = Object.values(jobs)
      .flatMap((job) => job.steps)
      .map((step) => step.notes?.assumedRole)
      .filter(Boolean);
    // The plan job plans with the plan role; only the deploy job, in the config's environment, gets the deploy role.
    expect(assumed).toEqual([
      expect.stringContaining("assumed-role/LicenseManagerPlanner/deploy-plan-"),
      expect.stringContaining("assumed-role/LicenseManagerDeployer/deploy-"),
    ]);
  }, 900_000);
});

describe("changes made outside Terraform", () => {
  beforeAll(async () => {
    await licenseManager("us-east-1").send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: await licenseConfigurationArn("windows-server-datacenter", "us-east-1"),
        LicenseCount: 10,
      }),
    );
    await licenseManager("eu-west-1").send(
      new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false }),
    );
    const [generator] =
      (await licenseManager("us-east-1").send(new ListLicenseManagerReportGeneratorsCommand({})))
        .ReportGenerators ?? [];
    await licenseManager("us-east-1").send(
      new UpdateLicenseManagerReportGeneratorCommand({
        LicenseManagerReportGeneratorArn: generator!.LicenseManagerReportGeneratorArn!,
        ReportGeneratorName: generator!.ReportGeneratorName!,
        Type: generator!.ReportType!,
        ReportContext: generator!.ReportContext!,
        ReportFrequency: { period: "DAY", value: 1 },
        ClientToken: "e2e-out-of-band",
        Description: generator!.Description,
      }),
    );
  });

  it("meanwhile, one grant is deactivated and the other narrowed outside Terraform", async () => {
    const grants = await grantsByName();
    await licenseManager("us-east-1").send(
      new CreateGrantVersionCommand({
        ClientToken: "e2e-deactivate",
        GrantArn: grants["analytics-server-organization"]!.arn,
        Status: "DISABLED",
      }),
    );
    await licenseManager("us-east-1").send(
      new CreateGrantVersionCommand({
        ClientToken: "e2e-narrow",
        GrantArn: grants["analytics-server-security"]!.arn,
        AllowedOperations: ["CheckoutLicense"],
      }),
    );
    expect((await grantsByName())["analytics-server-organization"]!.accounts["222222222222"]).toBe(
      "DISABLED",
    );
  });

  it("cdktf diff of License Manager names the changed license count", async () => {
    const diff = await session.cli.diff("license-manager");
    expect(diff.hasChanges).toBe(true);
    const output = flatten(diff);
    expect(output).toMatch(
      /aws_licensemanager_license_configuration\.us-east-1_license-configuration-windows-server-datacenter_configuration_\w+ \(us-east-1\/license-configuration-windows-server-datacenter\/configuration\) will be updated in-place/,
    );
    expect(output).toContain("~ license_count = 10 -> 96");
  });

  it("with a principal disabled too, meanwhile, License Manager's plan stops at its trusted-access check", async () => {
    await organizations.send(
      new DisableAWSServiceAccessCommand({
        ServicePrincipal: "license-manager.member-account.amazonaws.com",
      }),
    );
    const diff = await session.cli.diff("license-manager");
    expect(flatten(diff)).toContain(
      "Trusted access for license-manager.member-account.amazonaws.com is not enabled in the organization. " +
        "Deploy the organization stack first",
    );
  });

  it("npm run drift (plan role) exits 2 and names each of them", async () => {
    const result = await tool("drift", ["--json", "--skip-synth"]);
    expect(result.exitCode).toBe(2);
    const report = JSON.parse(result.stdout) as DriftReport;
    const byStack = Object.fromEntries(report.stacks.map((stack) => [stack.stack, stack]));
    const reconciled = (kind: string) =>
      byStack["license-manager"].reconciled.filter((drift) => drift.kind === kind);
    expect(byStack.organization.drift).toEqual([
      expect.objectContaining({
        address: "aws_organizations_organization.organization_DC53FF14",
        constructPath: "organization/organization/organization",
        changedAttributes: ["aws_service_access_principals"],
      }),
    ]);
    expect(byStack["license-manager"].drift).toEqual([
      expect.objectContaining({
        constructPath: "license-manager/us-east-1/grant-analytics-server-security-444444444444",
        changedAttributes: ["allowed_operations"],
      }),
      expect.objectContaining({
        constructPath:
          "license-manager/us-east-1/license-configuration-windows-server-datacenter/configuration",
        changedAttributes: ["license_count"],
        changes: [{ attribute: "license_count", recorded: 96, live: 10 }],
      }),
    ]);
    expect(reconciled("license-manager-grant-activation")).toEqual([
      expect.objectContaining({
        region: "us-east-1",
        differences: [
          {
            subject: 'grant "analytics-server-organization" to organization',
            field: "status",
            desired: "ACTIVE",
            live: "DISABLED",
          },
        ],
      }),
    ]);
    expect(reconciled("license-manager-settings")).toEqual([
      expect.objectContaining({
        region: "eu-west-1",
        differences: [{ field: "enableCrossAccountsDiscovery", desired: true, live: false }],
      }),
    ]);
    expect(reconciled("license-manager-discovery-and-reports")).toEqual([
      expect.objectContaining({
        region: "us-east-1",
        differences: [
          {
            subject: 'report generator "weekly-sql-server-usage"',
            field: "period",
            desired: "WEEK",
            live: "DAY",
          },
        ],
      }),
    ]);
    expect(result.stderr).toContain(
      "drift aws_organizations_organization.organization_DC53FF14 (organization/organization/organization): changed (recorded → live):",
    );
    expect(result.stderr).toMatch(
      /\n {4}aws_service_access_principals: \[[^\n]*"license-manager\.member-account\.amazonaws\.com"[^\n]*\] → \[[^\n]*\]\n/,
    );
    expect(result.stderr).toContain("\n    license_count: 96 → 10\n");
  });

  it("the plan role cannot apply: not even the state lock is granted, and the organization and the state stay as they were", async () => {
    const serialBefore = (await statePull("organization")).serial;
    const from = new Date().toISOString();
    const apply = await runCommand("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
      cwd: stackDirectory("organization", "cdktf.plan.out"),
      env: session.environment,
    });
    denialWindows.push({ from, to: new Date().toISOString() });
    expect(apply.exitCode).not.toBe(0);
    // The plan role holds no lock action: the apply stops at the state lock, before it calls anything.
    expect(flatten(apply)).toMatch(
      /Error acquiring the state lock.*AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role\/LicenseManagerPlanner\/[\w-]+ is not authorized to perform: dynamodb:PutItem/,
    );
    expect(await enabledPrincipals()).not.toContain("license-manager.member-account.amazonaws.com");
    expect((await statePull("organization")).serial).toBe(serialBefore);
  });

  it("a deploy in progress holds the state lock: a second deploy of the stack fails and the state stays intact", async () => {
    const serialBefore = (await statePull("organization")).serial;
    // An apply waiting for its approval holds the lock for as long as it waits.
    const holder = spawn("terraform", ["apply", "-no-color"], {
      cwd: stackDirectory("organization"),
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
    const stateAfter = await statePull("organization");
    expect(stateAfter.serial).toBe(serialBefore);
    expect(stateAfter.resources.length).toBeGreaterThan(0);
    expect(await enabledPrincipals()).not.toContain("license-manager.member-account.amazonaws.com");
  });

  it("a redeploy and npm run reconcile -- restore (deploy role) restore them, and drift, with the deploy role too, exits 0 after", async () => {
    // Two stacks deployed, every kind restored and two drift checks: longer than one command.
    // One run of the CLI for both stacks, as deploy.yml runs it.
    const deploy = await session.cli.deploy(["organization", "license-manager"]);
    expect(deploy.exitCode).toBe(0);
    const reconcile = await tool("reconcile", ["restore"]);
    expect(reconcile.exitCode).toBe(0);
    expect(reconcile.stderr).toContain(
      "Restored License Manager settings in eu-west-1: enableCrossAccountsDiscovery",
    );
    expect(reconcile.stderr).toContain("Restored grant activations in us-east-1");
    const grants = await grantsByName();
    expect(grants["analytics-server-organization"]!.accounts).toEqual({
      "222222222222": "ACTIVE",
      "333333333333": "ACTIVE",
      "444444444444": "ACTIVE",
    });
    expect(grants["analytics-server-security"]!.operations).toEqual(["CheckInLicense", "CheckoutLicense"]);

    expect(await enabledPrincipals()).toContain("license-manager.member-account.amazonaws.com");
    const configuration = await licenseManager("us-east-1").send(
      new GetLicenseConfigurationCommand({
        LicenseConfigurationArn: await licenseConfigurationArn("windows-server-datacenter", "us-east-1"),
      }),
    );
    expect(configuration.LicenseCount).toBe(96);

    // With the deploy role (its synthesis, cdktf.out), on the two stacks it deploys and the changes were made to;
    // the plan role's drift check runs on every stack before and after this.
    const drift = await tool("drift", [
      "--json",
      "--role",
      "deploy",
      "--skip-synth",
      "--stack",
      "organization",
      "--stack",
      "license-manager",
    ]);
    expect(drift.stderr).toContain("No drift: every stack matches its state.");
    expect(drift.exitCode).toBe(0);
    const again = await tool("reconcile", ["restore"]);
    expect(again.stderr).not.toContain("Restored");
  }, 300_000);

  it("the service-linked roles that already exist (License Manager's, AWS Marketplace's) are adopted, by import, not created again", async () => {
    const { Role: before } = await iam().send(
      new GetRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
    );
    const state = await statePull("license-manager");
    const addresses = state.resources
      .filter((resource: any) => resource.type === "aws_iam_service_linked_role")
      .map((resource: any) => `${resource.type}.${resource.name}`);
    expect(addresses).toHaveLength(2);
    const removed = await runCommand("terraform", ["state", "rm", ...addresses], {
      cwd: stackDirectory("license-manager"),
      env: session.environment,
    });
    expect(removed.exitCode).toBe(0);
    // Terraform's apply of the synthesized stack, as cdktf deploy runs it (the CLI itself runs in the other
    // deploys): the import block the stack writes for the role adopts it.
    const apply = await runCommand("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
      cwd: stackDirectory("license-manager"),
      env: session.environment,
      logFile: path.join(session.logDirectory, "adopt-service-linked-role.log"),
    });
    expect(apply.exitCode).toBe(0);
    expect(flatten(apply)).toMatch(
      /aws_iam_service_linked_role\.service-linked-role_E7A4F1D5: Import complete/,
    );
    expect(flatten(apply)).toMatch(
      /aws_iam_service_linked_role\.marketplace-service-linked-role_9F8FA714: Import complete/,
    );
    const { Role: after } = await iam().send(
      new GetRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
    );
    expect(after?.RoleId).toBe(before?.RoleId);
  });
});

describe("plan review", () => {
  it("npm run plan (plan role) puts a removed principal first", async () => {
    const removePrincipal = writeConfig("remove-principal.yaml", (document) => {
      document.organization.serviceAccessPrincipals = ["cloudtrail.amazonaws.com"];
      document.organization.principalsAllowedToBeRemoved = ["sso.amazonaws.com"];
    });
    const out = path.join(workDirectory, "plans");
    const result = await tool("plan", ["--json", "--out", out, "--stack", "organization"], {
      LM_CONFIG: removePrincipal,
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
  });

  it("npm run plan (plan role) flags a region added as the access stack's to deploy first, naming the administrator's command", async () => {
    const addRegion = writeConfig("add-region.yaml", (document) => {
      document.licenseManager.regions = [...document.licenseManager.regions, "us-west-2"];
    });
    const result = await tool(
      "plan",
      ["--json", "--out", path.join(workDirectory, "access-plans"), "--stack", "access"],
      {
        LM_CONFIG: addRegion,
      },
    );
    expect(result.exitCode).toBe(2);
    const risks = JSON.parse(result.stdout).risks as { rule: string; stack: string; reason: string }[];
    // The plan role read the roles' live policies (GetRolePolicy) and found both built from the config's regions.
    expect(risks.map((risk) => [risk.rule, risk.stack, risk.reason.split(":")[0]]).sort()).toEqual([
      ["access-stack-redeploy-first", "access", "changes the deploy role's permissions (update)"],
      ["access-stack-redeploy-first", "access", "changes the plan role's permissions (update)"],
    ]);
    expect(risks[0]!.reason).toContain(
      "`LM_CONFIG=<this config> npx cdktf deploy access --ignore-missing-stack-dependencies` with administrator credentials",
    );
  });
});

describe("protections", () => {
  afterAll(async () => {
    // Back to the deployed config for anything after.
    await runCommand(cdktf, ["synth"], { cwd: projectRoot, env: session.environment });
  });

  it("a config that drops an enabled principal fails the plan with the guard's message and changes nothing", async () => {
    const withoutSso = writeConfig("without-sso.yaml", (document) => {
      document.organization.serviceAccessPrincipals = ["cloudtrail.amazonaws.com"];
    });
    const deploy = await deployOrganization({ LM_CONFIG: withoutSso });
    const output = flatten(deploy);
    expect(deploy.exitCode).not.toBe(0);
    expect(output).toContain("Resource precondition failed");
    expect(output).toContain("Removal guard: this apply would disable trusted access for sso.amazonaws.com");
    expect(output).toContain("list them in organization.principalsAllowedToBeRemoved");
    expect(await enabledPrincipals()).toEqual(sessionPrincipals);
  });

  it("with the guard bypassed, the deploy role still cannot disable a principal or enable one the config does not name", async () => {
    const asDeployer = new OrganizationsClient({
      region: "us-east-1",
      credentials: assumeRoleCredentials({
        region: "us-east-1",
        roleArn: deployRole,
        roleSessionName: expectedDenialSession,
      }),
    });
    await expect(
      asDeployer.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" })),
    ).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining("is not authorized to perform: organizations:DisableAWSServiceAccess"),
    });
    await expect(
      asDeployer.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "config.amazonaws.com" })),
    ).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: expect.stringContaining("is not authorized to perform: organizations:EnableAWSServiceAccess"),
    });
    expect(await enabledPrincipals()).toHaveLength(5);
  });

  it("destroying the organization through the stack is refused", async () => {
    const destroy = await session.cli.destroy("organization");
    const output = flatten(destroy);
    expect(destroy.exitCode).not.toBe(0);
    expect(output).toContain("Instance cannot be destroyed");
    expect(output).toContain("lifecycle.prevent_destroy");
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe("o-sandbox00001");
    expect(await enabledPrincipals()).toHaveLength(5);
  });
});

describe("an organization owned elsewhere (organization.source: external)", () => {
  // The project's principals: License Manager's two, and AWS Marketplace's for the sandbox's Marketplace grants.
  const lmPrincipals = [
    "license-manager.amazonaws.com",
    "license-manager.member-account.amazonaws.com",
    "license-management.marketplace.amazonaws.com",
  ];
  const asExternal = {
    LM_CONFIG: writeConfig("external.yaml", (document) => {
      document.organization.source = "external";
      delete document.organization.serviceAccessPrincipals;
      delete document.organization.enabledPolicyTypes;
    }),
  };
  const callLog = () =>
    readFileSync(session.services.callLogFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as CallLogEntry);
  const driftOfOrganization = async () => {
    const result = await tool("drift", ["--json", "--stack", "organization"], asExternal);
    return { exitCode: result.exitCode, report: JSON.parse(result.stdout || "{}") as DriftReport };
  };
  let startOfScenario = 0;

  it("moving the deployed stack from import to external forgets the organization and disables nothing", async () => {
    startOfScenario = callLog().length;
    const before = await enabledPrincipals();
    const deploy = await deployOrganization(asExternal);
    expect(deploy.exitCode).toBe(0);
    expect(await enabledPrincipals()).toEqual(before);
    const types = (await statePull("organization")).resources.map(
      (resource: { mode: string; type: string }) => `${resource.mode} ${resource.type}`,
    );
    expect(types).not.toContain("managed aws_organizations_organization");
    expect(types).toContain("managed terraform_data");
  });

  it("another owner's principals come and go between runs: drift (plan role) stays 0", async () => {
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "config.amazonaws.com" }));
    await organizations.send(
      new DisableAWSServiceAccessCommand({ ServicePrincipal: "cloudtrail.amazonaws.com" }),
    );
    const drift = await driftOfOrganization();
    expect(drift.exitCode).toBe(0);
  });

  it("License Manager's principal disabled out of band: drift exits 2 naming it, the review flags the restore, cdktf deploy restores it", async () => {
    await organizations.send(
      new DisableAWSServiceAccessCommand({
        ServicePrincipal: "license-manager.member-account.amazonaws.com",
      }),
    );
    const drift = await driftOfOrganization();
    expect(drift.exitCode).toBe(2);
    expect(drift.report.stacks[0]!.reconciled).toEqual([
      expect.objectContaining({
        kind: "organizations-trusted-access",
        differences: [
          {
            subject: "trusted access for license-manager.member-account.amazonaws.com",
            field: "enabled",
            desired: true,
            live: false,
          },
        ],
      }),
    ]);

    const review = await tool(
      "plan",
      ["--json", "--out", path.join(workDirectory, "external-plans"), "--stack", "organization"],
      asExternal,
    );
    expect(review.exitCode).toBe(2);
    expect(JSON.parse(review.stdout).risks).toEqual([
      expect.objectContaining({
        rule: "out-of-band-change-reverted",
        reason: expect.stringContaining("puts back trusted access in us-east-1, changed outside Terraform"),
      }),
    ]);

    const deploy = await deployOrganization(asExternal);
    expect(deploy.exitCode).toBe(0);
    expect(await enabledPrincipals()).toContain("license-manager.member-account.amazonaws.com");
    expect((await driftOfOrganization()).exitCode).toBe(0);
  });

  it("the project's roles wrote trusted access for the project's principals only, and disabled none", () => {
    const writes = callLog()
      .slice(startOfScenario)
      .filter(
        (entry) =>
          (entry.roleArn === deployRole || entry.roleArn === planRole) &&
          /^(Enable|Disable)AWSServiceAccess$/.test(entry.action),
      );
    const byPrincipal: Record<string, number> = {};
    for (const entry of writes) {
      const key = `${entry.action} ${String(entry.conditionKeys?.["organizations:ServicePrincipal"])}`;
      byPrincipal[key] = (byPrincipal[key] ?? 0) + 1;
    }
    console.log(
      `trusted-access writes by the project's roles in external mode: ${JSON.stringify(byPrincipal)}`,
    );
    expect(Object.keys(byPrincipal).length).toBeGreaterThan(0);
    for (const key of Object.keys(byPrincipal)) {
      expect(lmPrincipals.map((principal) => `EnableAWSServiceAccess ${principal}`)).toContain(key);
    }
  });

  it("moving back to import adopts the organization again and disables nothing", async () => {
    // The other owner's changes undone, so that the session's config lists every principal enabled again.
    await organizations.send(
      new DisableAWSServiceAccessCommand({ ServicePrincipal: "config.amazonaws.com" }),
    );
    await organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "cloudtrail.amazonaws.com" }),
    );
    const deploy = await deployOrganization();
    expect(deploy.exitCode).toBe(0);
    expect(await enabledPrincipals()).toEqual(sessionPrincipals);
    const types = (await statePull("organization")).resources.map(
      (resource: { type: string }) => resource.type,
    );
    expect(types).toContain("aws_organizations_organization");
    expect(types).not.toContain("terraform_data");
  });
});

// A deploy killed mid-apply, the lock it leaves, the configurations it leaves unmanaged, and the adoption that
// follows; leaves the License Manager stack as the session's config deploys it.
interruptedDeployScenarios({ session: () => session, tool, workDirectory, writeConfig });

describe("tear-down", () => {
  it("first deploys the config without discovery rules and reports, as docs/operations.md says: both are removed", async () => {
    const withoutDiscovery = writeConfig("without-discovery.yaml", (document) => {
      delete document.licenseManager.reports;
      for (const configuration of document.licenseManager.licenseConfigurations)
        delete configuration.automatedDiscovery;
      // The user's tag moves: removed from one configuration, added to the other (in both its regions).
      delete configurationNamed(document, "sql-server-enterprise").tags;
      configurationNamed(document, "windows-server-datacenter").tags = { owner: "licensing" };
    });
    const deploy = await runCommand(
      cdktf,
      [
        "deploy",
        "license-manager",
        "--auto-approve",
        "--ignore-missing-stack-dependencies",
        "--skip-provider-lock",
      ],
      {
        cwd: projectRoot,
        env: { ...session.environment, LM_CONFIG: withoutDiscovery },
        logFile: path.join(session.logDirectory, "deploy-without-discovery.log"),
      },
    );
    expect(deploy.exitCode).toBe(0);
    const { ReportGenerators } = await licenseManager("us-east-1").send(
      new ListLicenseManagerReportGeneratorsCommand({}),
    );
    expect(ReportGenerators).toEqual([]);
    const sql = await licenseManager("us-east-1").send(
      new GetLicenseConfigurationCommand({
        LicenseConfigurationArn: await licenseConfigurationArn("sql-server-enterprise", "us-east-1"),
      }),
    );
    expect(sql.ProductInformationList ?? []).toEqual([]);
    const ownerTag = async (name: string, region: string) =>
      (
        await licenseManager(region).send(
          new ListTagsForResourceCommand({ ResourceArn: await licenseConfigurationArn(name, region) }),
        )
      ).Tags?.find((tag) => tag.Key === "owner")?.Value;
    expect(await ownerTag("sql-server-enterprise", "us-east-1")).toBeUndefined();
    expect(await ownerTag("windows-server-datacenter", "us-east-1")).toBe("licensing");
    expect(await ownerTag("windows-server-datacenter", "eu-west-1")).toBe("licensing");
  });

  it("unlinks License Manager from Organizations, then destroys its stack, service-linked role included", async () => {
    const unlink = await tool("reconcile", ["unlink"]);
    expect(unlink.exitCode).toBe(0);
    expect(unlink.stderr).toContain("Unlinked License Manager settings in us-east-1: enableIntegration");
    expect(unlink.stderr).toContain("Unlinked License Manager settings in eu-west-1: enableIntegration");
    // The AWS provider cannot delete a grant (terraform-provider-aws #47901): unlinking deletes them first.
    expect(unlink.stderr).toContain(
      'Unlinked grant activations in us-east-1: grant "analytics-server-organization"',
    );

    const destroy = await session.cli.destroy("license-manager");
    expect(destroy.exitCode).toBe(0);
    expect(flatten(destroy)).toContain("Destroy complete!");
    await expect(
      iam().send(new GetRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" })),
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
    const deploy = await runCommand(
      cdktf,
      ["deploy", "bootstrap", "--migrate-state", "--auto-approve", "--skip-provider-lock"],
      { cwd: projectRoot, env: environment },
    );
    expect(deploy.exitCode).toBe(0);
    expect(flatten(deploy)).toContain("No changes. Your infrastructure matches the configuration.");
    const pulled = await runCommand("terraform", ["state", "pull"], {
      cwd: stackDirectory("bootstrap"),
      env: environment,
    });
    expect(JSON.parse(pulled.stdout).resources).toHaveLength(8);
    expect(
      JSON.parse(readFileSync(path.join(stackDirectory("bootstrap"), "cdk.tf.json"), "utf8")).terraform
        .backend.s3,
    ).toMatchObject({
      bucket: "e2e-license-manager-tfstate",
      key: "license-manager-org/bootstrap.tfstate",
    });
  });
});

describe("the call log of the whole run", () => {
  let log: CallLogEntry[];
  const documents = () => roleDocuments(loadConfig(configFile));
  beforeAll(() => {
    log = readFileSync(session.services.callLogFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as CallLogEntry);
  });

  const expectedDenial = (entry: CallLogEntry) =>
    entry.principal?.endsWith(`/${expectedDenialSession}`) ||
    denialWindows.some((window) => entry.time >= window.from && entry.time <= window.to);

  it("denied no call outside the scenarios that expect a denial, and those were denied", () => {
    const denied = log.filter(
      (entry) =>
        entry.decision === "denied" || entry.additionalChecks?.some((check) => check.decision === "denied"),
    );
    expect(denied.filter((entry) => !expectedDenial(entry))).toEqual([]);
    expect(denied.map((entry) => entry.iamAction).sort()).toEqual(
      expect.arrayContaining([
        "organizations:DisableAWSServiceAccess",
        "organizations:EnableAWSServiceAccess",
      ]),
    );
  });

  it("kept the state under the config's KMS key: the plan role only decrypted, the deploy role also generated data keys, through S3 with the bucket's encryption context", async () => {
    const { backend } = loadConfig(configFile);
    const bucketArn = `arn:aws:s3:::${backend.bucket}`;
    const head = await new S3Client({ region: backend.region, forcePathStyle: true }).send(
      new HeadObjectCommand({ Bucket: backend.bucket, Key: "license-manager-org/organization.tfstate" }),
    );
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual([
      "aws:kms",
      backend.kmsKeyArn,
      true,
    ]);
    const kmsChecks = (roleArn: string, action: string) =>
      log
        .filter((entry) => entry.roleArn === roleArn && entry.service === "s3")
        .flatMap((entry) => (entry.additionalChecks ?? []).map((check) => ({ entry, check })))
        .filter(({ check }) => check.iamAction === action);
    const expected = {
      resources: [backend.kmsKeyArn],
      decision: "allowed",
      conditionKeys: expect.objectContaining({
        "kms:ViaService": `s3.${backend.region}.amazonaws.com`,
        // The state bucket's S3 Bucket Key: KMS sees the bucket, not the object.
        "kms:EncryptionContext:aws:s3:arn": bucketArn,
      }),
    };
    const reads = kmsChecks(planRole, "kms:Decrypt");
    expect(reads.map(({ entry }) => entry.action)).toEqual(reads.map(() => "GetObject"));
    expect(reads.length).toBeGreaterThan(0);
    for (const { check } of reads) expect(check).toEqual({ iamAction: "kms:Decrypt", ...expected });
    expect(kmsChecks(planRole, "kms:GenerateDataKey")).toEqual([]);
    const writes = kmsChecks(deployRole, "kms:GenerateDataKey");
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map(({ entry }) => entry.action))).toEqual(new Set(["PutObject"]));
    for (const { check } of [...writes, ...kmsChecks(deployRole, "kms:Decrypt")])
      expect(check).toEqual({ iamAction: check.iamAction, ...expected });
  });

  it.each(["plan", "deploy"])("used every action of the %s role's policy at least once", (role) => {
    const { roleArn, policy } = documents().find((document) => document.role === role)!;
    // A call may need more than its own action (tag-on-create needs the tagging action too).
    const used = new Set(
      log
        .filter((entry) => entry.roleArn === roleArn)
        .flatMap((entry) => [
          ...(entry.decision === "allowed" ? [entry.iamAction] : []),
          ...(entry.additionalChecks ?? [])
            .filter((check) => check.decision === "allowed")
            .map((check) => check.iamAction),
        ]),
    );
    const granted = policyActions(policy);
    const unused = granted.filter((action) => !used.has(action));
    console.log(
      `${role} role: ${granted.length} actions granted, ${granted.length - unused.length} used, ${unused.length} unused` +
        (unused.length > 0 ? `: ${unused.join(", ")}` : ""),
    );
    expect(unused).toEqual([]);
  });
});
