import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parseAccessRole, stackRoleArn, synthesisDirectory } from "../lib/access/stack-roles";
import { callerSession } from "../lib/aws/credentials";
import { readStacksInOrder } from "../lib/cdktf/manifest";
import type { SynthesizedStackJson } from "../lib/cdktf/synthesized-stack";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { liveNamedResources } from "../lib/drift/live-resources";
import {
  displayDirectory,
  stackTargets,
  unmanagedResources,
  type UnmanagedResource,
} from "../lib/drift/unmanaged";
import { stackNames } from "../lib/names/stacks";
import type { StateJson } from "../lib/terraform/plan-json";
import { synthesize, Terraform } from "../lib/terraform/terraform";
import {
  parseToolOptions,
  printJson,
  printLine,
  runCli,
  selectStacks,
  stackToolOptions,
  UsageError,
} from "./cli";

const toolName = "adopt";

const usage = `Usage: npm run adopt -- [--stack NAME]... [--role ROLE] [--dry-run] [--json] [--skip-synth]

Run before a deploy (deploy.yml does): adopts the project's own resources that an interrupted apply
created but did not record, instead of letting the deploy create them twice (license configurations) or
fail on them (a report bucket outside us-east-1: BucketAlreadyOwnedByYou). Synthesizes the app (LM_CONFIG
selects the config) into cdktf.out, then for the license-manager stack: reads the state (terraform init
first only where Terraform asks for it), lists each region's license configurations
(ListLicenseConfigurations, GetLicenseConfiguration for the tags) and looks up the declared notification
topics and report buckets the state does not hold (GetTopicAttributes and ListTagsForResource,
GetBucketTagging). It adopts each one that no state holds, whose tags name this project, this environment
and this stack (license-manager-org:project, :environment, :stack), and whose type, name and region match a
declared resource that the state does not hold yet: one terraform plan with an import block per resource,
limited to them (-target), applied only if it imports each and changes nothing else (otherwise one
terraform import per resource). A resource without all three tags is never adopted.
Tagged resources left over (a second configuration of the same name, or a name the config no longer has)
are listed with the command that removes them; npm run drift reports them as unmanaged.

Options:
  --stack NAME     Adopt into this stack only (repeatable; default: license-manager)
  --role ROLE      The role the stacks assume: deploy (default), or none (GitHub Actions' OIDC role); LM_ROLE
  --dry-run        Only list what would be adopted
  --json           Print what was adopted and what is left as JSON on stdout
  --skip-synth     Use cdktf.out as it is (already synthesized with the same config and role)
  -h, --help       Show this help

Exit codes: 0 done (nothing left unmanaged, or only leftovers that cannot be adopted: see the list),
1 error.`;

const options = { ...stackToolOptions, "dry-run": { type: "boolean", default: false } } as const;

const projectRoot = path.resolve(__dirname, "..");

interface StackAdoption {
  readonly stack: string;
  readonly adopted: readonly UnmanagedResource[];
  /** Tagged for this stack, in no state, and matching no free configured address: remove them. */
  readonly leftOver: readonly UnmanagedResource[];
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const config = loadConfig(configFileFromEnvironment());
  const role = parseAccessRole(values.role ?? process.env.LM_ROLE);
  if (role === "plan") throw new UsageError("adopting writes the state: use the deploy role (or none)");
  const synthesisDir = synthesisDirectory(role);
  if (!values["skip-synth"]) {
    printLine(`Synthesizing (${config.sourceFile}, ${role} role, ${synthesisDir})…`);
    await synthesize(projectRoot, process.env, undefined, { role, outputDirectory: synthesisDir });
  }
  const stacks = selectStacks(
    readStacksInOrder(path.join(projectRoot, synthesisDir)),
    values.stack ?? [stackNames.licenseManager],
  );
  const results: StackAdoption[] = [];
  for (const stack of stacks) {
    const synthesized = JSON.parse(
      readFileSync(path.join(stack.workingDirectory, "cdk.tf.json"), "utf8"),
    ) as SynthesizedStackJson;
    const targets = stackTargets(synthesized);
    const terraform = new Terraform(stack.workingDirectory, { env: process.env });
    const state = JSON.parse(await terraform.showJson()) as StateJson;
    const roleArn = stackRoleArn(config, stack.name, role);
    const live = await liveNamedResources(targets, state, {
      sessionFor: (region) => callerSession(region, roleArn, "license-manager-adopt"),
      s3UsePathStyle: config.s3Compatibility.usePathStyle,
      listLicenseConfigurations: stack.name === stackNames.licenseManager,
    });
    const directory = displayDirectory(stack.workingDirectory, projectRoot);
    const unmanaged = unmanagedResources(targets, state, live, directory);
    const adopted = unmanaged.filter((candidate) => candidate.address);
    for (const resource of adopted) {
      printLine(
        `${stack.name}: ${values["dry-run"] ? "would adopt" : "adopting"} ${JSON.stringify(resource.name)} in ${resource.region} (${resource.id}) as ${resource.address}`,
      );
    }
    if (!values["dry-run"] && adopted.length > 0) {
      const planFile = path.join(mkdtempSync(path.join(tmpdir(), "adopt-")), `${stack.name}.tfplan`);
      try {
        const { oneByOne, updated } = await terraform.importAll(
          adopted.map((resource) => ({ address: resource.address!, id: resource.id })),
          planFile,
        );
        printLine(
          oneByOne
            ? `${stack.name}: adopted ${adopted.length} resource(s) one terraform import at a time (${oneByOne})`
            : `${stack.name}: adopted ${adopted.length} resource(s) in one plan and apply`,
        );
        for (const address of updated)
          printLine(`${stack.name}: ${address} was also updated to match the config`);
      } finally {
        rmSync(path.dirname(planFile), { recursive: true, force: true });
      }
    }
    const leftOver = unmanaged.filter((candidate) => !candidate.address);
    for (const resource of leftOver) {
      printLine(
        `${stack.name}: not adopted: ${JSON.stringify(resource.name)} in ${resource.region} (${resource.id}) carries this stack's tags but matches no declared ${resource.type} that is free; remove it: ${resource.removeCommand}`,
      );
    }
    if (unmanaged.length === 0) printLine(`${stack.name}: nothing to adopt`);
    results.push({ stack: stack.name, adopted, leftOver });
  }
  if (values.json) printJson({ dryRun: values["dry-run"], stacks: results });
  return 0;
}

if (require.main === module) runCli(toolName, main);
