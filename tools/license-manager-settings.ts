import { parseAccessRole, stackRoleArn } from "../lib/access/stack-roles";
import { LicenseManagerClient } from "@aws-sdk/client-license-manager";
import { awsRegionPattern, examples, iamRoleArnPattern } from "../lib/aws/arn";
import { clientConfig } from "../lib/aws/client-config";
import { callerSession } from "../lib/aws/credentials";
import {
  applySettings,
  describeDifference,
  diffSettings,
  parseDesiredSettings,
  readLiveSettings,
  type LicenseManagerSettings,
} from "../lib/license-manager/settings";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { deployedSettings } from "../lib/license-manager/settings-state";
import { deployedDiscoveryAndReports } from "../lib/license-manager/discovery-state";
import {
  applyDiscoveryAndReports,
  describeDiscoveryDifference,
} from "../lib/license-manager/discovery-apply";
import type { StateJson } from "../lib/terraform/plan-json";
import { Terraform } from "../lib/terraform/terraform";
import { parseOptions, printJson, printLine, runCli, UsageError, readDesiredOption } from "./cli";

const toolName = "license-manager-settings";
const defaultStackDirectory = "cdktf.out/stacks/license-manager";

const usage = `Usage: tsx tools/license-manager-settings.ts <apply|get|diff|reconcile|unlink> [options]

Reads and sets AWS License Manager settings of one Region (there is no Terraform resource for them).

Commands:
  apply      Update the settings to the desired ones; calls UpdateServiceSettings only when something differs
  get        Print the live settings as JSON on stdout
  diff       Report every difference between desired and live settings (exit 2 when there is one)
  reconcile  Re-apply, in every region, the desired settings, discovery rules and report generators recorded in
             the license-manager stack's state
  unlink     Turn the Organizations integration off in every region of that state, before a destroy

Run "tsx tools/license-manager-settings.ts <command> --help" for the options of a command.

Credentials come from the AWS SDK default chain; AWS_ENDPOINT_URL_LICENSE_MANAGER and
AWS_ENDPOINT_URL_STS override the service endpoints.
Exit codes: 0 done / in sync, 1 error, 2 differences found (diff only).`;

const desiredHelp = `  --desired JSON        Desired settings, e.g.
                        {"region": "${examples.region}", "enableIntegration": true, "enableCrossAccountsDiscovery": false,
                         "s3BucketArn": "${examples.s3BucketArn}",
                         "snsTopicArn": "${examples.snsTopicArn}"}
                        s3BucketArn and snsTopicArn are optional; when absent they are left as they are.
  --desired-file FILE   The same JSON, read from FILE`;

const commonHelp = `  --region REGION       Region whose settings to use (may instead come from the desired "region")
  --role-arn ARN        Assume this role first (the role the Terraform provider uses)
  --json                Print the result as JSON on stdout
  -h, --help            Show this help`;

const commandHelp: Record<Command, string> = {
  apply: `Usage: tsx tools/license-manager-settings.ts apply (--desired JSON | --desired-file FILE) [options]

Reads the live settings and calls UpdateServiceSettings only when they differ from the desired ones.
Prints what it changed to stderr. Exit 0 on success, 1 on error.

${desiredHelp}
${commonHelp}`,
  get: `Usage: tsx tools/license-manager-settings.ts get --region REGION [options]

Prints the live settings (including LicenseManagerResourceShareArn) as JSON on stdout. Exit 0, or 1 on error.

${commonHelp}`,
  diff: `Usage: tsx tools/license-manager-settings.ts diff (--desired JSON | --desired-file FILE) [options]

Reports every field whose live value differs from the desired one: text on stderr, JSON on stdout with --json.
Exit 0 when in sync, 2 when there are differences, 1 on error.

${desiredHelp}
${commonHelp}`,
  reconcile: `Usage: tsx tools/license-manager-settings.ts reconcile [--stack-dir DIR] [--role-arn ARN] [--json]

cdktf deploy re-runs the settings of a region only when their desired values change: Terraform cannot read
License Manager's settings. After settings were changed outside Terraform (npm run drift reports it), this
re-applies the desired settings of every region as recorded in the license-manager stack's state, and
the automated discovery rules and report generators recorded there (the same as npm run discovery -- reconcile).
Exit 0 on success, 1 on error.

  --stack-dir DIR       The deployed license-manager stack's directory (default cdktf.out/stacks/license-manager)
  --role-arn ARN        Assume this role first (default: the role the license-manager stack's provider
                        assumes: deployRoleArn of the config in LM_CONFIG, none with LM_ROLE=none)
  --json                Print the results as JSON on stdout
  -h, --help            Show this help`,
  unlink: `Usage: tsx tools/license-manager-settings.ts unlink [--stack-dir DIR] [--role-arn ARN] [--json]

Turns License Manager's Organizations integration and cross-account discovery off in every region of the
license-manager stack's state. Run it before npx cdktf destroy license-manager: AWS keeps
AWSServiceRoleForAWSLicenseManagerRole while the integration is on, so the destroy would fail deleting it.
Exit 0 on success, 1 on error.

  --stack-dir DIR       The deployed license-manager stack's directory (default cdktf.out/stacks/license-manager)
  --role-arn ARN        Assume this role first (default: the role the license-manager stack's provider
                        assumes: deployRoleArn of the config in LM_CONFIG, none with LM_ROLE=none)
  --json                Print the results as JSON on stdout
  -h, --help            Show this help`,
};

const commands = ["apply", "get", "diff", "reconcile", "unlink"] as const;
type Command = (typeof commands)[number];
const isCommand = (value: string | undefined): value is Command => commands.includes(value as Command);

const options = {
  region: { type: "string" },
  desired: { type: "string" },
  "desired-file": { type: "string" },
  "role-arn": { type: "string" },
  "stack-dir": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, options);
  const [command, ...extra] = positionals;
  if (command === undefined || !isCommand(command)) {
    if (values.help && command === undefined) {
      printLine(usage);
      return 0;
    }
    throw new UsageError(
      command === undefined
        ? `missing command; expected one of ${commands.join(", ")}`
        : `unknown command ${JSON.stringify(command)}; expected one of ${commands.join(", ")}`,
    );
  }
  if (values.help) {
    printLine(commandHelp[command]);
    return 0;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);

  const roleArn = values["role-arn"];
  if (roleArn !== undefined && !iamRoleArnPattern.test(roleArn)) {
    throw new UsageError(
      `--role-arn must be an IAM role ARN such as ${examples.iamRoleArn} (got ${JSON.stringify(roleArn)})`,
    );
  }
  if (command === "reconcile" || command === "unlink")
    return applyRecordedSettings(
      command,
      values["stack-dir"] ?? defaultStackDirectory,
      roleArn ??
        stackRoleArn(
          loadConfig(configFileFromEnvironment()),
          "license-manager",
          parseAccessRole(process.env.LM_ROLE),
        ),
      values.json,
    );
  const desired = command === "get" ? undefined : await readDesired(values.desired, values["desired-file"]);
  if (command === "get" && (values.desired !== undefined || values["desired-file"] !== undefined)) {
    throw new UsageError("get takes no desired settings; use diff to compare them with the live ones");
  }
  const region = resolveRegion(values.region, desired);
  const session = callerSession(region, roleArn, "license-manager-settings");
  const client = new LicenseManagerClient(clientConfig(region, session.credentials));

  switch (command) {
    case "get": {
      printJson(await readLiveSettings(client, region));
      return 0;
    }
    case "diff": {
      const differences = diffSettings(desired!, await readLiveSettings(client, region));
      if (values.json) printJson({ region, inSync: differences.length === 0, differences });
      if (differences.length === 0) {
        printLine(`License Manager settings in ${region} match the desired settings.`);
        return 0;
      }
      printLine(`License Manager settings in ${region} differ from the desired settings:`);
      for (const difference of differences) printLine(`  ${describeDifference(difference)}`);
      return 2;
    }
    case "apply": {
      const result = await applySettings(client, region, desired!);
      if (values.json) printJson(result);
      if (!result.updated) {
        printLine(`License Manager settings in ${region} already match; nothing to update.`);
      } else {
        printLine(`Updated License Manager settings in ${region}:`);
        for (const change of result.changes) {
          printLine(`  ${change.field}: ${JSON.stringify(change.live)} -> ${JSON.stringify(change.desired)}`);
        }
      }
      return 0;
    }
  }
}

/** What reconcile and unlink apply in each region recorded in the stack's state. */
type StateCommand = "reconcile" | "unlink";

async function applyRecordedSettings(
  command: StateCommand,
  stackDirectory: string,
  roleArn: string | undefined,
  json: boolean,
): Promise<number> {
  const state = JSON.parse(await new Terraform(stackDirectory, { env: process.env }).showJson()) as StateJson;
  const recorded = deployedSettings(state);
  if (recorded.length === 0) {
    throw new UsageError(
      `no License Manager settings in the state of ${stackDirectory}; deploy the stack first`,
    );
  }
  const results = [];
  for (const { desired, region } of recorded) {
    const settings =
      command === "unlink"
        ? { ...desired, enableIntegration: false, enableCrossAccountsDiscovery: false }
        : desired;
    const session = callerSession(region, roleArn, "license-manager-settings");
    const result = await applySettings(
      new LicenseManagerClient(clientConfig(region, session.credentials)),
      region,
      settings,
    );
    results.push(result);
    const changes = result.changes.map(describeDifference).join("; ");
    if (!result.updated) printLine(`License Manager settings in ${region} already match; nothing to update.`);
    else if (command === "unlink")
      printLine(`Unlinked License Manager from Organizations in ${region}: ${changes}`);
    else printLine(`Restored License Manager settings in ${region}: ${changes}`);
  }
  // Discovery rules and report generators are restored with the settings; unlink leaves them.
  const discoveryResults = [];
  if (command === "reconcile") {
    for (const { desired, region } of deployedDiscoveryAndReports(state)) {
      const session = callerSession(region, roleArn, "license-manager-settings");
      const result = await applyDiscoveryAndReports(
        new LicenseManagerClient(clientConfig(region, session.credentials)),
        desired,
      );
      discoveryResults.push(result);
      const changes = result.changes.map(describeDiscoveryDifference).join("; ");
      printLine(
        result.updated
          ? `Restored discovery rules and report generators in ${region}: ${changes}`
          : `Discovery rules and report generators in ${region} already match; nothing to update.`,
      );
    }
  }
  if (json) printJson(command === "reconcile" ? { settings: results, discovery: discoveryResults } : results);
  return 0;
}

function readDesired(json: string | undefined, file: string | undefined): Promise<LicenseManagerSettings> {
  return readDesiredOption(json, file, parseDesiredSettings, "desired settings");
}

function resolveRegion(flag: string | undefined, desired: LicenseManagerSettings | undefined): string {
  if (flag !== undefined && !awsRegionPattern.test(flag)) {
    throw new UsageError(
      `--region must be a Region code such as ${examples.region} (got ${JSON.stringify(flag)})`,
    );
  }
  if (flag !== undefined && desired?.region !== undefined && flag !== desired.region) {
    throw new UsageError(
      `--region is ${flag} but the desired settings say region ${desired.region}; they must match`,
    );
  }
  const region = flag ?? desired?.region;
  if (region === undefined) throw new UsageError('missing --region (or a "region" in the desired settings)');
  return region;
}

runCli(toolName, main);
