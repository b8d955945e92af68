import { readFileSync } from "node:fs";
import { actionLevels, writesThatStoreNothing } from "../../lib/access/access-levels";
import { accessPolicyProps } from "../../lib/access/access-scope";
import { deployPolicy, planPolicy } from "../../lib/access/policies";
import {
  currentPermissions,
  permissionsFile,
  policyActions,
  renderPermissions,
  wildcardActions,
} from "../../lib/access/render";
import { parseAccessRole, stackRoleArn, synthesisDirectory } from "../../lib/access/stack-roles";
import { loadConfig } from "../../lib/config/load";
import { stackNames } from "../../lib/names/stacks";
import { docsConfigFile, roleDocuments } from "../../tools/access";
import { configWith, problemsOf, sandboxConfigFile } from "../helpers/config";
import { onlyResource, synthesizeStacks } from "../helpers/synth";

const file = "config/test.yaml";
const planRole = "arn:aws:iam::111111111111:role/LicenseManagerPlanner";
const deployRole = "arn:aws:iam::111111111111:role/LicenseManagerDeployer";

describe("access config", () => {
  it("reports every malformed access value at once, with its path and what is expected", () => {
    const problems = problemsOf((d) => {
      d.access.github.repository = "not a repo";
      d.access.github.environment = "prod:*";
      d.access.github.defaultBranch = "/main";
      d.access.oidcProviderArn = "arn:aws:iam::111111111111:oidc-provider/accounts.google.com";
      d.access.workstationPrincipals.plan = ["bob"];
      d.access.memberReadRoleName = "no spaces allowed";
    });
    expect(problems).toEqual([
      `${file}: access.github.repository: expected a GitHub repository as <owner>/<name>, e.g. example-org/license-manager-org (got "not a repo")`,
      `${file}: access.github.environment: expected a GitHub environment name: 1–255 letters, digits, spaces, '_', '.' or '-' (got "prod:*")`,
      `${file}: access.github.defaultBranch: expected a branch name such as main (letters, digits, '.', '_', '-', '/') (got "/main")`,
      `${file}: access.oidcProviderArn: expected the ARN of GitHub's OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com (got "arn:aws:iam::111111111111:oidc-provider/accounts.google.com")`,
      `${file}: access.workstationPrincipals.plan[0]: expected an IAM user, role or account-root ARN such as arn:aws:iam::111111111111:role/Administrator (got "bob")`,
      `${file}: access.memberReadRoleName: expected an IAM role name: 1–64 letters, digits or +=,.@_- (got "no spaces allowed")`,
    ]);
  });

  it("refuses GitHub names GitHub itself refuses", () => {
    const problems = problemsOf((d) => {
      d.access.github.repository = "-leading-hyphen/repo";
      d.access.github.environment = "x".repeat(256);
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("access.github.repository: expected a GitHub repository");
    expect(problems[1]).toContain("access.github.environment: expected a GitHub environment name");
    expect(problemsOf((d) => (d.access.github.repository = "owner/.."))[0]).toContain(
      "access.github.repository",
    );
    expect(problemsOf((d) => (d.access.github.repository = "own--er/repo"))[0]).toContain(
      "access.github.repository",
    );
  });

  it("requires both roles, in the management account, and the provider there too", () => {
    const problems = problemsOf((d) => {
      delete d.planRoleArn;
      d.deployRoleArn = "arn:aws:iam::222222222222:role/Deployer";
      d.access.oidcProviderArn =
        "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com";
    });
    expect(problems).toEqual([
      `${file}: deployRoleArn: expected a role in the management account 111111111111 (got "arn:aws:iam::222222222222:role/Deployer")`,
      `${file}: access.oidcProviderArn: expected the provider in the management account 111111111111 (got "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com")`,
      `${file}: planRoleArn: required with access: the access stack creates this role (e.g. arn:aws:iam::<account>:role/<name>) (got nothing)`,
    ]);
    expect(problemsOf((d) => (d.planRoleArn = d.deployRoleArn))).toEqual([
      `${file}: planRoleArn: expected a role other than deployRoleArn (got "${deployRole}")`,
    ]);
  });

  it("refuses every workstation principal outside the management account and the listed member accounts", () => {
    const problems = problemsOf((d) => {
      d.access.workstationPrincipals.plan = [
        "arn:aws:iam::111111111111:role/Administrator",
        "arn:aws:iam::999999999999:role/Contractor",
        "arn:aws:sts::222222222222:assumed-role/Admin/alice",
        "bob",
      ];
      d.access.workstationPrincipals.deploy = ["arn:aws:iam::333333333334:root"];
    });
    const members = "222222222222, 333333333333, 444444444444";
    // A malformed principal and principals outside the organization, all in one run.
    expect(problems).toEqual([
      `${file}: access.workstationPrincipals.plan[3]: expected an IAM user, role or account-root ARN such as arn:aws:iam::111111111111:role/Administrator (got "bob")`,
      `${file}: access.workstationPrincipals.plan[1]: is in account 999999999999, outside the organization as the config knows it; expected a principal of the management account 111111111111 or of a member account listed in organization.memberAccounts (${members}) (got "arn:aws:iam::999999999999:role/Contractor")`,
      `${file}: access.workstationPrincipals.deploy[0]: is in account 333333333334, outside the organization as the config knows it; expected a principal of the management account 111111111111 or of a member account listed in organization.memberAccounts (${members}); did you mean "333333333333"? (got "arn:aws:iam::333333333334:root")`,
    ]);
  });

  it("names unknown keys in the access section", () => {
    expect(problemsOf((d) => (d.access.github.branch = "main"))).toEqual([
      `${file}: access.github.branch: unknown key; expected one of repository, environment, defaultBranch, repositoryId (got "main")`,
    ]);
  });
});

describe("the role each stack assumes", () => {
  const config = loadConfig(sandboxConfigFile);

  it("deploy: the deploy role for the organization and License Manager, the administrator's own credentials for bootstrap and access", () => {
    expect(Object.values(stackNames).map((stack) => [stack, stackRoleArn(config, stack, "deploy")])).toEqual([
      ["bootstrap", undefined],
      ["access", undefined],
      ["organization", deployRole],
      ["license-manager", deployRole],
    ]);
  });

  it("plan: the plan role everywhere; none: no role anywhere", () => {
    for (const stack of Object.values(stackNames)) {
      expect(stackRoleArn(config, stack, "plan")).toBe(planRole);
      expect(stackRoleArn(config, stack, "none")).toBeUndefined();
    }
  });

  it("without an access section, every stack assumes deployRoleArn as before", () => {
    const withoutAccess = configWith((d) => {
      delete d.access;
      delete d.planRoleArn;
    });
    for (const stack of Object.values(stackNames))
      expect(stackRoleArn(withoutAccess, stack, "deploy")).toBe(deployRole);
    expect(() => stackRoleArn(withoutAccess, "organization", "plan")).toThrow(
      "LM_ROLE=plan needs planRoleArn in config/test.yaml",
    );
  });

  it("LM_ROLE accepts deploy, plan and none, and names anything else", () => {
    expect(parseAccessRole(undefined)).toBe("deploy");
    expect(parseAccessRole("plan")).toBe("plan");
    expect(() => parseAccessRole("admin")).toThrow(
      'LM_ROLE: expected one of deploy, plan, none (got "admin")',
    );
    expect(synthesisDirectory("plan")).toBe("cdktf.plan.out");
    expect(synthesisDirectory("deploy")).toBe("cdktf.out");
  });

  it("is what the synthesized providers and backends assume", () => {
    const stacks = synthesizeStacks(config);
    const assumed = (stack: Record<string, any>) => [
      stack.provider.aws[0].assume_role?.[0]?.role_arn,
      stack.terraform.backend.s3?.assume_role?.role_arn,
    ];
    expect(assumed(stacks.access)).toEqual([undefined, undefined]);
    expect(assumed(stacks.organization)).toEqual([deployRole, deployRole]);
    expect(assumed(stacks["license-manager"])).toEqual([deployRole, deployRole]);
  });
});

describe("the access stack", () => {
  const stack = synthesizeStacks(loadConfig(sandboxConfigFile)).access;
  // cdktf writes resources sorted by id: plan first here.
  const byName = (a: Record<string, any>, b: Record<string, any>) => (a.name < b.name ? 1 : -1);
  const roles = (Object.values(stack.resource.aws_iam_role) as Record<string, any>[]).sort(byName);
  const policies = (Object.values(stack.resource.aws_iam_role_policy) as Record<string, any>[]).sort(byName);

  it("creates GitHub's OIDC provider for sts.amazonaws.com", () => {
    expect(onlyResource(stack, "aws_iam_openid_connect_provider")).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("names the roles after the config's ARNs, each with one inline policy", () => {
    expect(roles.map((role) => [role.name, role.path])).toEqual([
      ["LicenseManagerPlanner", "/"],
      ["LicenseManagerDeployer", "/"],
    ]);
    expect(policies.map((policy) => policy.name)).toEqual([
      "license-manager-org-plan",
      "license-manager-org-deploy",
    ]);
  });

  it("lets plan.yml of pull requests, deploy.yml's plan job and drift.yml of main assume the plan role, and only main's deploy.yml in the environment the deploy role", () => {
    const [plan, deploy] = roles.map((role) => JSON.parse(role.assume_role_policy));
    const repo = "example-org/license-manager-org";
    const key = (claim: string) => `token.actions.githubusercontent.com:${claim}`;
    expect(plan.Statement.slice(0, 2).map((statement: any) => [statement.Sid, statement.Condition])).toEqual([
      [
        "PullRequestPlans",
        {
          StringEquals: {
            [key("aud")]: "sts.amazonaws.com",
            [key("sub")]: `repo:${repo}:pull_request`,
            [key("repository_id")]: "1296269",
          },
          StringLike: {
            [key("ref")]: "refs/pull/*/merge",
            [key("job_workflow_ref")]: `${repo}/.github/workflows/plan.yml@refs/pull/*/merge`,
          },
        },
      ],
      [
        "DefaultBranchPlans",
        {
          StringEquals: {
            [key("aud")]: "sts.amazonaws.com",
            [key("sub")]: `repo:${repo}:ref:refs/heads/main`,
            [key("repository_id")]: "1296269",
            [key("ref")]: "refs/heads/main",
            [key("job_workflow_ref")]: [
              `${repo}/.github/workflows/deploy.yml@refs/heads/main`,
              `${repo}/.github/workflows/drift.yml@refs/heads/main`,
            ],
          },
        },
      ],
    ]);
    expect(deploy.Statement[0]).toMatchObject({
      Sid: "DefaultBranchDeploys",
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [key("aud")]: "sts.amazonaws.com",
          [key("sub")]: `repo:${repo}:environment:production`,
          [key("repository_id")]: "1296269",
          [key("ref")]: "refs/heads/main",
          [key("job_workflow_ref")]: `${repo}/.github/workflows/deploy.yml@refs/heads/main`,
          [key("environment")]: "production",
        },
      },
    });
    expect(deploy.Statement[0].Condition.StringLike).toBeUndefined();
    for (const document of [plan, deploy]) {
      const github = document.Statement.filter((statement: any) => statement.Principal.Federated);
      for (const statement of github) {
        expect(statement.Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\./);
      }
      expect(document.Statement.at(-1)).toEqual({
        Sid: "Workstations",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::111111111111:user/sandbox-admin"] },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-sandbox00001" } },
      });
    }
  });

  it("matches the repository by name only when the config does not pin its id", () => {
    const unpinned = synthesizeStacks(configWith((d) => delete d.access.github.repositoryId)).access;
    for (const role of Object.values(unpinned.resource.aws_iam_role) as Record<string, any>[]) {
      const [statement] = JSON.parse(role.assume_role_policy).Statement;
      expect(statement.Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toMatch(
        /^repo:example-org\/license-manager-org:/,
      );
      expect(
        statement.Condition.StringEquals["token.actions.githubusercontent.com:repository_id"],
      ).toBeUndefined();
    }
    expect(problemsOf((d) => (d.access.github.repositoryId = 1296269))).toEqual([
      `${file}: access.github.repositoryId: expected GitHub's numeric id of the repository (gh api repos/<owner>/<name> --jq .id) as a quoted string, e.g. "1296269" (got 1296269)`,
    ]);
    expect(problemsOf((d) => (d.access.github.repositoryId = "12*"))).toEqual([
      `${file}: access.github.repositoryId: expected GitHub's numeric id of the repository (gh api repos/<owner>/<name> --jq .id) (got "12*")`,
    ]);
  });

  it("refuses a trust policy IAM would refuse for its size, naming the role and the quota", () => {
    const many = Array.from({ length: 30 }, (_, i) => `arn:aws:iam::111111111111:role/Administrator${i}`);
    expect(() => synthesizeStacks(configWith((d) => (d.access.workstationPrincipals.plan = many)))).toThrow(
      /the plan role's trust policy would be \d+ characters, over IAM's default quota of 2048 \(IAM and AWS STS quotas\): fewer access.workstationPrincipals, or a shorter repository or branch name/,
    );
  });

  it("takes the environment and the default branch from the config", () => {
    const other = synthesizeStacks(
      configWith((d) => {
        d.access.github.environment = "org-admin";
        d.access.github.defaultBranch = "trunk";
      }),
    ).access;
    const deploy = (Object.values(other.resource.aws_iam_role) as Record<string, any>[])
      .map((role) => JSON.parse(role.assume_role_policy))
      .find((document) => document.Statement[0].Sid === "DefaultBranchDeploys");
    expect(deploy.Statement[0].Condition.StringEquals).toMatchObject({
      "token.actions.githubusercontent.com:sub": "repo:example-org/license-manager-org:environment:org-admin",
      "token.actions.githubusercontent.com:environment": "org-admin",
      "token.actions.githubusercontent.com:ref": "refs/heads/trunk",
      "token.actions.githubusercontent.com:job_workflow_ref":
        "example-org/license-manager-org/.github/workflows/deploy.yml@refs/heads/trunk",
    });
  });

  it("leaves out aws:PrincipalOrgID while the organization is still to create: no id to name yet", () => {
    const created = synthesizeStacks(
      configWith((d) => {
        d.organization = {
          source: "create",
          serviceAccessPrincipals: [],
          memberAccounts: d.organization.memberAccounts,
        };
      }),
    ).access;
    for (const role of Object.values(created.resource.aws_iam_role) as Record<string, any>[]) {
      const workstations = JSON.parse(role.assume_role_policy).Statement.at(-1);
      expect(workstations.Sid).toBe("Workstations");
      expect(workstations.Condition).toBeUndefined();
    }
  });

  it("lets the plan role into the member read role of every account of the organization, not a list", () => {
    const { access } = synthesizeStacks(configWith(() => {}));
    const planPolicyOf = (stack: any) =>
      JSON.parse(
        (Object.values(stack.resource.aws_iam_role_policy) as Record<string, any>[]).find((policy) =>
          String(policy.name).endsWith("-plan"),
        )!.policy,
      );
    expect(planPolicyOf(access).Statement.find((s: any) => s.Sid === "MemberRoleReport")).toEqual({
      Sid: "MemberRoleReport",
      Effect: "Allow",
      Action: ["sts:AssumeRole"],
      Resource: ["arn:aws:iam::*:role/LicenseManagerRoleReader"],
      Condition: { StringEquals: { "aws:ResourceOrgID": "o-sandbox00001" } },
    });
    // An organization still to create has no id yet: the plan role's own organization, as a policy variable,
    // escaped so that Terraform writes it as IAM reads it.
    const created = configWith((d) => {
      d.organization = {
        source: "create",
        serviceAccessPrincipals: [],
        memberAccounts: d.organization.memberAccounts,
      };
    });
    const printed = roleDocuments(created).find((role) => role.role === "plan")!.policy;
    expect(printed.Statement.find((s) => s.Sid === "MemberRoleReport")!.Condition).toEqual({
      StringEquals: { "aws:ResourceOrgID": "${aws:PrincipalOrgID}" },
    });
    const synthesized = (
      Object.values(synthesizeStacks(created).access.resource.aws_iam_role_policy) as Record<string, any>[]
    ).find((policy) => String(policy.name).endsWith("-plan"))!.policy as string;
    expect(synthesized).toContain('"aws:ResourceOrgID":"$${aws:PrincipalOrgID}"');
    expect(synthesized.replaceAll("$${", "${")).toBe(JSON.stringify(printed));
  });

  it("uses an existing OIDC provider given by ARN instead of creating one", () => {
    const existing = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    const withExisting = synthesizeStacks(configWith((d) => (d.access.oidcProviderArn = existing))).access;
    expect(withExisting.resource.aws_iam_openid_connect_provider).toBeUndefined();
    for (const role of Object.values(withExisting.resource.aws_iam_role) as Record<string, any>[]) {
      expect(JSON.parse(role.assume_role_policy).Statement[0].Principal.Federated).toBe(existing);
    }
  });
});

describe("the policies", () => {
  const config = loadConfig(sandboxConfigFile);
  const props = accessPolicyProps(config, stackNames);
  const plan = planPolicy(props);
  const deploy = deployPolicy(props);
  const writes =
    /^(s3:(Put|Delete|Create)|dynamodb:(Put|Delete|Update)|organizations:(Enable|Disable|Register|Deregister|Create|Delete)|iam:(Create|Delete|Put|Tag|Untag|Update|Attach|Detach)|license-manager:(Create|Update|Delete|Tag|Untag)|sns:(Create|Delete|Set|Tag|Untag))/;

  it("list every action by name: no wildcards", () => {
    expect(wildcardActions(plan)).toEqual([]);
    expect(wildcardActions(deploy)).toEqual([]);
  });

  it("give the plan role no write, the state lock's included", () => {
    expect(
      plan.Statement.filter((statement) => statement.Action.some((action) => writes.test(action))),
    ).toEqual([]);
    expect(plan.Statement.find((statement) => statement.Sid === "StateDigestRead")).toEqual({
      Sid: "StateDigestRead",
      Effect: "Allow",
      Action: ["dynamodb:GetItem"],
      Resource: ["arn:aws:dynamodb:us-east-1:111111111111:table/sandbox-license-manager-tflock"],
      Condition: {
        "ForAllValues:StringEquals": {
          "dynamodb:LeadingKeys": [
            "sandbox-license-manager-tfstate/license-manager-org/access.tfstate-md5",
            "sandbox-license-manager-tfstate/license-manager-org/organization.tfstate-md5",
            "sandbox-license-manager-tfstate/license-manager-org/license-manager.tfstate-md5",
          ],
        },
      },
    });
  });

  it.each([
    ["the sandbox (DynamoDB locking, member read roles)", sandboxConfigFile],
    ["the example (lock file, KMS key)", docsConfigFile],
  ])(
    "give the plan role no action the Service Authorization Reference classes above Read or List: %s",
    async (_name, configFile) => {
      const levels = await actionLevels(
        policyActions(planPolicy(accessPolicyProps(loadConfig(configFile), stackNames))),
      );
      expect(levels.filter((level) => level.write)).toEqual([]);
      // What is classed Write but stores nothing is named, and only where the reference classes it so.
      for (const level of levels.filter((candidate) => candidate.storesNothing !== undefined)) {
        expect(Object.keys(writesThatStoreNothing)).toContain(level.action);
        expect(level.accessLevel).toContain("Write");
      }
    },
  );

  it("classify writes by the reference's access levels (the deploy role's are found)", async () => {
    const levels = await actionLevels(policyActions(deploy));
    expect(levels.filter((level) => level.write).map((level) => level.action)).toEqual(
      expect.arrayContaining([
        "s3:PutObject",
        "organizations:EnableAWSServiceAccess",
        "iam:CreateServiceLinkedRole",
        "license-manager:UpdateLicenseConfiguration",
      ]),
    );
    for (const action of Object.keys(writesThatStoreNothing)) {
      expect((await actionLevels([action]))[0]).toMatchObject({
        write: false,
        accessLevel: expect.stringContaining("Write"),
      });
    }
    await expect(actionLevels(["s3:NoSuchAction"])).rejects.toThrow(
      "s3:NoSuchAction: not an action of the Service Authorization Reference",
    );
  });

  it("let the deploy role enable trusted access only for the config's principals, and disable none unless allowed", () => {
    const enable = deploy.Statement.find((statement) =>
      statement.Action.includes("organizations:EnableAWSServiceAccess"),
    );
    expect(enable?.Condition).toEqual({
      StringEquals: {
        "organizations:ServicePrincipal": [
          "cloudtrail.amazonaws.com",
          "sso.amazonaws.com",
          "license-manager.amazonaws.com",
          "license-manager.member-account.amazonaws.com",
          "license-management.marketplace.amazonaws.com",
        ],
      },
    });
    expect(policyActions(deploy)).not.toContain("organizations:DisableAWSServiceAccess");
    const allowing = deployPolicy(
      accessPolicyProps(
        configWith((d) => (d.organization.principalsAllowedToBeRemoved = ["ram.amazonaws.com"])),
        stackNames,
      ),
    );
    expect(
      allowing.Statement.find((statement) =>
        statement.Action.includes("organizations:DisableAWSServiceAccess"),
      )?.Condition,
    ).toEqual({ StringEquals: { "organizations:ServicePrincipal": ["ram.amazonaws.com"] } });
  });

  it("let the deploy role create only License Manager's service-linked role", () => {
    const create = deploy.Statement.find((statement) =>
      statement.Action.includes("iam:CreateServiceLinkedRole"),
    );
    expect(create).toMatchObject({
      Resource: [
        "arn:aws:iam::111111111111:role/aws-service-role/license-manager.amazonaws.com/AWSServiceRoleForAWSLicenseManagerRole",
      ],
      Condition: { StringEquals: { "iam:AWSServiceName": ["license-manager.amazonaws.com"] } },
    });
  });

  it("let the deploy role write report generators of its regions only, and the plan role only list them", () => {
    const generators = [
      "arn:aws:license-manager:us-east-1:111111111111:report-generator:*",
      "arn:aws:license-manager:eu-west-1:111111111111:report-generator:*",
    ];
    expect(deploy.Statement.find((statement) => statement.Sid === "ReportGeneratorWrite")).toMatchObject({
      Action: [
        "license-manager:DeleteLicenseManagerReportGenerator",
        "license-manager:UpdateLicenseManagerReportGenerator",
      ],
      Resource: generators,
    });
    // The tools read generators with ListLicenseManagerReportGenerators only: no Get is granted.
    const planActions = plan.Statement.flatMap((statement) => statement.Action);
    expect(planActions.filter((action) => action.includes("ReportGenerator"))).toEqual([
      "license-manager:ListLicenseManagerReportGenerators",
    ]);
  });

  it("scope state access to the stacks' own keys", () => {
    const state = deploy.Statement.find((statement) => statement.Sid === "StateReadWrite");
    expect(state?.Resource).toEqual([
      "arn:aws:s3:::sandbox-license-manager-tfstate/license-manager-org/organization.tfstate",
      "arn:aws:s3:::sandbox-license-manager-tfstate/license-manager-org/license-manager.tfstate",
    ]);
  });
});

describe("the state's KMS key", () => {
  const example = accessPolicyProps(loadConfig(docsConfigFile), stackNames);
  const bucket = "arn:aws:s3:::acme-license-manager-org-tfstate";
  const key = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
  const kmsStatements = (document: ReturnType<typeof planPolicy>) =>
    document.Statement.filter((statement) => statement.Action.some((action) => action.startsWith("kms:")));

  it.each([
    ["the example (lock file)", docsConfigFile],
    ["the sandbox (DynamoDB locking)", sandboxConfigFile],
  ])(
    "is used by both roles only through S3 in the backend's region, for the state bucket's objects, never by wildcard: %s",
    (_name, configFile) => {
      const config = loadConfig(configFile);
      const props = accessPolicyProps(config, stackNames);
      for (const document of [planPolicy(props), deployPolicy(props)]) {
        const statements = kmsStatements(document);
        expect(statements).toHaveLength(1);
        const [statement] = statements;
        expect(statement.Resource).toEqual([config.backend.kmsKeyArn]);
        const conditions = statement.Condition?.StringEquals ?? {};
        expect(conditions["kms:ViaService"]).toEqual([`s3.${config.backend.region}.amazonaws.com`]);
        const contexts = [conditions["kms:EncryptionContext:aws:s3:arn"]].flat();
        // The bucket's ARN (S3 Bucket Key) first, then the state objects, each named.
        expect(contexts[0]).toBe(`arn:aws:s3:::${config.backend.bucket}`);
        expect(contexts.length).toBeGreaterThan(1);
        for (const context of contexts.slice(1))
          expect(context).toMatch(
            new RegExp(`^arn:aws:s3:::${config.backend.bucket}/[^*?]+\\.(tfstate|tflock)$`),
          );
      }
    },
  );

  it("lets the plan role decrypt the state it reads and the deploy role also encrypt the state and lock files it writes", () => {
    expect(kmsStatements(planPolicy(example))).toEqual([
      {
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [key],
        Condition: {
          StringEquals: {
            "kms:ViaService": ["s3.us-east-1.amazonaws.com"],
            "kms:EncryptionContext:aws:s3:arn": [
              bucket,
              `${bucket}/license-manager-org/access.tfstate`,
              `${bucket}/license-manager-org/organization.tfstate`,
              `${bucket}/license-manager-org/license-manager.tfstate`,
            ],
          },
        },
      },
    ]);
    expect(kmsStatements(deployPolicy(example))).toEqual([
      {
        Sid: "StateKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [key],
        Condition: {
          StringEquals: {
            "kms:ViaService": ["s3.us-east-1.amazonaws.com"],
            "kms:EncryptionContext:aws:s3:arn": [
              bucket,
              `${bucket}/license-manager-org/organization.tfstate`,
              `${bucket}/license-manager-org/organization.tfstate.tflock`,
              `${bucket}/license-manager-org/license-manager.tfstate`,
              `${bucket}/license-manager-org/license-manager.tfstate.tflock`,
            ],
          },
        },
      },
    ]);
  });

  it("is absent without a key (SSE-S3)", () => {
    const config = configWith((document) => delete document.backend.kmsKeyArn);
    const props = accessPolicyProps(config, stackNames);
    expect(kmsStatements(planPolicy(props))).toEqual([]);
    expect(kmsStatements(deployPolicy(props))).toEqual([]);
  });
});

describe("npm run access and the permissions page", () => {
  it("prints the same documents the access stack attaches", () => {
    const config = loadConfig(sandboxConfigFile);
    const stack = synthesizeStacks(config).access;
    const attached = (Object.values(stack.resource.aws_iam_role_policy) as Record<string, any>[])
      .sort((a, b) => (a.name < b.name ? 1 : -1))
      .map((policy) => JSON.parse(policy.policy));
    expect(roleDocuments(config).map((document) => document.policy)).toEqual(attached);
  });

  it("keeps docs/permissions.md's generated section current (npm run access -- docs --write)", () => {
    const expected = renderPermissions(roleDocuments(loadConfig(docsConfigFile)), docsConfigFile);
    expect(currentPermissions(readFileSync(permissionsFile, "utf8"))).toBe(expected);
  });
});
