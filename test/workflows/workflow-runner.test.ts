import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readWebIdentityToken } from "../../sandbox/emulator/services/sts-web-identity";
import { jobToken, type RepositoryIdentity } from "../../sandbox/workflow-runner/events";
import {
  condition,
  evaluate,
  substitute,
  type ExpressionScope,
} from "../../sandbox/workflow-runner/expressions";
import { runWorkflow, type WorkflowRunOptions } from "../../sandbox/workflow-runner/runner";

const repository: RepositoryIdentity = {
  repository: "example-org/license-manager-org",
  repositoryId: "1296269",
  defaultBranch: "main",
};
const root = mkdtempSync(path.join(tmpdir(), "workflow-runner-"));
const source = path.join(root, "source");
execFileSync("bash", [
  "-ec",
  `mkdir -p ${source} && cd ${source} && git init -q && echo hello > greeting.txt && git add . && ` +
    "git -c user.name=t -c user.email=t@example.com commit -qm one",
]);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes a workflow and runs it for a push to main, with a machine environment that has AWS keys. */
function run(yaml: string, options: Partial<WorkflowRunOptions> = {}) {
  counter += 1;
  const file = path.join(root, `workflow-${counter}.yml`);
  writeFileSync(file, yaml);
  return runWorkflow({
    workflowFile: file,
    event: { name: "push", branch: "main" },
    repository,
    vars: { LM_CONFIG: "config/e2e.yaml" },
    sourceDirectory: source,
    workDirectory: path.join(root, `run-${counter}`),
    machineEnvironment: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_ACCESS_KEY_ID: "AKIAMACHINE" },
    log: () => undefined,
    ...options,
  });
}

const scope = (overrides: Partial<ExpressionScope> = {}): ExpressionScope => ({
  contexts: {
    vars: { SET: "value" },
    github: { event: { pull_request: { number: 7 } }, ref: "refs/heads/main" },
    steps: { plan: { outputs: { "exit-code": "2" } } },
  },
  status: "success",
  workspace: source,
  ...overrides,
});

describe("expressions", () => {
  it("substitute contexts, defaults with ||, comparisons and functions as GitHub does", () => {
    expect(
      substitute("${{ vars.SET || 'x' }}/${{ vars.MISSING || 'config/production.yaml' }}", scope()),
    ).toBe("value/config/production.yaml");
    expect(substitute("plan-${{ github.event.pull_request.number }}", scope())).toBe("plan-7");
    expect(
      evaluate("steps.plan.outputs.exit-code != '0' && steps.plan.outputs.exit-code != '2'", scope()),
    ).toBe(false);
    expect(evaluate("steps.plan.outputs['exit-code'] == 2", scope())).toBe(true);
    expect(evaluate("startsWith(github.ref, 'REFS/heads/') && !contains('abc', 'd')", scope())).toBe(true);
    expect(evaluate("format('{0}-{1}', 'a', 1)", scope())).toBe("a-1");
    expect(evaluate("hashFiles('greeting.txt') != '' && hashFiles('missing.txt') == ''", scope())).toBe(true);
  });

  it("add success() to a condition without a status function, and honour always() and failure()", () => {
    const failed = scope({ status: "failure" });
    expect(condition(undefined, failed)).toBe(false);
    expect(condition("steps.plan.outputs.exit-code == '2'", failed)).toBe(false);
    expect(condition("${{ always() && steps.plan.outputs.exit-code == '2' }}", failed)).toBe(true);
    expect(condition("failure()", failed)).toBe(true);
    expect(condition("failure()", scope())).toBe(false);
  });

  it("refuse what they cannot evaluate, naming the expression, instead of guessing", () => {
    expect(() => evaluate("secrets.TOKEN", scope())).toThrow(
      "the context `secrets` is not available to this runner (expression `secrets.TOKEN`; available: vars, github, steps)",
    );
    expect(() => evaluate("toUpper('a')", scope())).toThrow(
      "the function `toUpper()` is not supported by this runner (expression `toUpper('a')`)",
    );
    expect(() => evaluate("hashFiles('**/*.json')", scope())).toThrow("only plain file paths are supported");
    expect(() => evaluate("vars.SET ==", scope())).toThrow(
      "expected a value, found end in the expression `vars.SET ==`",
    );
  });
});

describe("the workflow runner", () => {
  it("refuses, before running anything, an unknown action, an unsupported job key and a job that does not exist, all at once", async () => {
    const marker = path.join(root, "ran-anything");
    await expect(
      run(
        [
          "on: push",
          "jobs:",
          "  a:",
          "    runs-on: ubuntu-latest",
          "    strategy: { matrix: { x: [1] } }",
          "    steps:",
          `      - run: touch ${marker}`,
          "      - uses: actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9",
        ].join("\n"),
        { jobs: ["a", "b"] },
      ),
    ).rejects.toThrow(
      [
        "cannot run here:",
        "  * jobs.b: no such job (jobs: a)",
        "  * jobs.a.strategy: not supported by this runner",
        "  * jobs.a.steps[1].uses: actions/cache@0c45773b623bea8c8e75f6c82b208c3cf94ea4f9 has no local equivalent (known: " +
          "actions/checkout, actions/setup-node, hashicorp/setup-terraform, aws-actions/configure-aws-credentials, " +
          "actions/upload-artifact, actions/download-artifact, actions/github-script)",
      ].join("\n"),
    );
    expect(() => readFileSync(marker)).toThrow();
  });

  it("refuses an event the workflow's on: does not take (a push to a branch for on.push.branches [main])", async () => {
    await expect(
      run(
        "on:\n  push:\n    branches: [main]\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: 'true'\n",
        {
          event: { name: "push", branch: "feature" },
        },
      ),
    ).rejects.toThrow("on.push.branches (main) does not match feature");
    await expect(
      run("on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: 'true'\n"),
    ).rejects.toThrow("on: has no `push` trigger (it has pull_request)");
  });

  it("stops a job at its first failing step: later steps are skipped unless their if: asks for always() or failure()", async () => {
    const result = await run(
      [
        "on: push",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - id: first",
        '        run: echo code=3 >> "$GITHUB_OUTPUT"',
        "      - name: fails",
        "        run: |",
        "          false",
        "          echo never",
        "      - name: skipped",
        "        run: echo should not run",
        "      - name: on failure",
        "        if: failure() && steps.first.outputs.code == '3'",
        "        run: echo cleanup",
        "  b:",
        "    needs: a",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - run: echo b",
      ].join("\n"),
    );
    expect(result.jobs.a.steps.map((step) => [step.name, step.outcome])).toEqual([
      ['Run echo code=3 >> "$GITHUB_OUTPUT"', "success"],
      ["fails", "failure"],
      ["skipped", "skipped"],
      ["on failure", "success"],
    ]);
    expect(result.jobs.a.steps[1].error).toBe("exit code 1");
    expect(readFileSync(result.jobs.a.steps[1].logFile!, "utf8")).not.toContain("never");
    expect(result.jobs.a.result).toBe("failure");
    expect(result.jobs.b.result).toBe("skipped");
  });

  it("gives a step the machine's environment without its AWS credentials, then workflow < job < GITHUB_ENV < step env", async () => {
    const result = await run(
      [
        "on: push",
        "env:",
        "  LEVEL: workflow",
        "  WORKFLOW_ONLY: ${{ vars.LM_CONFIG }}",
        "  OVERRIDDEN_BY_EXPORT: workflow",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    env:",
        "      LEVEL: job",
        "      FROM_WORKFLOW: ${{ env.WORKFLOW_ONLY }}",
        "    steps:",
        '      - run: echo OVERRIDDEN_BY_EXPORT=exported >> "$GITHUB_ENV"',
        "      - id: show",
        "        env:",
        "          STEP: ${{ env.LEVEL }}-step",
        "        run: |",
        "          {",
        '            echo "level=$LEVEL"',
        '            echo "step=$STEP"',
        '            echo "from-workflow=$FROM_WORKFLOW"',
        '            echo "exported=$OVERRIDDEN_BY_EXPORT"',
        '            echo "aws=${AWS_ACCESS_KEY_ID:-none}"',
        '            echo "ref=$GITHUB_REF"',
        '          } >> "$GITHUB_OUTPUT"',
      ].join("\n"),
    );
    expect(result.jobs.a.steps[1].outputs).toEqual({
      level: "job",
      step: "job-step",
      "from-workflow": "config/e2e.yaml",
      exported: "exported",
      aws: "none",
      ref: "refs/heads/main",
    });
  });

  it("runs jobs after what they need, passing job outputs and artifacts, with checkout copying the working tree", async () => {
    const result = await run(
      [
        "on: push",
        "jobs:",
        "  second:",
        "    needs: first",
        "    runs-on: ubuntu-latest",
        "    steps:",
        "      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093",
        "        with: { name: plans, path: got }",
        "      - id: read",
        '        run: echo "text=$(cat got/plan.txt) ${{ needs.first.outputs.word }}" >> "$GITHUB_OUTPUT"',
        "  first:",
        "    runs-on: ubuntu-latest",
        "    outputs:",
        "      word: ${{ steps.say.outputs.word }}",
        "    steps:",
        "      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
        "      - id: say",
        "        run: |",
        "          mkdir -p plans && cp greeting.txt plans/plan.txt",
        '          echo word=world >> "$GITHUB_OUTPUT"',
        "      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02",
        "        with: { name: plans, path: plans/ }",
      ].join("\n"),
    );
    expect(Object.keys(result.jobs)).toEqual(["first", "second"]);
    expect(result.jobs.first.outputs).toEqual({ word: "world" });
    expect(result.jobs.second.steps[1].outputs).toEqual({ text: "hello world" });
  });

  it("names a job's environment from what it needs (deploy.yml's config job), in its token's claims", async () => {
    const result = await run(
      [
        "on: push",
        "jobs:",
        "  config:",
        "    runs-on: ubuntu-latest",
        "    outputs:",
        "      environment: ${{ steps.read.outputs.environment }}",
        "    steps:",
        "      - id: read",
        '        run: echo environment=staging >> "$GITHUB_OUTPUT"',
        "  deploy:",
        "    needs: config",
        "    runs-on: ubuntu-latest",
        "    environment: ${{ needs.config.outputs.environment }}",
        "    permissions: { id-token: write }",
        "    steps:",
        "      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
        "        with: { role-to-assume: 'arn:aws:iam::111111111111:role/Deploy', aws-region: us-east-1 }",
      ].join("\n"),
      {
        // No STS here: the call fails fast, after the token was minted.
        machineEnvironment: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9",
          AWS_MAX_ATTEMPTS: "1",
        },
      },
    );
    const claims = readWebIdentityToken(result.jobs.deploy.idToken!);
    expect(claims).toMatchObject({
      environment: "staging",
      sub: "repo:example-org/license-manager-org:environment:staging",
    });
  });

  it("replaces a run script only as told, says so, and refuses a replacement no step uses", async () => {
    const yaml = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - id: ci\n        run: npm ci\n";
    const result = await run(yaml, { replaceRunSteps: { "npm ci": "echo linked > linked.txt" } });
    expect(result.jobs.a.steps[0]).toMatchObject({
      outcome: "success",
      replacedBy: "echo linked > linked.txt",
    });
    await expect(run(yaml, { replaceRunSteps: { "npm ci": "true", "npm test": "true" } })).rejects.toThrow(
      "replaceRunSteps: no step runs `npm test`",
    );
  });

  it("gives no OIDC token to a job without id-token: write: configure-aws-credentials fails there", async () => {
    const result = await run(
      [
        "on: push",
        "jobs:",
        "  a:",
        "    runs-on: ubuntu-latest",
        "    permissions: { contents: read }",
        "    steps:",
        "      - uses: aws-actions/configure-aws-credentials@e3dd6a429d7300a6a4c196c26e071d42e0343502",
        "        with: { role-to-assume: 'arn:aws:iam::111111111111:role/Plan', aws-region: us-east-1 }",
        "      - run: echo after",
      ].join("\n"),
    );
    expect(result.jobs.a.steps.map((step) => [step.outcome, step.error])).toEqual([
      ["failure", "the job has no permissions: id-token: write"],
      ["skipped", undefined],
    ]);
  });
});

describe("the job's OIDC token", () => {
  const run = { runId: "1", sha: "abc", workflowFile: "deploy.yml", workflowName: "deploy" };
  const claims = (token: string) => readWebIdentityToken(token);

  it("a pull request's job: sub …:pull_request, ref and job_workflow_ref on the merge ref", () => {
    expect(
      claims(
        jobToken(
          { name: "pull_request", number: 12, headBranch: "feature" },
          repository,
          { ...run, workflowFile: "plan.yml" },
          undefined,
          "sts.amazonaws.com",
        ),
      ),
    ).toMatchObject({
      sub: "repo:example-org/license-manager-org:pull_request",
      ref: "refs/pull/12/merge",
      job_workflow_ref: "example-org/license-manager-org/.github/workflows/plan.yml@refs/pull/12/merge",
      repository_id: "1296269",
      event_name: "pull_request",
    });
  });

  it("an environment's job on a branch: sub names the environment, ref and job_workflow_ref the branch", () => {
    expect(
      claims(
        jobToken({ name: "push", branch: "feature" }, repository, run, "production", "sts.amazonaws.com"),
      ),
    ).toMatchObject({
      sub: "repo:example-org/license-manager-org:environment:production",
      environment: "production",
      ref: "refs/heads/feature",
      job_workflow_ref: "example-org/license-manager-org/.github/workflows/deploy.yml@refs/heads/feature",
      event_name: "push",
    });
  });

  it("a scheduled job: the default branch's ref", () => {
    expect(
      claims(
        jobToken(
          { name: "schedule" },
          repository,
          { ...run, workflowFile: "drift.yml" },
          undefined,
          "sts.amazonaws.com",
        ),
      ),
    ).toMatchObject({
      sub: "repo:example-org/license-manager-org:ref:refs/heads/main",
      job_workflow_ref: "example-org/license-manager-org/.github/workflows/drift.yml@refs/heads/main",
      event_name: "schedule",
    });
  });
});
