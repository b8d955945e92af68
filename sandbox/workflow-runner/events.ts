import { mintGitHubActionsToken } from "../emulator/github-oidc-token";
import type { ExpressionObject } from "./expressions";

/** The event a run is for: what GitHub puts in the `github` context and in the job's OIDC token. */
export type WorkflowEvent =
  | { readonly name: "push"; readonly branch: string }
  | { readonly name: "pull_request"; readonly number: number; readonly headBranch: string }
  | { readonly name: "schedule" }
  | { readonly name: "workflow_dispatch"; readonly branch?: string };

export interface RepositoryIdentity {
  /** `owner/repo` */
  readonly repository: string;
  /** GitHub's numeric id of the repository. */
  readonly repositoryId: string;
  readonly defaultBranch: string;
}

/**
 * The ref a run is for (GitHub Docs, "Events that trigger workflows"): a push's branch, a pull request's merge
 * ref `refs/pull/<n>/merge`, and for a schedule the default branch.
 */
export function eventRef(event: WorkflowEvent, repository: RepositoryIdentity): string {
  switch (event.name) {
    case "push":
      return `refs/heads/${event.branch}`;
    case "pull_request":
      return `refs/pull/${event.number}/merge`;
    case "schedule":
      return `refs/heads/${repository.defaultBranch}`;
    case "workflow_dispatch":
      return `refs/heads/${event.branch ?? repository.defaultBranch}`;
  }
}

/** The branch `on.<event>.branches` filters by: a pull request's base (the default branch here). */
function filteredBranch(event: WorkflowEvent, repository: RepositoryIdentity): string {
  if (event.name === "pull_request") return repository.defaultBranch;
  return eventRef(event, repository).replace(/^refs\/heads\//, "");
}

const globToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split("**")
      .map((part) => part.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
      .join(".*")}$`,
  );

/**
 * Why the workflow's `on:` would not start a run for this event, or undefined. Branch filters (`branches`,
 * `branches-ignore`) are matched with `*` and `**`; other filters (paths, types, tags) are errors.
 */
export function triggerProblem(
  on: unknown,
  event: WorkflowEvent,
  repository: RepositoryIdentity,
): string | undefined {
  const triggers: Record<string, unknown> =
    typeof on === "string"
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((name: string) => [name, null]))
        : ((on ?? {}) as Record<string, unknown>);
  if (!(event.name in triggers)) {
    return `on: has no \`${event.name}\` trigger (it has ${Object.keys(triggers).join(", ") || "none"})`;
  }
  const filters = (triggers[event.name] ?? {}) as Record<string, unknown>;
  if (event.name === "schedule" || event.name === "workflow_dispatch") return undefined;
  const unsupported = Object.keys(filters).filter((key) => key !== "branches" && key !== "branches-ignore");
  if (unsupported.length > 0) {
    return `on.${event.name} filters by ${unsupported.join(", ")}, which this runner does not evaluate`;
  }
  const branch = filteredBranch(event, repository);
  const matches = (patterns: unknown) => (patterns as string[]).some((p) => globToRegExp(p).test(branch));
  if (filters.branches !== undefined && !matches(filters.branches)) {
    return `on.${event.name}.branches (${(filters.branches as string[]).join(", ")}) does not match ${branch}`;
  }
  if (filters["branches-ignore"] !== undefined && matches(filters["branches-ignore"])) {
    return `on.${event.name}.branches-ignore matches ${branch}`;
  }
  return undefined;
}

export interface RunIdentity {
  readonly runId: string;
  readonly sha: string;
  readonly workflowFile: string;
  readonly workflowName: string;
}

/** The `github` context of a run (GitHub Docs, "Contexts reference", github context), the fields used here. */
export function githubContext(
  event: WorkflowEvent,
  repository: RepositoryIdentity,
  run: RunIdentity,
  job: string,
): ExpressionObject {
  const ref = eventRef(event, repository);
  const [owner] = repository.repository.split("/");
  const payload: ExpressionObject =
    event.name === "pull_request"
      ? {
          number: event.number,
          pull_request: {
            number: event.number,
            head: { ref: event.headBranch },
            base: { ref: repository.defaultBranch },
          },
        }
      : {};
  return {
    event_name: event.name,
    event: payload,
    ref,
    ref_name: event.name === "pull_request" ? `${event.number}/merge` : ref.replace(/^refs\/heads\//, ""),
    ref_type: "branch",
    head_ref: event.name === "pull_request" ? event.headBranch : "",
    base_ref: event.name === "pull_request" ? repository.defaultBranch : "",
    repository: repository.repository,
    repository_id: repository.repositoryId,
    repository_owner: owner,
    run_id: run.runId,
    run_number: "1",
    run_attempt: "1",
    sha: run.sha,
    workflow: run.workflowName,
    workflow_ref: `${repository.repository}/.github/workflows/${run.workflowFile}@${ref}`,
    job,
    actor: "sandbox",
    server_url: "https://github.com",
    api_url: "https://api.github.com",
    token: "",
  };
}

/**
 * The OIDC token GitHub would give this job (GitHub Docs, "OpenID Connect reference"): `sub` in GitHub's default
 * subject template (a job of an environment is `…:environment:<name>`, whatever the event; else a pull request
 * is `…:pull_request`, others `…:ref:<ref>`), `ref`, `job_workflow_ref` (the workflow file at the run's ref:
 * a branch's copy names its branch), `environment`, `repository_id`, `event_name` and `workflow`.
 */
export function jobToken(
  event: WorkflowEvent,
  repository: RepositoryIdentity,
  run: RunIdentity,
  environment: string | undefined,
  audience: string,
): string {
  const ref = eventRef(event, repository);
  return mintGitHubActionsToken({
    repository: repository.repository,
    repositoryId: repository.repositoryId,
    context:
      environment !== undefined
        ? { environment }
        : event.name === "pull_request"
          ? { pullRequest: true }
          : { ref },
    ref,
    workflowFile: run.workflowFile,
    audience,
    claims: { event_name: event.name, workflow: run.workflowName, run_id: run.runId, sha: run.sha },
  });
}
