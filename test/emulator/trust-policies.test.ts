import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { DescribeOrganizationCommand, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { deployWorkflows, planWorkflows, trustPolicy } from "../../lib/access/trust";
import { mintGitHubActionsToken, type GitHubJobContext } from "../../sandbox/emulator/github-oidc-token";
import type { RunningEmulator } from "../../sandbox/emulator/server";
import {
  allow,
  assumeRole,
  callLog,
  clientsFor,
  memberAccessRole,
  sessionOf,
  trustManagementAccount,
  useEmulator,
} from "./emulator-clients";

const ACCOUNT = "111111111111";
const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
const trusting = (principal: unknown) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
});

async function createRole(emulator: RunningEmulator, name: string, trust: object, policy?: object) {
  const { iam } = clientsFor(emulator);
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  if (policy) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: "access",
        PolicyDocument: JSON.stringify(policy),
      }),
    );
  }
  return roleArn(name);
}

describe("AssumeRole and the trust policy", () => {
  const emulator = useEmulator();
  const notAuthorized = (caller: string, target: string) => ({
    name: "AccessDenied",
    message: `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${target}`,
    $metadata: { httpStatusCode: 403 },
  });
  const session = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/emulator-test`;

  it("lets a role named as the principal assume the role without an identity-policy grant", async () => {
    const source = await sessionOf(emulator(), "Source", allow([["iam:GetRole"], ["*"]]));
    const target = await createRole(emulator(), "Target", trusting(roleArn("Source")));
    const credentials = await assumeRole(emulator(), target, source);
    const identity = await clientsFor(emulator(), credentials).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(session("Target"));
  });

  it("needs sts:AssumeRole in the caller's policy when the trust policy names the account (root ARN or id)", async () => {
    const withoutGrant = await sessionOf(emulator(), "NoGrant", allow([["iam:GetRole"], ["*"]]));
    const byRoot = await createRole(emulator(), "ByRoot", trusting(`arn:aws:iam::${ACCOUNT}:root`));
    const byId = await createRole(emulator(), "ById", trusting(ACCOUNT));
    await expect(assumeRole(emulator(), byRoot, withoutGrant)).rejects.toMatchObject(
      notAuthorized(session("NoGrant"), byRoot),
    );

    const withGrant = await sessionOf(emulator(), "Grant", allow([["sts:AssumeRole"], [byRoot, byId]]));
    await assumeRole(emulator(), byRoot, withGrant);
    await assumeRole(emulator(), byId, withGrant);
    const chained = (await callLog(emulator())).filter((e) => e.action === "AssumeRole" && e.roleArn);
    expect(
      chained.map(({ roleArn: caller, resources, decision }) => ({ caller, resources, decision })),
    ).toEqual([
      { caller: roleArn("NoGrant"), resources: [byRoot], decision: "denied" },
      { caller: roleArn("Grant"), resources: [byRoot], decision: "allowed" },
      { caller: roleArn("Grant"), resources: [byId], decision: "allowed" },
    ]);
  });

  it("refuses a principal the trust policy does not name, the administrator's keys included", async () => {
    const elsewhere = await createRole(emulator(), "Elsewhere", trusting("arn:aws:iam::999999999999:root"));
    await expect(assumeRole(emulator(), elsewhere)).rejects.toMatchObject(
      notAuthorized(`arn:aws:iam::${ACCOUNT}:user/sandbox-admin`, elsewhere),
    );
    // OrganizationAccountAccessRole trusts the management account: its administrator may enter.
    await assumeRole(emulator(), memberAccessRole("222222222222"));
  });

  it("enforces the member role's AdministratorAccess: its sessions are allowed, and logged as the role", async () => {
    const member = await assumeRole(emulator(), memberAccessRole("333333333333"));
    await clientsFor(emulator(), member).organizations.send(new DescribeOrganizationCommand({}));
    expect((await callLog(emulator())).at(-1)).toMatchObject({
      accountId: "333333333333",
      roleArn: memberAccessRole("333333333333"),
      decision: "allowed",
    });
  });
});

describe("AssumeRoleWithWebIdentity for GitHub Actions", () => {
  const emulator = useEmulator();
  const repository = "example-org/license-manager-org";
  const deployRole = roleArn("LicenseManagerDeployer");
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const githubTrust = (subjects: string[]) => ({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": subjects,
          },
        },
      },
    ],
  });

  // Unsigned: the SDK sends AssumeRoleWithWebIdentity without credentials.
  const assumeWithToken = (token: string, role = deployRole) =>
    new STSClient({ endpoint: emulator().url, region: "us-east-1", maxAttempts: 1 }).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role,
        RoleSessionName: "github-actions",
        WebIdentityToken: token,
      }),
    );
  const token = (context: GitHubJobContext, claims: Record<string, unknown> = {}, repo = repository) =>
    mintGitHubActionsToken({ repository: repo, context, claims });

  async function setUp(withProvider = true) {
    if (withProvider) {
      await clientsFor(emulator()).iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://token.actions.githubusercontent.com",
          ClientIDList: ["sts.amazonaws.com"],
        }),
      );
    }
    await createRole(
      emulator(),
      "LicenseManagerDeployer",
      githubTrust([`repo:${repository}:environment:production`]),
      allow([["organizations:DescribeOrganization"], ["*"]]),
    );
  }

  it("gives a job of the trusted environment a session that its role's policy then governs", async () => {
    await setUp();
    const reply = await assumeWithToken(token({ environment: "production" }));
    expect(reply).toMatchObject({
      SubjectFromWebIdentityToken: `repo:${repository}:environment:production`,
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/LicenseManagerDeployer/github-actions` },
      Audience: "sts.amazonaws.com",
    });
    const credentials = {
      accessKeyId: reply.Credentials!.AccessKeyId!,
      secretAccessKey: reply.Credentials!.SecretAccessKey!,
      sessionToken: reply.Credentials!.SessionToken!,
    };
    const { organizations } = clientsFor(emulator(), credentials);
    await organizations.send(new DescribeOrganizationCommand({}));
    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    const log = await callLog(emulator());
    expect(log.find((e) => e.action === "AssumeRoleWithWebIdentity")).toMatchObject({
      service: "sts",
      principal: providerArn,
      status: 200,
      iamAction: "sts:AssumeRoleWithWebIdentity",
      resources: [deployRole],
      decision: "allowed",
      conditionKeys: {
        "token.actions.githubusercontent.com:sub": `repo:${repository}:environment:production`,
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      },
    });
  });

  it.each<[string, string]>([
    ["a pull request of the repository", token({ pullRequest: true })],
    ["another environment", token({ environment: "staging" })],
    ["another repository's production", token({ environment: "production" }, {}, "someone/else")],
  ])("refuses %s with AccessDenied", async (_name, jwt) => {
    await setUp();
    await expect(assumeWithToken(jwt)).rejects.toMatchObject({
      name: "AccessDenied",
      message: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
      $metadata: { httpStatusCode: 403 },
    });
    expect((await callLog(emulator())).at(-1)).toMatchObject({ status: 403, decision: "denied" });
  });

  it("matches StringLike wildcards in the trust policy", async () => {
    await setUp();
    const wildcard = {
      ...githubTrust([]),
      Statement: [
        {
          ...githubTrust([]).Statement[0],
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": `repo:${repository}:*` },
          },
        },
      ],
    };
    const planner = await createRole(emulator(), "Planner", wildcard);
    await assumeWithToken(token({ pullRequest: true }), planner);
    await expect(
      assumeWithToken(token({ pullRequest: true }, {}, "someone/else"), planner),
    ).rejects.toMatchObject({
      name: "AccessDenied",
    });
  });

  it("checks the token as AWS does: a provider for its issuer, its audience, its expiry", async () => {
    await setUp(false);
    await expect(assumeWithToken(token({ environment: "production" }))).rejects.toMatchObject({
      name: "InvalidIdentityTokenException",
      message:
        "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
    });
    await clientsFor(emulator()).iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: "https://token.actions.githubusercontent.com",
        ClientIDList: ["sts.amazonaws.com"],
      }),
    );
    await expect(
      assumeWithToken(
        mintGitHubActionsToken({ repository, context: { environment: "production" }, audience: "other" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidIdentityTokenException", message: "Incorrect token audience" });
    await expect(
      assumeWithToken(
        mintGitHubActionsToken({ repository, context: { environment: "production" }, expiresInSeconds: -60 }),
      ),
    ).rejects.toMatchObject({ name: "ExpiredTokenException" });
    await expect(assumeWithToken("not-a-jwt")).rejects.toMatchObject({
      name: "InvalidIdentityTokenException",
    });
  });

  it("refuses a plain AssumeRole of a role that trusts only GitHub's provider", async () => {
    await setUp();
    await expect(assumeRole(emulator(), deployRole)).rejects.toMatchObject({ name: "AccessDenied" });
    await assumeRole(emulator(), await createRole(emulator(), "Workstation", trustManagementAccount));
  });
});

describe("the access stack's trust policies, evaluated on GitHub's claims", () => {
  const emulator = useEmulator();
  const repository = "example-org/license-manager-org";
  const github = { repository, defaultBranch: "main", environment: "production", repositoryId: "1296269" };
  const providerArn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
  const roles = { plan: roleArn("Planner"), deploy: roleArn("Deployer") };

  async function setUp() {
    await clientsFor(emulator()).iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: "https://token.actions.githubusercontent.com",
        ClientIDList: ["sts.amazonaws.com"],
      }),
    );
    for (const [name, workflows] of [
      ["Planner", planWorkflows(github)],
      ["Deployer", deployWorkflows(github)],
    ] as const) {
      await createRole(
        emulator(),
        name,
        trustPolicy({ oidcProviderArn: providerArn, repositoryId: "1296269", workflows }),
      );
    }
  }

  /** Which of the two roles the token gets. */
  async function assumable(token: string): Promise<string[]> {
    const sts = new STSClient({ endpoint: emulator().url, region: "us-east-1", maxAttempts: 1 });
    const allowed: string[] = [];
    for (const [role, arn] of Object.entries(roles)) {
      const outcome = await sts
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: arn,
            RoleSessionName: "github-actions",
            WebIdentityToken: token,
          }),
        )
        .then(
          () => "allowed",
          (error: { name?: string }) => error.name,
        );
      if (outcome === "allowed") allowed.push(role);
      else expect(outcome).toBe("AccessDenied");
    }
    return allowed;
  }

  const jobToken = (
    workflowFile: string,
    context: GitHubJobContext,
    ref?: string,
    claims: Record<string, unknown> = {},
  ) => mintGitHubActionsToken({ repository, repositoryId: "1296269", context, workflowFile, ref, claims });

  it.each<[string, string, string[]]>([
    [
      "deploy.yml on main in the environment",
      jobToken("deploy.yml", { environment: "production" }),
      ["deploy"],
    ],
    [
      "plan.yml of a pull request",
      jobToken("plan.yml", { pullRequest: true }, "refs/pull/42/merge"),
      ["plan"],
    ],
    ["drift.yml on main", jobToken("drift.yml", { ref: "refs/heads/main" }), ["plan"]],
    [
      "a branch's copy of deploy.yml in the environment (another ref and job_workflow_ref)",
      jobToken("deploy.yml", { environment: "production" }, "refs/heads/feature"),
      [],
    ],
    [
      "deploy.yml's plan job on main, outside the environment: the plan role only",
      jobToken("deploy.yml", { ref: "refs/heads/main" }),
      ["plan"],
    ],
    [
      "deploy.yml's plan job of a branch (another ref and job_workflow_ref)",
      jobToken("deploy.yml", { ref: "refs/heads/feature" }),
      [],
    ],
    [
      "a pull request's job in the environment (deploy.yml renamed in the pull request)",
      jobToken("deploy.yml", { environment: "production" }, "refs/pull/42/merge"),
      [],
    ],
    ["plan.yml pushed on main (not a pull request)", jobToken("plan.yml", { ref: "refs/heads/main" }), []],
    ["a branch's copy of drift.yml", jobToken("drift.yml", { ref: "refs/heads/feature" }), []],
    [
      "another workflow of main in the environment",
      jobToken("release.yml", { environment: "production" }),
      [],
    ],
    [
      "a reusable workflow called by main's deploy.yml (job_workflow_ref names the callee)",
      jobToken("deploy.yml", { environment: "production" }, undefined, {
        job_workflow_ref: "someone/else/.github/workflows/deploy.yml@refs/heads/main",
      }),
      [],
    ],
    [
      "deploy.yml of a repository created again under the same name (another id)",
      jobToken("deploy.yml", { environment: "production" }, undefined, { repository_id: "99" }),
      [],
    ],
    [
      "a token without job_workflow_ref",
      jobToken("deploy.yml", { environment: "production" }, undefined, { job_workflow_ref: undefined }),
      [],
    ],
  ])("%s: may assume %j", async (_name, token, expected) => {
    await setUp();
    expect(await assumable(token)).toEqual(expected);
  });
});
