import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import pLimit from "p-limit";
import { readStacksInOrder, type ManifestStack } from "../lib/cdktf/manifest";
import { analyzeStackPlan } from "../lib/review/analyze";
import { combineReviews, type StackReview } from "../lib/review/model";
import { parsePlanJson } from "../lib/terraform/plan-json";
import { renderReview } from "../lib/review/render";
import { planExitCode, summarizeReview } from "../lib/review/summary";
import { readOnlyRole, stackRoleArn, synthesisDirectory, type AccessRole } from "../lib/access/stack-roles";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { readLiveFacts } from "../lib/review/read-live";
import {
  savedPlansFile,
  sha256OfFile,
  type SavedPlans,
  type SavedStackPlan,
} from "../lib/terraform/saved-plans";
import { synthesize, Terraform } from "../lib/terraform/terraform";
import { stacksPlannedAtOnce } from "../lib/tuning";
import {
  parseToolOptions,
  printJson,
  printLine,
  runCli,
  selectStacks,
  stackToolOptions,
  UsageError,
} from "./cli";

const toolName = "plan";

const usage = `Usage: npm run plan -- [--out DIR] [--save DIR] [--stack NAME]... [--role ROLE] [--json] [--skip-synth]

Synthesizes the app once (as cdktf synth does; LM_CONFIG selects the config), then plans every stack without
taking the state lock (-lock=false: the plan role writes nothing), as many at once as there are CPU cores (plan -out, and show -json where the plan changes something or Terraform found
changes made outside it, in <synthesis dir>/stacks/<stack>; terraform init first only where Terraform asks for
it), and writes a review, stacks in dependency order:
risk flags first (trusted access disabled or newly enabled, organization destroyed, License Manager settings
turned off, license configurations replaced or limits lowered, delegated administrator removed, state backend
changed), then per stack the counts and each changed resource with its construct path (a replacement with
the attributes that force it). For a hard limit the plan lowers, the review names the licenses in use now
(GetLicenseConfiguration's ConsumedLicenses, read with the stack's role) and flags a new count below them.

Options:
  --out DIR        Where the plans and the review go (default plans/): <stack>.tfplan, <stack>.plan.json (not
                   for a clean plan), <stack>.log, review.md (cut to fit a GitHub comment), review-full.md,
                   summary.json. The .tfplan and .plan.json files hold the prior state: share only review*.md
                   and summary.json
  --save DIR       Also keep the saved plans for npm run apply -- DIR: <stack>.tfplan and saved-plans.json
                   (order, outcome, outputs changed, configuration hash). Needs a role whose synthesis the
                   deploy applies: none or deploy, not plan
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

const options = {
  ...stackToolOptions,
  out: { type: "string", default: "plans" },
  save: { type: "string" },
} as const;

const projectRoot = path.resolve(__dirname, "..");

/** In GitHub Actions, a link to the run whose artifact holds the plans. */
function artifactHint(env: NodeJS.ProcessEnv): string {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return server && repository && runId
    ? `the \`plans\` artifact of [this workflow run](${server}/${repository}/actions/runs/${runId})`
    : "the plans/ directory";
}

async function planStack(
  stack: ManifestStack,
  outDirectory: string,
  roleArn: string | undefined,
): Promise<StackReview> {
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
    const plan = parsePlanJson(json, `${stack.name} plan`);
    return analyzeStackPlan(stack.name, plan, synthesized, await readLiveFacts(plan, roleArn));
  } catch (error) {
    return { stack: stack.name, status: "failed", error: (error as Error).message };
  }
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const outDirectory = path.resolve(values.out);
  mkdirSync(outDirectory, { recursive: true });

  const config = loadConfig(configFileFromEnvironment());
  const role = readOnlyRole(config, values.role ?? process.env.LM_ROLE);
  if (values.save !== undefined && role === "plan") {
    throw new UsageError(
      "--save: the stacks are synthesized for the plan role (LM_ROLE/--role plan), whose backend the deploy cannot apply with; expected --role none (GitHub Actions) or --role deploy",
    );
  }
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
        const review = await planStack(stack, outDirectory, stackRoleArn(config, stack.name, role));
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

  if (values.save !== undefined) savePlans(path.resolve(values.save), outDirectory, stacks, reviews, role);
  for (const flag of review.risks) printLine(`RISK ${flag.stack} ${flag.address}: ${flag.reason}`);
  printLine(
    `Review written to ${path.join(values.out, "review.md")}${cut.truncated ? " (cut to fit a GitHub comment)" : ""}.`,
  );
  if (values.json) printJson(summary);
  return planExitCode(review);
}

/** Copies the plan files to DIR with saved-plans.json, for npm run apply -- DIR (lib/terraform/saved-plans.ts). */
function savePlans(
  saveDirectory: string,
  outDirectory: string,
  stacks: readonly ManifestStack[],
  reviews: readonly StackReview[],
  role: AccessRole,
): void {
  rmSync(saveDirectory, { recursive: true, force: true });
  mkdirSync(saveDirectory, { recursive: true });
  const saved: SavedStackPlan[] = stacks.map((stack, index) => {
    const review = reviews[index] as StackReview;
    const base = { stack: stack.name, dependencies: stack.dependencies, status: review.status };
    if (review.status === "failed") return { ...base, outputChanges: [] };
    const planFile = `${stack.name}.tfplan`;
    copyFileSync(path.join(outDirectory, planFile), path.join(saveDirectory, planFile));
    return {
      ...base,
      planFile,
      configurationSha256: sha256OfFile(path.join(stack.workingDirectory, "cdk.tf.json")),
      outputChanges: review.outputChanges.map((output) => output.name),
    };
  });
  const manifest: SavedPlans = {
    formatVersion: 1,
    config: process.env.LM_CONFIG ?? "config/sandbox.yaml",
    role,
    stacks: saved,
  };
  writeFileSync(path.join(saveDirectory, savedPlansFile), `${JSON.stringify(manifest, null, 2)}\n`);
  printLine(`Saved plans for npm run apply -- ${path.relative(process.cwd(), saveDirectory) || "."}`);
}

if (require.main === module) runCli(toolName, main);
