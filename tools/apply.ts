import { existsSync } from "node:fs";
import * as path from "node:path";
import { parseAccessRole, synthesisDirectory } from "../lib/access/stack-roles";
import { readStacksInOrder } from "../lib/cdktf/manifest";
import {
  applySteps,
  explainApplyFailure,
  readSavedPlans,
  sha256OfFile,
  type SavedPlans,
} from "../lib/terraform/saved-plans";
import { applyApprovedPlan, RemainderNotApprovedError } from "../lib/terraform/approved-apply";
import { synthesize, Terraform, TerraformError } from "../lib/terraform/terraform";
import { parseOptions, printJson, printLine, runCli, UsageError } from "./cli";
import { listOf } from "../lib/messages/alternatives";

const toolName = "apply";

const usage = `Usage: npm run apply -- DIR [--skip-synth] [--json]

Applies exactly the plans that npm run plan -- --save DIR saved (what a reviewer approved), stack by stack in
dependency order, with terraform apply <DIR>/<stack>.tfplan: no new plan. Synthesizes the app first with the
role and config the plans were made with (terraform init only where Terraform asks for it).

When AWS throttles an apply part-way (the AWS provider does not retry License Manager's or SNS's throttling), it
waits, plans what remains, and applies that only if every change in it is one the approved plan had (same address,
actions and known values), at most LM_THROTTLE_ATTEMPTS applies in all (default 8), saying so on stderr.

Stops, saying why, and changes nothing more when:
  - a stack's state changed after the plan (Terraform: "Saved plan is stale"): run the deploy again;
  - a stack's synthesized configuration differs from the one planned (another commit or config);
  - a stack's plan failed, or it was planned with outputs of a stack that this apply changes (it is planned
    and approved against them in the next run);
  - what remains after a throttle is not only what was approved (a change made outside meanwhile, say).
A stack whose plan has no changes is skipped.

Options:
  --skip-synth     Use the synthesis directory as it is (already synthesized with the same config and role)
  --json           Print each stack's outcome as JSON on stdout
  -h, --help       Show this help

Exit codes: 0 every changed stack applied (or nothing to apply), 1 an apply stopped or failed.`;

const options = {
  "skip-synth": { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");

interface StackOutcome {
  readonly stack: string;
  readonly outcome: "applied" | "skipped" | "stopped";
  readonly detail?: string;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, options);
  if (values.help) {
    printLine(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `expected one directory (the one npm run plan -- --save wrote), got ${
        positionals.length === 0
          ? "none"
          : listOf(
              positionals.map((p) => JSON.stringify(p)),
              "arguments",
            )
      }`,
    );
  }
  const directory = path.resolve(positionals[0] as string);
  const saved: SavedPlans = readSavedPlans(directory);
  const config = process.env.LM_CONFIG ?? "config/sandbox.yaml";
  if (saved.config !== config) {
    throw new UsageError(
      `${path.join(directory, "saved-plans.json")}: the plans were made with LM_CONFIG=${saved.config}, this apply has ${config}; expected the same config`,
    );
  }
  const role = parseAccessRole(saved.role, "saved-plans.json role");
  const synthesisDir = synthesisDirectory(role);
  if (!values["skip-synth"]) {
    printLine(`Synthesizing (${config}, ${role} role, ${synthesisDir})…`);
    await synthesize(projectRoot, process.env, path.join(directory, "synth.log"), {
      role,
      outputDirectory: synthesisDir,
    });
  }
  const stacks = new Map(
    readStacksInOrder(path.join(projectRoot, synthesisDir)).map((stack) => [stack.name, stack]),
  );

  const outcomes: StackOutcome[] = [];
  let stopped = false;
  for (const step of applySteps(saved)) {
    if (stopped && step.action !== "stop") {
      outcomes.push({
        stack: step.stack,
        outcome: "stopped",
        detail: "not applied: an earlier stack stopped the apply",
      });
      continue;
    }
    if (step.action === "skip") {
      printLine(`${step.stack}: skipped (${step.why})`);
      outcomes.push({ stack: step.stack, outcome: "skipped", detail: step.why });
      continue;
    }
    if (step.action === "stop") {
      printLine(`${step.stack}: ${step.why}`);
      outcomes.push({ stack: step.stack, outcome: "stopped", detail: step.why });
      stopped = true;
      continue;
    }
    const problem = configurationProblem(step.stack, directory, saved, stacks);
    if (problem) {
      printLine(`${step.stack}: ${problem}`);
      outcomes.push({ stack: step.stack, outcome: "stopped", detail: problem });
      stopped = true;
      continue;
    }
    const stack = stacks.get(step.stack);
    if (!stack) throw new Error(`${step.stack}: not in the synthesized app`); // configurationProblem checked it
    printLine(
      `Applying ${step.stack} (${path.join(path.relative(process.cwd(), directory), step.planFile)})…`,
    );
    const terraform = new Terraform(stack.workingDirectory, {
      env: process.env,
      logFile: path.join(directory, `${step.stack}.apply.log`),
    });
    try {
      const result = await applyApprovedPlan(terraform, path.join(directory, step.planFile), {
        report: (line) => printLine(`  ${line}`),
      });
      const throttled = result.remainderPlans.length;
      printLine(
        `  ${step.stack}: applied${throttled > 0 ? `, after ${throttled} throttled apply run(s): what remained each time was part of the approved plan` : ""}`,
      );
      outcomes.push({ stack: step.stack, outcome: "applied" });
    } catch (error) {
      if (error instanceof RemainderNotApprovedError) {
        printLine(error.message);
        outcomes.push({ stack: step.stack, outcome: "stopped", detail: error.message });
        stopped = true;
        continue;
      }
      if (!(error instanceof TerraformError)) throw error;
      const explained = explainApplyFailure(step.stack, `${error.result.stderr}\n${error.result.stdout}`);
      printLine(explained ?? `${step.stack}: ${error.message}`);
      outcomes.push({ stack: step.stack, outcome: "stopped", detail: explained ?? error.message });
      stopped = true;
    }
  }
  if (values.json) printJson({ stacks: outcomes });
  const failed = outcomes.filter((outcome) => outcome.outcome === "stopped");
  printLine(
    failed.length === 0
      ? "Applied what was approved."
      : `Stopped: ${failed.map((outcome) => outcome.stack).join(", ")} not applied (see above).`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** A stack whose configuration is not the one planned: another commit or config since the plan. */
function configurationProblem(
  stackName: string,
  directory: string,
  saved: SavedPlans,
  stacks: ReadonlyMap<string, { readonly workingDirectory: string }>,
): string | undefined {
  const stack = stacks.get(stackName);
  if (!stack) return "not applied: the synthesized app no longer has this stack; run the deploy again";
  const plan = saved.stacks.find((entry) => entry.stack === stackName);
  if (!plan?.planFile || !existsSync(path.join(directory, plan.planFile))) {
    return `not applied: ${path.join(directory, plan?.planFile ?? `${stackName}.tfplan`)} is missing`;
  }
  const now = sha256OfFile(path.join(stack.workingDirectory, "cdk.tf.json"));
  if (plan.configurationSha256 !== now) {
    return "not applied: its synthesized configuration (cdk.tf.json) differs from the one planned (another commit or config since the plan); run the deploy again to plan and approve it";
  }
  return undefined;
}

if (require.main === module) runCli(toolName, main);
