import { LicenseManagerClient } from "@aws-sdk/client-license-manager";
import { parseAccessRole, stackRoleArn } from "../lib/access/stack-roles";
import { examples, iamRoleArnPattern } from "../lib/aws/arn";
import { clientConfig } from "../lib/aws/client-config";
import { callerSession } from "../lib/aws/credentials";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import {
  parseDesiredDiscoveryAndReports,
  type DesiredDiscoveryAndReports,
} from "../lib/license-manager/discovery";
import {
  applyDiscoveryAndReports,
  describeDiscoveryDifference,
  planDiscoveryAndReports,
  readLiveDiscoveryAndReports,
} from "../lib/license-manager/discovery-apply";
import { deployedDiscoveryAndReports } from "../lib/license-manager/discovery-state";
import type { StateJson } from "../lib/terraform/plan-json";
import { Terraform } from "../lib/terraform/terraform";
import { parseOptions, printJson, printLine, runCli, UsageError, readDesiredOption } from "./cli";

const toolName = "license-manager-discovery";
const defaultStackDirectory = "cdktf.out/stacks/license-manager";

const usage = `Usage: tsx tools/license-manager-discovery.ts <apply|diff|reconcile> [options]

Applies a region's automated discovery rules (each license configuration's ProductInformationList and
DisassociateWhenNotFound) and its report generators: neither has a Terraform resource. The license-manager
stack runs "apply" from a terraform_data resource per region whenever the desired rules or reports change.
Report generators are managed when they carry the desired "managedTags" (the stack's project tags): apply
creates the missing ones, updates the changed ones (a change of tags deletes and creates one again) and
deletes the managed ones no longer desired; others are left alone.

Commands:
  apply      Make the live rules and generators the desired ones; calls only what differs
  diff       Report every difference between desired and live (exit 2 when there is one)
  reconcile  Re-apply, in every region, what the license-manager stack's state records

Options:
  --desired JSON        The desired rules and reports of one region (apply, diff), as the stack writes them:
                        {"kind": "license-manager-discovery-and-reports", "region": "${examples.region}",
                         "managedTags": {...}, "discovery": [...], "reports": [...]}
  --desired-file FILE   The same JSON, read from FILE
  --stack-dir DIR       reconcile: the deployed stack's directory (default ${defaultStackDirectory})
  --role-arn ARN        Assume this role first (the role the Terraform provider uses; reconcile defaults to
                        the license-manager stack's: deployRoleArn of the config in LM_CONFIG)
  --json                Print the result as JSON on stdout
  -h, --help            Show this help

Credentials come from the AWS SDK default chain; AWS_ENDPOINT_URL_LICENSE_MANAGER overrides the endpoint.
Exit codes: 0 done / in sync, 1 error, 2 differences found (diff only).`;

const commands = ["apply", "diff", "reconcile"] as const;
type Command = (typeof commands)[number];
const isCommand = (value: string | undefined): value is Command => commands.includes(value as Command);

const options = {
  desired: { type: "string" },
  "desired-file": { type: "string" },
  "role-arn": { type: "string" },
  "stack-dir": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

function clientFor(region: string, roleArn: string | undefined): LicenseManagerClient {
  const session = callerSession(region, roleArn, "license-manager-discovery");
  return new LicenseManagerClient(clientConfig(region, session.credentials));
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, options);
  const [command, ...extra] = positionals;
  if (values.help) {
    printLine(usage);
    return 0;
  }
  if (!isCommand(command)) {
    throw new UsageError(
      command === undefined
        ? `missing command; expected one of ${commands.join(", ")}`
        : `unknown command ${JSON.stringify(command)}; expected one of ${commands.join(", ")}`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const roleArn = values["role-arn"];
  if (roleArn !== undefined && !iamRoleArnPattern.test(roleArn)) {
    throw new UsageError(
      `--role-arn must be an IAM role ARN such as ${examples.iamRoleArn} (got ${JSON.stringify(roleArn)})`,
    );
  }

  if (command === "reconcile") {
    return reconcile(
      values["stack-dir"] ?? defaultStackDirectory,
      roleArn ??
        stackRoleArn(
          loadConfig(configFileFromEnvironment()),
          "license-manager",
          parseAccessRole(process.env.LM_ROLE),
        ),
      values.json,
    );
  }
  const desired = await readDesired(values.desired, values["desired-file"]);
  const client = clientFor(desired.region, roleArn);
  if (command === "diff") {
    const plan = planDiscoveryAndReports(desired, await readLiveDiscoveryAndReports(client, desired));
    if (values.json) printJson({ region: desired.region, inSync: plan.differences.length === 0, ...plan });
    if (plan.differences.length === 0) {
      printLine(`Discovery rules and report generators in ${desired.region} match the desired ones.`);
      return 0;
    }
    printLine(`Discovery rules and report generators in ${desired.region} differ from the desired ones:`);
    for (const difference of plan.differences) printLine(`  ${describeDiscoveryDifference(difference)}`);
    return 2;
  }
  const result = await applyDiscoveryAndReports(client, desired);
  if (values.json) printJson(result);
  printResult(result.region, result.changes.map(describeDiscoveryDifference), "Applied");
  return 0;
}

function printResult(region: string, changes: readonly string[], verb: string): void {
  if (changes.length === 0) {
    printLine(`Discovery rules and report generators in ${region} already match; nothing to do.`);
    return;
  }
  printLine(`${verb} discovery rules and report generators in ${region}:`);
  for (const change of changes) printLine(`  ${change}`);
}

async function reconcile(
  stackDirectory: string,
  roleArn: string | undefined,
  json: boolean,
): Promise<number> {
  const state = JSON.parse(await new Terraform(stackDirectory, { env: process.env }).showJson()) as StateJson;
  const recorded = deployedDiscoveryAndReports(state);
  if (recorded.length === 0) {
    throw new UsageError(`no discovery rules or report generators in the state of ${stackDirectory}`);
  }
  const results = [];
  for (const { desired } of recorded) {
    const result = await applyDiscoveryAndReports(clientFor(desired.region, roleArn), desired);
    results.push(result);
    printResult(result.region, result.changes.map(describeDiscoveryDifference), "Restored");
  }
  if (json) printJson(results);
  return 0;
}

function readDesired(
  json: string | undefined,
  file: string | undefined,
): Promise<DesiredDiscoveryAndReports> {
  return readDesiredOption(json, file, parseDesiredDiscoveryAndReports, "desired rules and reports");
}

runCli(toolName, main);
