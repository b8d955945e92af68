/**
 * npm run access: prints the plan and deploy roles' policies and trust policies for the config in LM_CONFIG,
 * exactly as the access stack attaches them, and keeps the permissions page (docs/permissions.md) in step.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { accessPolicyProps } from "../lib/access/access-scope";
import {
  deployPolicy,
  deploySubjects,
  planPolicy,
  planSubjects,
  trustPolicy,
  type PolicyDocument,
  type TrustPolicyDocument,
} from "../lib/access/policies";
import {
  permissionsFile,
  policyActions,
  renderPermissions,
  replacePermissions,
  type RoleDocuments,
} from "../lib/access/render";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import type { EnvironmentConfig } from "../lib/config/model";
import { stackNames } from "../lib/names/stacks";
import { parseOptions, printJson, printLine, runCli, UsageError } from "./cli";

const toolName = "access";

/** The config the generated permissions page is written for. */
export const docsConfigFile = "config/production.example.yaml";

const usage = `Usage: npm run access -- <command> [options]

Commands:
  policy plan|deploy   Print the role's identity policy as JSON (stdout)
  trust plan|deploy    Print the role's trust policy as JSON (stdout)
  actions plan|deploy  Print the role's actions, one per line (stdout), and their count (stderr)
  docs [--write]       Print the generated part of ${permissionsFile} for ${docsConfigFile},
                       or write it into ${permissionsFile} with --write

The config comes from LM_CONFIG (default config/sandbox.yaml) and must have an access section (the access
stack's GitHub repository, environment and roles). Nothing is called in AWS.

Options:
  -h, --help   Show this help

Exit codes: 0 printed, 1 error (bad usage, or a config without access).`;

const options = {
  write: { type: "boolean", default: false },
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
  const provider =
    access.oidcProviderArn ??
    `arn:aws:iam::${config.managementAccountId}:oidc-provider/token.actions.githubusercontent.com`;
  return [
    {
      role: "plan",
      roleArn: planRoleArn,
      policy: planPolicy(props),
      trust: trustPolicy({
        oidcProviderArn: provider,
        subjects: planSubjects(access.github.repository, access.github.defaultBranch),
        workstationPrincipals: access.workstationPrincipals.plan,
      }),
    },
    {
      role: "deploy",
      roleArn: deployRoleArn,
      policy: deployPolicy(props),
      trust: trustPolicy({
        oidcProviderArn: provider,
        subjects: deploySubjects(access.github.repository, access.github.environment),
        workstationPrincipals: access.workstationPrincipals.deploy,
      }),
    },
  ];
}

function pick(documents: RoleDocuments[], role: string | undefined): RoleDocuments {
  const found = documents.find((document) => document.role === role);
  if (!found) throw new UsageError(`expected plan or deploy (got ${JSON.stringify(role ?? "nothing")})`);
  return found;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, options);
  if (values.help) {
    printLine(usage);
    return 0;
  }
  const [command, role, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
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
  const print: Record<string, (document: RoleDocuments) => PolicyDocument | TrustPolicyDocument | undefined> =
    {
      policy: (document) => document.policy,
      trust: (document) => document.trust,
      actions: (document) => {
        const actions = policyActions(document.policy);
        process.stdout.write(`${actions.join("\n")}\n`);
        printLine(`${document.role} role: ${actions.length} actions`);
        return undefined;
      },
    };
  const printer = command === undefined ? undefined : print[command];
  if (!printer)
    throw new UsageError(
      `expected a command: policy, trust, actions or docs (got ${JSON.stringify(command ?? "nothing")})`,
    );
  const output = printer(pick(documents, role));
  if (output) printJson(output);
  return 0;
}

if (require.main === module) runCli(toolName, main);
