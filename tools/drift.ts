import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import pLimit from "p-limit";
import { callerSession } from "../lib/aws/credentials";
import { readStacksInOrder, type ManifestStack } from "../lib/cdktf/manifest";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { analyzePlanDrift, type PlanDrift } from "../lib/drift/analyze";
import { combineDrift, driftExitCode, type ReconciledDrift, type StackDrift } from "../lib/drift/model";
import { renderDrift } from "../lib/drift/render";
import { liveNamedResources } from "../lib/drift/live-resources";
import {
  displayDirectory,
  stackTargets,
  unmanagedResources,
  type UnmanagedResource,
} from "../lib/drift/unmanaged";
import { stackNames } from "../lib/names/stacks";
import { deployedInputs } from "../lib/reconcile/deployed";
import { reconcile } from "../lib/reconcile/run";
import { parsePlanJson, stateWithout, type StateJson } from "../lib/terraform/plan-json";
import type { SynthesizedStackJson } from "../lib/cdktf/synthesized-stack";
import { readOnlyRole, stackRoleArn, synthesisDirectory } from "../lib/access/stack-roles";
import { synthesize, Terraform, TerraformError } from "../lib/terraform/terraform";
import { stacksPlannedAtOnce } from "../lib/tuning";
import { parseToolOptions, printJson, printLine, runCli, selectStacks, stackToolOptions } from "./cli";

const toolName = "drift";

const usage = `Usage: npm run drift -- [--stack NAME]... [--role ROLE] [--json] [--skip-synth]

Finds what changed outside Terraform. Synthesizes the app once (LM_CONFIG selects the config), then for
every stack (as many at once as there are CPU cores; no stack waits for another): plan without taking the
state lock (-lock=false: the plan role writes nothing), show -json (terraform init first only where
Terraform asks for it). Drift is the plan's resource_drift (changed or
deleted outside Terraform); the plan's resource_changes are reported apart as pending configuration
changes, which are not drift. Output changes are ignored. If the full plan fails, drift is read from a
refresh-only plan.
For what no Terraform resource reads back (License Manager's settings, discovery rules and report
generators, trusted access with organization.source: external: every kind of npm run reconcile), each
reconciled resource's deployed input (from the state) is compared with the live state, with the same role
as the stack, each difference named; npm run reconcile -- restore puts them back.
Unmanaged: in each region of the license-manager stack, the live resources that carry this project's tags
for this environment and stack (license-manager-org:project, :environment, :stack) and that no state holds,
e.g. created by an apply that was interrupted before it saved the state: every license configuration
(ListLicenseConfigurations), and the notification topic and report bucket the config declares where the
state holds none (GetTopicAttributes, GetBucketTagging). Each is reported with the command to adopt it
(terraform import into the address the config gives it) or to remove it.

Options:
  --stack NAME     Check only this stack (repeatable)
  --role ROLE      The role every stack assumes: plan (default when the config has planRoleArn), deploy,
                   or none (the credentials as they are, e.g. GitHub Actions' OIDC role); default LM_ROLE.
                   The plan role's stacks are synthesized into cdktf.plan.out, the others into cdktf.out
  --json           Print the report as JSON on stdout (the summary stays on stderr)
  --skip-synth     Use the synthesis directory as it is (already synthesized with the same config)
  -h, --help       Show this help

Exit codes: 0 no drift, 2 drift or unmanaged resources, 1 error (including a stack that could not be checked).`;

const options = stackToolOptions;

const projectRoot = path.resolve(__dirname, "..");

interface CheckContext {
  readonly workDirectory: string;
  readonly roleArn?: string;
  readonly s3UsePathStyle: boolean;
}

/** The plan's drift and pending changes, and the refreshed state it was made from. */
async function planDrift(
  terraform: Terraform,
  name: string,
  workDirectory: string,
  synthesized: SynthesizedStackJson,
  needsState: boolean,
): Promise<PlanDrift & { state: StateJson; error?: string }> {
  const planFile = path.join(workDirectory, `${name}.tfplan`);
  try {
    // A clean plan of a stack whose state nothing else reads needs no `terraform show -json` (2 s of the provider).
    if ((await terraform.planIsClean(planFile)) && !needsState)
      return { drift: [], pendingChanges: [], state: {} };
    const plan = parsePlanJson(await terraform.showJson(planFile), name);
    return { ...analyzePlanDrift(plan, synthesized), state: plan.prior_state ?? {} };
  } catch (error) {
    if (!(error instanceof TerraformError)) throw error;
    // A full plan can fail because of the drift itself (a precondition on trusted access, say):
    // a refresh-only plan still shows what changed outside Terraform.
    await terraform.plan(planFile, ["-refresh-only"]);
    const plan = parsePlanJson(await terraform.showJson(planFile), name);
    const { drift } = analyzePlanDrift(plan, synthesized);
    return { drift, pendingChanges: [], state: plan.prior_state ?? {}, error: error.message };
  }
}

/**
 * Every reconciled resource of the state, of any kind on the registry: its deployed input compared with the
 * live state (the kind's own read and plan, as npm run reconcile -- diff does).
 */
async function reconciledDrift(
  state: StateJson,
  synthesized: SynthesizedStackJson,
  roleArn: string | undefined,
): Promise<ReconciledDrift[]> {
  const results: ReconciledDrift[] = [];
  for (const deployed of deployedInputs(state, synthesized)) {
    const { credentials } = callerSession(deployed.region, roleArn, "license-manager-drift");
    const { changes } = await reconcile(deployed.definition, deployed.region, deployed.desired, {
      apply: false,
      ...(credentials && { credentials }),
    });
    if (changes.length === 0) continue;
    const { address, constructPath, kind, region } = deployed;
    results.push({
      address,
      ...(constructPath !== undefined && { constructPath }),
      kind,
      title: deployed.definition.title,
      region,
      differences: changes,
    });
  }
  return results;
}

/** Whether the synthesized stack records reconciled resources, whose check reads the state. */
const hasReconciled = (synthesized: SynthesizedStackJson) =>
  Object.keys(synthesized.resource?.terraform_data ?? {}).length > 0;

/**
 * The license-manager stack's tagged resources that no state holds, in each of its regions: every license
 * configuration, and the declared topics and buckets the state does not hold.
 */
async function unmanagedInStack(
  state: StateJson,
  stack: ManifestStack,
  synthesized: SynthesizedStackJson,
  context: CheckContext,
): Promise<UnmanagedResource[]> {
  if (stack.name !== stackNames.licenseManager) return [];
  const targets = stackTargets(synthesized);
  const live = await liveNamedResources(targets, state, {
    sessionFor: (region) => callerSession(region, context.roleArn, "license-manager-drift"),
    s3UsePathStyle: context.s3UsePathStyle,
    listLicenseConfigurations: true,
  });
  return unmanagedResources(
    targets,
    state,
    live,
    // Adopting writes the state: with the deploy role's synthesis (npm run adopt does it all), not the plan role's.
    displayDirectory(path.join(projectRoot, "cdktf.out", "stacks", stack.name), projectRoot),
  );
}

async function checkStack(stack: ManifestStack, context: CheckContext): Promise<StackDrift> {
  const terraform = new Terraform(stack.workingDirectory, {
    env: process.env,
    logFile: path.join(context.workDirectory, `${stack.name}.log`),
    // Read-only: no state lock (the plan role may not write one).
    planLock: false,
  });
  try {
    const synthesized = JSON.parse(
      readFileSync(path.join(stack.workingDirectory, "cdk.tf.json"), "utf8"),
    ) as SynthesizedStackJson;
    // The reconciled and unmanaged checks read the state the plan was made from.
    const needsState = stack.name === stackNames.licenseManager || hasReconciled(synthesized);
    const plan = await planDrift(terraform, stack.name, context.workDirectory, synthesized, needsState);
    // The state as the plan refreshed it: no second `terraform show -json`, which starts the provider again.
    const reconciled = await reconciledDrift(plan.state, synthesized, context.roleArn);
    // What the plan adopts (import blocks) is still in no state: drift names it until an apply imports it.
    const adopting = new Set(
      plan.pendingChanges.flatMap((change) => (change.adopts ? [change.address] : [])),
    );
    const unmanaged = await unmanagedInStack(stateWithout(plan.state, adopting), stack, synthesized, context);
    const drifted = plan.drift.length > 0 || reconciled.length > 0 || unmanaged.length > 0;
    return {
      stack: stack.name,
      status: drifted ? "drift" : "clean",
      drift: plan.drift,
      reconciled,
      unmanaged,
      pendingChanges: plan.pendingChanges,
      ...(plan.error !== undefined && { error: plan.error }),
    };
  } catch (error) {
    return {
      stack: stack.name,
      status: "failed",
      drift: [],
      reconciled: [],
      unmanaged: [],
      pendingChanges: [],
      error: (error as Error).message,
    };
  }
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;

  const config = loadConfig(configFileFromEnvironment());
  const role = readOnlyRole(config, values.role ?? process.env.LM_ROLE);
  const synthesisDir = synthesisDirectory(role);
  if (!values["skip-synth"]) {
    printLine(`Synthesizing (${config.sourceFile}, ${role} role, ${synthesisDir})…`);
    await synthesize(projectRoot, process.env, undefined, { role, outputDirectory: synthesisDir });
  }
  const stacks = selectStacks(readStacksInOrder(path.join(projectRoot, synthesisDir)), values.stack);
  const workDirectory = mkdtempSync(path.join(tmpdir(), "drift-"));
  try {
    printLine(`Checking ${stacks.map((stack) => stack.name).join(", ")} for drift…`);
    // Plans run at once: lib/tuning.ts says how many and why.
    const limit = pLimit(stacksPlannedAtOnce());
    const results = await Promise.all(
      stacks.map((stack) =>
        limit(() =>
          checkStack(stack, {
            workDirectory,
            roleArn: stackRoleArn(config, stack.name, role),
            s3UsePathStyle: config.s3Compatibility.usePathStyle,
          }),
        ),
      ),
    );
    const report = combineDrift(results);
    printLine(renderDrift(report));
    if (values.json) printJson(report);
    return driftExitCode(report);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(toolName, main);
