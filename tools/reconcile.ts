import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseAccessRole, readOnlyRole, stackRoleArn, synthesisDirectory } from "../lib/access/stack-roles";
import { examples } from "../lib/aws/arn";
import { callerSession } from "../lib/aws/credentials";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { oneOf } from "../lib/messages/alternatives";
import { stackNames } from "../lib/names/stacks";
import { capitalized, describeChange, describeDifference } from "../lib/reconcile/contract";
import { deployedInputs } from "../lib/reconcile/deployed";
import { parseReconcileInput, type ResolvedInput } from "../lib/reconcile/input";
import { reconcileKinds } from "../lib/reconcile/registry";
import { reconcile, type ReconcileResult } from "../lib/reconcile/run";
import type { StateJson } from "../lib/terraform/plan-json";
import { Terraform } from "../lib/terraform/terraform";
import { parseOptions, printJson, printLine, readJsonOption, roleArnOption, runCli, UsageError } from "./cli";

const toolName = "reconcile";
const projectRoot = path.resolve(__dirname, "..");
/** The stacks whose states can hold reconciled resources, in deploy order. */
const reconciledStacks = [stackNames.organization, stackNames.licenseManager];

const usage = `Usage: npm run reconcile -- <apply|diff|get|restore|unlink> [options]

Applies what Terraform cannot manage, one kind at a time, each read, compared and applied the same way:
${reconcileKinds.map((kind) => `  ${kind.kind.padEnd(40)} ${kind.title}`).join("\n")}
Each is recorded in a stack as a terraform_data resource whose input is {"kind", "region", "desired"}; cdktf
deploy runs "apply" with that input whenever it changes.

Commands:
  apply     Make the live state the desired one; calls only what differs (--input, or every recorded input)
  diff      Report every difference between desired and live (exit 2 when there is one)
  get       Print the live state (--input, or every recorded input; JSON with --json)
  restore   Re-apply every input recorded in the deployed stacks' states: after a change outside Terraform
            (npm run drift names it) that cdktf deploy does not see
  unlink    Undo what blocks a destroy, for the kinds that have such a thing (License Manager settings: the
            Organizations integration and cross-account discovery off). Run it before
            npx cdktf destroy license-manager: AWS keeps AWSServiceRoleForAWSLicenseManagerRole while the
            integration is on

Options:
  --input JSON         One input (apply, diff, get), as the stacks write it, e.g.
                       {"kind": "license-manager-settings", "region": "${examples.region}",
                        "desired": {"enableIntegration": true, "enableCrossAccountsDiscovery": false}}
  --input-file FILE    The same JSON, read from FILE
  --stack-dir DIR      Read the recorded inputs from this deployed stack's state (repeatable; default
                       <synthesis>/stacks/{${reconciledStacks.join(",")}}, those initialized)
  --role-arn ARN       Assume this role first (the role the Terraform provider uses). Default with recorded
                       inputs: the role each stack's provider assumes: for get and diff the read-only role (the
                       plan role when the config has one, read from cdktf.plan.out, as npm run drift), for the
                       others LM_ROLE (deploy, plan or none; default deploy, cdktf.out)
  --json               Print the results as JSON on stdout
  -h, --help           Show this help

Credentials come from the AWS SDK default chain; AWS_ENDPOINT_URL_<SERVICE> overrides a service endpoint.
Exit codes: 0 done / in sync, 1 error, 2 differences found (diff only).`;

const commands = ["apply", "diff", "get", "restore", "unlink"] as const;
type Command = (typeof commands)[number];
const isCommand = (value: string | undefined): value is Command => commands.includes(value as Command);

const options = {
  input: { type: "string" },
  "input-file": { type: "string" },
  "stack-dir": { type: "string", multiple: true },
  "role-arn": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** An input to work on, with the role its stack assumes. */
interface Target extends ResolvedInput {
  readonly roleArn?: string;
  readonly address?: string;
}

/**
 * Every input recorded in the deployed stacks' states, each with the role of its stack: for reads (get, diff)
 * the read-only role and its synthesis (cdktf.plan.out with the plan role), as npm run drift; for writes the role
 * LM_ROLE names (deploy by default) and cdktf.out. A stack directory never initialized was never deployed from
 * here: it is skipped, and said so.
 */
async function recordedTargets(
  stackDirectories: readonly string[] | undefined,
  roleArn: string | undefined,
  reads: boolean,
) {
  const explicit = stackDirectories !== undefined && stackDirectories.length > 0;
  const config = roleArn === undefined || !explicit ? loadConfig(configFileFromEnvironment()) : undefined;
  const role = reads && config ? readOnlyRole(config) : parseAccessRole(process.env.LM_ROLE);
  const synthesized = path.join(projectRoot, synthesisDirectory(role), "stacks");
  const directories = explicit
    ? stackDirectories
    : reconciledStacks
        .map((stack) => path.join(synthesized, stack))
        .filter((directory) => {
          const initialized = existsSync(path.join(directory, ".terraform"));
          if (existsSync(directory) && !initialized)
            printLine(
              `Skipping ${path.relative(process.cwd(), directory)}: never initialized, so never deployed from here.`,
            );
          return initialized;
        });
  if (directories.length === 0) {
    throw new UsageError(
      `no deployed stack directory in ${path.relative(process.cwd(), synthesized) || "."}: deploy the stacks first (the ${role} role's synthesis), or give --stack-dir`,
    );
  }
  const targets: Target[] = [];
  for (const directory of directories) {
    const state = JSON.parse(await new Terraform(directory, { env: process.env }).showJson()) as StateJson;
    const stackRole = roleArn ?? stackRoleArn(config!, path.basename(directory), role);
    for (const input of deployedInputs(state)) targets.push({ ...input, roleArn: stackRole });
  }
  if (targets.length === 0) {
    throw new UsageError(
      `no reconciled resources in the state of ${directories.join(", ")}; deploy the stacks first`,
    );
  }
  return targets;
}

const credentialsFor = (target: Target) => callerSession(target.region, target.roleArn, toolName).credentials;

async function run(target: Target, apply: boolean, desired = target.desired): Promise<ReconcileResult> {
  const credentials = credentialsFor(target);
  return reconcile(target.definition, target.region, desired, { apply, ...(credentials && { credentials }) });
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
        ? `missing command; expected ${oneOf(commands)}`
        : `unknown command ${JSON.stringify(command)}; expected ${oneOf(commands, { given: command })}`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const roleArn = roleArnOption(values["role-arn"]);
  const single = await readJsonOption("input", values.input, values["input-file"], parseReconcileInput);
  if (single && (command === "restore" || command === "unlink")) {
    throw new UsageError(`${command} reads the inputs recorded in the stacks' states; it takes no --input`);
  }
  if (single && values["stack-dir"]) throw new UsageError("give either --input or --stack-dir, not both");
  const targets: Target[] = single
    ? [{ ...single, ...(roleArn !== undefined && { roleArn }) }]
    : await recordedTargets(values["stack-dir"], roleArn, command === "get" || command === "diff");

  switch (command) {
    case "get": {
      const results = [];
      for (const target of targets) {
        const credentials = credentialsFor(target);
        const live = await target.definition.read(
          { region: target.region, ...(credentials && { credentials }) },
          target.desired,
        );
        results.push({ kind: target.kind, region: target.region, live });
        printLine(`${capitalized(target.definition.title)} in ${target.region}:`);
        for (const line of target.definition.summarize(live)) printLine(`  ${line}`);
      }
      if (values.json) printJson(single ? results[0] : results);
      return 0;
    }
    case "diff": {
      const results = [];
      for (const target of targets) {
        const { kind, region, changes } = await run(target, false);
        const title = capitalized(target.definition.title);
        results.push({ kind, region, inSync: changes.length === 0, differences: changes });
        if (changes.length === 0) {
          printLine(`${title} in ${region} match the desired ones.`);
          continue;
        }
        printLine(`${title} in ${region} differ from the desired ones:`);
        for (const difference of changes) printLine(`  ${describeDifference(difference)}`);
      }
      if (values.json) printJson(single ? results[0] : results);
      return results.every((result) => result.inSync) ? 0 : 2;
    }
    case "apply":
    case "restore":
    case "unlink": {
      const results = [];
      if (command === "unlink" && !targets.some((target) => target.definition.unlinked)) {
        printLine("Nothing to unlink: no recorded input is of a kind that blocks a destroy.");
      }
      for (const target of targets) {
        let desired = target.desired;
        if (command === "unlink") {
          if (!target.definition.unlinked) continue;
          desired = target.definition.unlinked(desired);
        }
        const result = await run(target, true, desired);
        results.push(result);
        const title = target.definition.title;
        const where = `${title} in ${result.region}`;
        if (!result.updated) {
          printLine(`${capitalized(where)} already match; nothing to update.`);
          continue;
        }
        const verb = { apply: "Updated", restore: "Restored", unlink: "Unlinked" }[command];
        if (command === "apply") {
          printLine(`${verb} ${where}:`);
          for (const change of result.changes) printLine(`  ${describeChange(change)}`);
        } else {
          printLine(`${verb} ${where}: ${result.changes.map(describeDifference).join("; ")}`);
        }
      }
      if (values.json) printJson(single ? results[0] : results);
      return 0;
    }
  }
}

runCli(toolName, main);
