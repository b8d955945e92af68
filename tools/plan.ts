import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import pLimit from "p-limit";
import { readStacksInOrder, type ManifestStack } from "../lib/cdktf/manifest";
import { analyzeStackPlan } from "../lib/review/analyze";
import { combineReviews, type StackReview } from "../lib/review/model";
import { parsePlanJson } from "../lib/terraform/plan-json";
import { renderReview } from "../lib/review/render";
import { planExitCode, summarizeReview } from "../lib/review/summary";
import { readOnlyRole, synthesisDirectory } from "../lib/access/stack-roles";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { synthesize, Terraform } from "../lib/terraform/terraform";
import { stacksPlannedAtOnce } from "../lib/tuning";
import { parseToolOptions, printJson, printLine, runCli, selectStacks, stackToolOptions } from "./cli";

const toolName = "plan";

const usage = `Usage: npm run plan -- [--out DIR] [--stack NAME]... [--role ROLE] [--json] [--skip-synth]

Synthesizes the app once (as cdktf synth does; LM_CONFIG selects the config), then plans every stack without
taking the state lock (-lock=false: the plan role writes nothing), as many at once as there are CPU cores (plan -out, and show -json where the plan changes something or Terraform found
changes made outside it, in <synthesis dir>/stacks/<stack>; terraform init first only where Terraform asks for
it), and writes a review, stacks in dependency order:
risk flags first (trusted access disabled, organization destroyed, License Manager settings turned off,
license configurations replaced or limits lowered, delegated administrator removed, state backend
changed), then per stack the counts and each changed resource with its construct path.

Options:
  --out DIR        Where the plans and the review go (default plans/): <stack>.tfplan, <stack>.plan.json (not
                   for a clean plan), <stack>.log, review.md (cut to fit a GitHub comment), review-full.md,
                   summary.json
  --stack NAME     Plan only this stack (repeatable); the others are not planned
  --role ROLE      The role every stack assumes: plan (default when the config has planRoleArn), deploy,
                   or none (the credentials as they are, e.g. GitHub Actions' OIDC role); default LM_ROLE.
                   The plan role's stacks are synthesized into cdktf.plan.out, the others into cdktf.out
  --json           Print the summary (changes, failures, risk flags, counts per stack) as JSON on stdout
  --skip-synth     Use the synthesis directory as it is (already synthesized with the same config)
  -h, --help       Show this help

A stack that cannot be planned (e.g. one whose dependency is not applied yet) is reported as failed in
the review; the other stacks are still planned.
Exit codes: 0 no changes, 2 changes, 1 error (including a stack that could not be planned).`;

const options = { ...stackToolOptions, out: { type: "string", default: "plans" } } as const;

const projectRoot = path.resolve(__dirname, "..");

/** In GitHub Actions, a link to the run whose artifact holds the plans. */
function artifactHint(env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId
    ? `the \`plans\` artifact of [this workflow run](${server}/${repository}/actions/runs/${runId})`
    : "the plans/ directory";
}

async function planStack(stack: ManifestStack, outDirectory: string): Promise<StackReview> {
  const logFile = path.join(outDirectory, `${stack.name}.log`);
  const planFile = path.join(outDirectory, `${stack.name}.tfplan`);
  // Read-only: no state lock (the plan role may not write one).
  const terraform = new Terraform(stack.workingDirectory, { env: process.env, logFile, planLock: false });
  try {
    const synthesized = JSON.parse(readFileSync(path.join(stack.workingDirectory, "cdk.tf.json"), "utf8"));
    // A plan with no change and nothing changed outside Terraform has nothing to review: no `terraform show
    // -json` of it (the provider started once more, ~2 s per stack), no <stack>.plan.json.
    if (await terraform.planIsClean(planFile)) {
      return analyzeStackPlan(stack.name, { format_version: "1.2", resource_changes: [] }, synthesized);
    }
    const json = await terraform.showJson(planFile);
    writeFileSync(path.join(outDirectory, `${stack.name}.plan.json`), json);
    return analyzeStackPlan(stack.name, parsePlanJson(json, `${stack.name} plan`), synthesized);
  } catch (error) {
    return { stack: stack.name, status: "failed", error: (error as Error).message };
  }
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const outDirectory = path.resolve(values.out);
  mkdirSync(outDirectory, { recursive: true });

  const role = readOnlyRole(loadConfig(configFileFromEnvironment()), values.role ?? process.env.LM_ROLE);
  const synthesisDir = synthesisDirectory(role);
  if (!values["skip-synth"]) {
    printLine(
      `Synthesizing (${process.env.LM_CONFIG ?? "config/sandbox.yaml"}, ${role} role, ${synthesisDir})…`,
    );
    await synthesize(projectRoot, process.env, path.join(outDirectory, "synth.log"), {
      role,
      outputDirectory: synthesisDir,
    });
  }
  const stacks = selectStacks(readStacksInOrder(path.join(projectRoot, synthesisDir)), values.stack);

  // Plans run at once (lib/tuning.ts says how many and why); the review keeps the manifest's order.
  const limit = pLimit(stacksPlannedAtOnce());
  const reviews: StackReview[] = await Promise.all(
    stacks.map((stack) =>
      limit(async () => {
        rmSync(path.join(outDirectory, `${stack.name}.log`), { force: true });
        rmSync(path.join(outDirectory, `${stack.name}.plan.json`), { force: true });
        printLine(`Planning ${stack.name}…`);
        const review = await planStack(stack, outDirectory);
        printLine(
          review.status === "failed"
            ? `  ${stack.name}: plan failed (see ${path.join(values.out, `${stack.name}.log`)})`
            : `  ${stack.name}: ${review.status === "changes" ? `${review.resources.length} resource change(s), ${review.risks.length} risk flag(s)` : "no changes"}`,
        );
        return review;
      }),
    ),
  );

  const review = combineReviews(reviews);
  const subtitle = `Config \`${process.env.LM_CONFIG ?? "config/sandbox.yaml"}\` · ${reviews.length} stack(s)`;
  const cut = renderReview(review, { subtitle, artifactHint: artifactHint(process.env) });
  const full = renderReview(review, { subtitle, maxLength: Number.MAX_SAFE_INTEGER });
  writeFileSync(path.join(outDirectory, "review.md"), cut.markdown);
  writeFileSync(path.join(outDirectory, "review-full.md"), full.markdown);
  const summary = {
    ...summarizeReview(review),
    review: path.join(values.out, "review.md"),
    truncated: cut.truncated,
  };
  writeFileSync(path.join(outDirectory, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);

  for (const flag of review.risks) printLine(`RISK ${flag.stack} ${flag.address}: ${flag.reason}`);
  printLine(
    `Review written to ${path.join(values.out, "review.md")}${cut.truncated ? " (cut to fit a GitHub comment)" : ""}.`,
  );
  if (values.json) printJson(summary);
  return planExitCode(review);
}

if (require.main === module) runCli(toolName, main);
