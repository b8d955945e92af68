/**
 * npm run access: prints the plan and deploy roles' policies and trust policies for the config in LM_CONFIG,
 * exactly as the access stack attaches them, keeps the permissions page (docs/permissions.md) in step, and checks
 * the GitHub repository's settings the trust relies on (github-check).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { actionLevels } from "../lib/access/access-levels";
import { accessPolicyProps } from "../lib/access/access-scope";
import { deployPolicy, planPolicy, type PolicyDocument } from "../lib/access/policies";
import {
  permissionsFile,
  policyActions,
  renderPermissions,
  replacePermissions,
  type RoleDocuments,
} from "../lib/access/render";
import {
  deployWorkflows,
  planWorkflows,
  trustConditionLines,
  trustPolicy,
  trustPolicyMaxSize,
  type TrustPolicyDocument,
} from "../lib/access/trust";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import type { EnvironmentConfig } from "../lib/config/model";
import { githubGet, missingRepositorySettings } from "../lib/github/repository-settings";
import { stackNames } from "../lib/names/stacks";
import { parseOptions, printJson, printLine, runCli, UsageError } from "./cli";

const toolName = "access";

/** The config the generated permissions page is written for. */
export const docsConfigFile = "config/production.example.yaml";

const usage = `Usage: npm run access -- <command> [options]

Commands:
  policy plan|deploy   Print the role's identity policy as JSON (stdout)
  trust plan|deploy    Print the role's trust policy as JSON (stdout) and who may assume it, one line per
                       statement with each condition (stderr)
  actions plan|deploy  Print the role's actions with their access level, one per line (stdout), and the count
                       of actions and of writes (stderr); the plan role has none
  environment          Print the config's access.github.environment (stdout): deploy.yml's first job reads it,
                       and its deploy job runs in that environment
  docs [--write]       Print the generated part of ${permissionsFile} for ${docsConfigFile},
                       or write it into ${permissionsFile} with --write
  github-check         Read the repository's settings through GitHub's REST API and print, one line each, what
                       the roles' trust needs and the repository lacks (docs/repository-settings.md): the
                       environment's deployment branches limited to the default branch, its required reviewers
                       and prevent_self_review, GitHub's default OIDC subject template; and whether
                       .github/workflows/deploy.yml runs in the config's environment on its default branch

The config comes from LM_CONFIG (default config/sandbox.yaml) and must have an access section (the access
stack's GitHub repository, environment and roles). Nothing is called in AWS.
github-check reads the token from GITHUB_TOKEN (read access to the repository's administration, actions
and environments) and calls GITHUB_API_URL (default https://api.github.com).

Options:
  --repo OWNER/NAME   github-check: this repository instead of the config's access.github.repository
  --write             docs: write the generated part of ${permissionsFile}
  -h, --help          Show this help

Exit codes: 0 printed (github-check: all set), 1 error (policy, trust, actions, docs: bad usage too;
github-check: something missing, or GitHub could not be read), 2 github-check's usage errors (no
GITHUB_TOKEN, a bad --repo, a config without access).`;

const options = {
  write: { type: "boolean", default: false },
  repo: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");

/** The two roles' documents for a config with an access section. */
export function roleDocuments(config: EnvironmentConfig): RoleDocuments[] {
  const { access, planRoleArn, deployRoleArn } = config;
  if (!access || !planRoleArn || !deployRoleArn) {
    throw new UsageError(`${config.sourceFile} has no access section: there are no roles to print`);
  }
  const props = accessPolicyProps(config, stackNames);
  const provider = props.accessResources.oidcProviderArn;
  return [
    {
      role: "plan",
      roleArn: planRoleArn,
      policy: planPolicy(props),
      trust: trustPolicy({
        oidcProviderArn: provider,
        repositoryId: access.github.repositoryId,
        workflows: planWorkflows(access.github),
        workstationPrincipals: access.workstationPrincipals.plan,
        organizationId: props.organizationId,
      }),
    },
    {
      role: "deploy",
      roleArn: deployRoleArn,
      policy: deployPolicy(props),
      trust: trustPolicy({
        oidcProviderArn: provider,
        repositoryId: access.github.repositoryId,
        workflows: deployWorkflows(access.github),
        workstationPrincipals: access.workstationPrincipals.deploy,
        organizationId: props.organizationId,
      }),
    },
  ];
}

function pick(documents: RoleDocuments[], role: string | undefined): RoleDocuments {
  const found = documents.find((document) => document.role === role);
  if (!found) throw new UsageError(`expected plan or deploy (got ${JSON.stringify(role ?? "nothing")})`);
  return found;
}

const repositoryPattern =
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/** The expression deploy.yml's deploy job names its environment by: the config job's output. */
export const configEnvironmentExpression = "${{ needs.config.outputs.environment }}";

/**
 * What deploy.yml itself says: its job's environment and the branches it runs on. The environment is either
 * written out (then it must be the config's) or taken from the `config` job, which prints the config's
 * (`npm run -s access -- environment`): GitHub must know it when the job starts, and a job's `environment` may
 * read the `needs` context.
 */
function deployWorkflowProblems(config: EnvironmentConfig): string[] {
  const file = ".github/workflows/deploy.yml";
  const workflow = parseYaml(readFileSync(path.join(projectRoot, file), "utf8")) as {
    on?: { push?: { branches?: string[] } };
    jobs?: Record<string, { environment?: unknown; steps?: { run?: unknown }[] }>;
  };
  const { environment, defaultBranch } = config.access!.github;
  const jobs = workflow.jobs ?? {};
  const readsConfig = (jobs.config?.steps ?? []).some(
    (step) => typeof step.run === "string" && step.run.includes("npm run -s access -- environment"),
  );
  const environments = Object.entries(jobs).filter(([, job]) => job.environment !== undefined);
  const problems = environments
    .filter(
      ([, job]) =>
        job.environment !== environment && !(job.environment === configEnvironmentExpression && readsConfig),
    )
    .map(
      ([name, job]) =>
        `${file}: jobs.${name}.environment is ${JSON.stringify(job.environment)}, ${config.sourceFile}'s access.github.environment ${JSON.stringify(environment)}; make them the same`,
    );
  if (environments.length === 0)
    problems.push(
      `${file}: no job runs in an environment; the deploy job must run in ${JSON.stringify(environment)}`,
    );
  const branches = workflow.on?.push?.branches ?? [];
  if (branches.length !== 1 || branches[0] !== defaultBranch) {
    problems.push(
      `${file}: on.push.branches is ${JSON.stringify(branches)}, expected [${JSON.stringify(defaultBranch)}] (${config.sourceFile}'s access.github.defaultBranch)`,
    );
  }
  return problems;
}

/** github-check: 0 all set, 1 something missing (each on a line of stderr), 2 usage errors. */
async function githubCheck(values: { repo?: string }, extra: string[]): Promise<number> {
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const token = process.env.GITHUB_TOKEN;
  if (!token)
    throw new UsageError("GITHUB_TOKEN is not set: github-check reads the repository's settings with it");
  if (values.repo !== undefined && !repositoryPattern.test(values.repo)) {
    throw new UsageError(
      `--repo: expected a GitHub repository as <owner>/<name> (got ${JSON.stringify(values.repo)})`,
    );
  }
  const config = loadConfig(configFileFromEnvironment());
  if (!config.access) {
    throw new UsageError(`${config.sourceFile} has no access section: no repository settings to check`);
  }
  const { github } = config.access;
  const repository = values.repo ?? github.repository;
  const apiUrl = process.env.GITHUB_API_URL || "https://api.github.com";
  printLine(`Checking ${repository} (${apiUrl}) for what the roles' trust needs…`);
  const missing = [
    ...deployWorkflowProblems(config),
    ...(await missingRepositorySettings(githubGet(apiUrl, token), { ...github, repository })),
  ];
  for (const line of missing) printLine(`missing: ${line}`);
  printLine(
    missing.length === 0
      ? `${repository}: every setting the trust needs is in place.`
      : `${repository}: ${missing.length} setting${missing.length === 1 ? "" : "s"} missing (docs/repository-settings.md).`,
  );
  return missing.length === 0 ? 0 : 1;
}

async function main(args: string[]): Promise<number> {
  // github-check's usage errors exit 2, apart from its findings (1).
  if (args[0] === "github-check") {
    try {
      const { values, positionals } = parseOptions(args, options);
      if (values.help) {
        printLine(usage);
        return 0;
      }
      return await githubCheck(values, positionals.slice(1));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      printLine(`${toolName}: error: ${error.message} (run ${toolName} --help for usage)`);
      return 2;
    }
  }
  const { values, positionals } = parseOptions(args, options);
  if (values.help) {
    printLine(usage);
    return 0;
  }
  if (values.repo !== undefined) throw new UsageError("--repo is github-check's option");
  const [command, role, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
  if (command === "environment") {
    if (role !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(role)}`);
    const config = loadConfig(configFileFromEnvironment());
    if (!config.access) {
      throw new UsageError(`${config.sourceFile} has no access section: no environment to deploy in`);
    }
    process.stdout.write(`${config.access.github.environment}\n`);
    return 0;
  }
  if (command === "docs") {
    if (role !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(role)}`);
    const section = renderPermissions(
      roleDocuments(loadConfig(path.join(projectRoot, docsConfigFile))),
      docsConfigFile,
    );
    if (!values.write) {
      process.stdout.write(`${section}\n`);
      return 0;
    }
    const pageFile = path.join(projectRoot, permissionsFile);
    writeFileSync(pageFile, replacePermissions(readFileSync(pageFile, "utf8"), section));
    printLine(`${permissionsFile}: generated section written.`);
    return 0;
  }
  const documents = roleDocuments(loadConfig(configFileFromEnvironment()));
  const print: Record<
    string,
    (document: RoleDocuments) => Promise<PolicyDocument | TrustPolicyDocument | undefined>
  > = {
    policy: async (document) => document.policy,
    trust: async (document) => {
      const size = JSON.stringify(document.trust).replace(/\s/g, "").length;
      printLine(
        `${document.role} role (${document.roleArn}) may be assumed by (trust policy: ${size} of IAM's ${trustPolicyMaxSize} characters):`,
      );
      for (const line of trustConditionLines(document.trust)) printLine(`  ${line}`);
      return document.trust;
    },
    actions: async (document) => {
      const levels = await actionLevels(policyActions(document.policy));
      process.stdout.write(levels.map((level) => `${level.action}\t${level.accessLevel}`).join("\n") + "\n");
      const writes = levels.filter((level) => level.write);
      const storingNothing = levels.filter((level) => level.storesNothing !== undefined);
      printLine(`${document.role} role: ${levels.length} actions, ${writes.length} write actions`);
      for (const level of storingNothing) {
        printLine(
          `  not counted: ${level.action}, classed ${level.accessLevel} by AWS: ${level.storesNothing}`,
        );
      }
      return undefined;
    },
  };
  const printer = command === undefined ? undefined : print[command];
  if (!printer)
    throw new UsageError(
      `expected a command: policy, trust, actions, docs or github-check (got ${JSON.stringify(command ?? "nothing")})`,
    );
  const output = await printer(pick(documents, role));
  if (output) printJson(output);
  return 0;
}

if (require.main === module) runCli(toolName, main);
