/**
 * The repository settings the roles' trust relies on, read through GitHub's REST API
 * (https://docs.github.com/en/rest): what `npm run access -- github-check` reports, one line per missing item.
 * docs/repository-settings.md says why each one matters.
 */

import { listOf } from "../messages/alternatives";

/** What the config's access.github expects of the repository. */
interface ExpectedRepositorySettings {
  /** `owner/repo` */
  readonly repository: string;
  readonly defaultBranch: string;
  /** The protected environment deploy.yml runs in. */
  readonly environment: string;
  /** The id the trust policies match (access.github.repositoryId). @default - not pinned: reported */
  readonly repositoryId?: string;
}

interface GitHubResponse {
  readonly status: number;
  readonly body: unknown;
}

/** GET of one REST path (`/repos/...`), with the token and API version GitHub's docs give. */
type GitHubGet = (path: string) => Promise<GitHubResponse>;

class GitHubApiError extends Error {
  override readonly name = "GitHubApiError";
}

export function githubGet(baseUrl: string, token: string): GitHubGet {
  const base = baseUrl.replace(/\/+$/, "");
  return async (path) => {
    const response = await fetch(`${base}${path}`, {
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${token}`,
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "license-manager-org-github-check",
      },
    }).catch((error: Error) => {
      const cause = (error.cause as Error | undefined)?.message ?? error.message;
      throw new GitHubApiError(
        `GET ${base}${path}: cannot reach GitHub's API (GITHUB_API_URL ${base}): ${cause}`,
      );
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Kept as text: the error names the status and the start of the body.
    }
    return { status: response.status, body };
  };
}

/** The documented response shapes, as far as the check reads them. */
interface Repository {
  readonly id: number;
  readonly full_name: string;
  readonly default_branch: string;
}
interface Environment {
  readonly protection_rules?: readonly {
    readonly type: string;
    readonly prevent_self_review?: boolean;
    readonly reviewers?: readonly unknown[];
  }[];
  readonly deployment_branch_policy?: {
    readonly protected_branches: boolean;
    readonly custom_branch_policies: boolean;
  } | null;
}
interface BranchPolicies {
  readonly branch_policies: readonly { readonly name: string; readonly type?: "branch" | "tag" }[];
}
interface SubjectClaimTemplate {
  readonly use_default: boolean;
  readonly include_claim_keys?: readonly string[];
}

async function read<T>(get: GitHubGet, path: string, allowNotFound = false): Promise<T | undefined> {
  const { status, body } = await get(path);
  if (status === 200) return body as T;
  if (status === 404 && allowNotFound) return undefined;
  const message =
    typeof body === "object" && body !== null && "message" in body
      ? String((body as { message: unknown }).message)
      : String(body ?? "").slice(0, 200);
  const hint =
    status === 401
      ? " (GITHUB_TOKEN is not valid)"
      : status === 403 || status === 404
        ? " (the token cannot read it: it needs read access to the repository's administration, actions and environments)"
        : "";
  throw new GitHubApiError(`GET ${path}: HTTP ${status}: ${message}${hint}`);
}

const encode = (segment: string) => encodeURIComponent(segment);

/**
 * Every setting the trust policies rely on that the repository lacks, one line each (empty: all set):
 * the default branch the config names, the environment's deployment branches limited to it, its required
 * reviewers with self-review prevented, and GitHub's default OIDC subject template.
 */
export async function missingRepositorySettings(
  get: GitHubGet,
  expected: ExpectedRepositorySettings,
): Promise<string[]> {
  const missing: string[] = [];
  const { repository, defaultBranch, environment } = expected;
  const [owner, name] = repository.split("/").map(encode);
  const repoPath = `/repos/${owner}/${name}`;

  const repo = await read<Repository>(get, repoPath);
  // The claims carry the repository's name as GitHub spells it, and IAM compares them case-sensitively.
  if (repo && repo.full_name !== repository) {
    missing.push(
      `repository: GitHub spells it ${JSON.stringify(repo.full_name)}, the config ${JSON.stringify(repository)}; set access.github.repository to GitHub's spelling (tokens carry it, compared exactly)`,
    );
  }
  if (repo && expected.repositoryId === undefined) {
    missing.push(
      `repository id: the config does not pin it; set access.github.repositoryId: "${repo.id}" (the trust then refuses a repository created later under the same name)`,
    );
  } else if (repo && String(repo.id) !== expected.repositoryId) {
    missing.push(
      `repository id: the repository's is ${repo.id}, the config's access.github.repositoryId ${JSON.stringify(expected.repositoryId)}; the trust policies expect the config's: set it to "${repo.id}" if this is the repository`,
    );
  }
  if (repo && repo.default_branch !== defaultBranch) {
    missing.push(
      `default branch: the repository's is ${JSON.stringify(repo.default_branch)}, the config's access.github.defaultBranch ${JSON.stringify(defaultBranch)}; make them the same`,
    );
  }

  const environmentPath = `${repoPath}/environments/${encode(environment)}`;
  const settings = await read<Environment>(get, environmentPath, true);
  if (!settings) {
    missing.push(
      `environment ${JSON.stringify(environment)}: does not exist; create it (Settings → Environments) with required reviewers, self-review prevented and deployments from ${defaultBranch} only`,
    );
  } else {
    missing.push(...(await deploymentBranchProblems(get, environmentPath, repoPath, expected, settings)));
    const reviewers = (settings.protection_rules ?? []).find((rule) => rule.type === "required_reviewers");
    if (!reviewers || (reviewers.reviewers ?? []).length === 0) {
      missing.push(
        `environment ${JSON.stringify(environment)}: no required reviewers; add at least one (a deploy then waits for someone's approval)`,
      );
    } else if (reviewers.prevent_self_review !== true) {
      missing.push(
        `environment ${JSON.stringify(environment)}: prevent_self_review is off; turn on "Prevent self-review" (whoever triggered a deploy could approve it alone)`,
      );
    }
  }

  const template = await read<SubjectClaimTemplate>(get, `${repoPath}/actions/oidc/customization/sub`);
  if (template && template.use_default !== true) {
    const keys = template.include_claim_keys ?? [];
    missing.push(
      `OIDC subject claim: the repository does not use GitHub's default template (use_default false, ${
        keys.length > 0
          ? `include_claim_keys ${keys.join(", ")}`
          : "no keys of its own: the organization's template applies, if it has one"
      }); the trust policies expect the default subject (repo:${repository}:pull_request, repo:${repository}:environment:${environment}, …): PUT {"use_default": true} to /repos/${repository}/actions/oidc/customization/sub`,
    );
  }
  return missing;
}

async function deploymentBranchProblems(
  get: GitHubGet,
  environmentPath: string,
  repoPath: string,
  expected: ExpectedRepositorySettings,
  settings: Environment,
): Promise<string[]> {
  const { environment, defaultBranch } = expected;
  const label = `environment ${JSON.stringify(environment)}`;
  const policy = settings.deployment_branch_policy;
  if (!policy) {
    return [
      `${label}: every branch may deploy to it (no deployment branch policy); limit it to ${defaultBranch} (Deployment branches and tags: selected, ${defaultBranch} only)`,
    ];
  }
  if (policy.protected_branches) {
    // Any protected branch may deploy: the default branch must be the only one.
    const branches = await read<readonly { name: string }[]>(
      get,
      `${repoPath}/branches?protected=true&per_page=100`,
    );
    const others = (branches ?? []).map((branch) => branch.name).filter((branch) => branch !== defaultBranch);
    return others.length > 0
      ? [
          `${label}: deployments are allowed from every protected branch, and ${listOf(others, "protected branches")} ${others.length === 1 ? "is" : "are"} protected besides ${defaultBranch}; allow ${defaultBranch} only (selected branches)`,
        ]
      : [];
  }
  const { branch_policies: policies } = (await read<BranchPolicies>(
    get,
    `${environmentPath}/deployment-branch-policies?per_page=100`,
  )) ?? {
    branch_policies: [],
  };
  const others = policies.filter(
    (rule) => (rule.type ?? "branch") !== "branch" || rule.name !== defaultBranch,
  );
  if (others.length > 0) {
    return [
      `${label}: deployments are allowed from ${others.map((rule) => `${rule.type ?? "branch"} ${JSON.stringify(rule.name)}`).join(", ")} besides ${defaultBranch}; remove ${others.length === 1 ? "it" : "them"}`,
    ];
  }
  if (policies.length === 0) {
    return [`${label}: the selected deployment branches name none; add ${defaultBranch}`];
  }
  return [];
}
