import { randomUUID } from "node:crypto";

export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/**
 * The `sub` claim GitHub gives a job (GitHub Docs, "About security hardening with OpenID Connect"): a job of an
 * environment, of a pull request, or of a branch or tag ref.
 */
export type GitHubJobContext = { environment: string } | { pullRequest: true } | { ref: string };

export function githubSubject(repository: string, context: GitHubJobContext): string {
  if ("environment" in context) return `repo:${repository}:environment:${context.environment}`;
  if ("pullRequest" in context) return `repo:${repository}:pull_request`;
  return `repo:${repository}:ref:${context.ref}`;
}

export interface GitHubActionsTokenOptions {
  repository: string;
  context: GitHubJobContext;
  /** @default "sts.amazonaws.com" */
  audience?: string;
  /** @default 300 (GitHub's tokens last minutes) */
  expiresInSeconds?: number;
  /**
   * The workflow file the job runs (`job_workflow_ref`, `workflow_ref`: `<repo>/.github/workflows/<file>@<ref>`).
   * @default "ci.yml"
   */
  workflowFile?: string;
  /**
   * The ref the run is for: a pull request's `refs/pull/<n>/merge`, a branch's `refs/heads/<name>`. @default -
   * the context's ref, `refs/pull/1/merge` for a pull request, `refs/heads/main` for an environment's job
   */
  ref?: string;
  /** `repository_id`, GitHub's id of the repository (a string of digits in the token). @default - none */
  repositoryId?: string;
  /** Extra or overriding claims, e.g. { sub: "repo:other/repo:pull_request" }. */
  claims?: Record<string, unknown>;
}

function refOf(options: GitHubActionsTokenOptions): string {
  if (options.ref !== undefined) return options.ref;
  if ("ref" in options.context) return options.context.ref;
  return "pullRequest" in options.context ? "refs/pull/1/merge" : "refs/heads/main";
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A token shaped like the one a GitHub Actions job gets from its OIDC endpoint (claims: GitHub Docs, "OpenID
 * Connect reference", https://docs.github.com/en/actions/reference/security/oidc), for the sandbox's
 * AssumeRoleWithWebIdentity: the claims are GitHub's, the signature is not (the sandbox does not verify it).
 */
export function mintGitHubActionsToken(options: GitHubActionsTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const [owner] = options.repository.split("/");
  const ref = refOf(options);
  const workflowRef = `${options.repository}/.github/workflows/${options.workflowFile ?? "ci.yml"}@${ref}`;
  const claims: Record<string, unknown> = {
    iss: GITHUB_ACTIONS_ISSUER,
    aud: options.audience ?? STS_AUDIENCE,
    sub: githubSubject(options.repository, options.context),
    repository: options.repository,
    ...(options.repositoryId !== undefined && { repository_id: options.repositoryId }),
    repository_owner: owner,
    actor: "sandbox",
    event_name: "pullRequest" in options.context ? "pull_request" : "push",
    ref,
    ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch",
    // A job that calls no reusable workflow: job_workflow_ref names the workflow file itself.
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
    ...("environment" in options.context ? { environment: options.context.environment } : {}),
    jti: randomUUID(),
    iat: now,
    nbf: now,
    exp: now + (options.expiresInSeconds ?? 300),
    ...options.claims,
  };
  const header = { typ: "JWT", alg: "none", kid: "sandbox" };
  return `${base64url(header)}.${base64url(claims)}.${Buffer.from("sandbox-unsigned").toString("base64url")}`;
}
