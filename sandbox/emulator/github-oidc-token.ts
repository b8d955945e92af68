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
  /** Extra or overriding claims, e.g. { sub: "repo:other/repo:pull_request" }. */
  claims?: Record<string, unknown>;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A token shaped like the one a GitHub Actions job gets from its OIDC endpoint, for the sandbox's
 * AssumeRoleWithWebIdentity: the claims are GitHub's, the signature is not (the sandbox does not verify it).
 */
export function mintGitHubActionsToken(options: GitHubActionsTokenOptions): string {
  const now = Math.floor(Date.now() / 1000);
  const [owner] = options.repository.split("/");
  const claims: Record<string, unknown> = {
    iss: GITHUB_ACTIONS_ISSUER,
    aud: options.audience ?? STS_AUDIENCE,
    sub: githubSubject(options.repository, options.context),
    repository: options.repository,
    repository_owner: owner,
    actor: "sandbox",
    event_name: "pullRequest" in options.context ? "pull_request" : "push",
    ref: "ref" in options.context ? options.context.ref : "refs/heads/main",
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
