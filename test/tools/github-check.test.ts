import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { githubGet, missingRepositorySettings } from "../../lib/github/repository-settings";
import { runTool } from "./run-tool";

/**
 * A stand-in for the GitHub REST endpoints github-check reads, answering with the shapes GitHub's REST docs
 * give: "Get a repository", "Get an environment", "List deployment branch policies", "List branches",
 * "Get the customization template for an OIDC subject claim for a repository".
 */
const repository = "example-org/license-manager-org";
const base = `/repos/${repository}`;

type Routes = Record<string, { status?: number; body: unknown }>;

const goodRoutes = (): Routes => ({
  [base]: {
    body: { id: 1296269, name: "license-manager-org", full_name: repository, default_branch: "main" },
  },
  [`${base}/environments/production`]: {
    body: {
      id: 161088068,
      name: "production",
      protection_rules: [
        { id: 3736, type: "wait_timer", wait_timer: 30 },
        {
          id: 3755,
          type: "required_reviewers",
          prevent_self_review: true,
          reviewers: [{ type: "Team", reviewer: { id: 1, slug: "platform" } }],
        },
        { id: 3756, type: "branch_policy" },
      ],
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    },
  },
  [`${base}/environments/production/deployment-branch-policies?per_page=100`]: {
    body: { total_count: 1, branch_policies: [{ id: 361471, name: "main", type: "branch" }] },
  },
  [`${base}/actions/oidc/customization/sub`]: { body: { use_default: true } },
});

let server: Server;
let routes: Routes = goodRoutes();
const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
let apiUrl = "";
let home = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? "", headers: request.headers });
    const route = routes[request.url ?? ""] ?? {
      status: 404,
      body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
    };
    response.writeHead(route.status ?? 200, { "Content-Type": "application/json" });
    response.end(JSON.stringify(route.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = mkdtempSync(path.join(tmpdir(), "github-check-"));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  routes = goodRoutes();
  requests.length = 0;
});

const expected = { repository, defaultBranch: "main", environment: "production", repositoryId: "1296269" };
const check = () => missingRepositorySettings(githubGet(apiUrl, "test-token"), expected);
const githubCheck = (args: string[] = [], environment: Record<string, string> = {}) =>
  runTool("access", "", home, ["github-check", ...args], {
    LM_CONFIG: "config/sandbox.yaml",
    GITHUB_TOKEN: "test-token",
    GITHUB_API_URL: apiUrl,
    ...environment,
  });

describe("npm run access -- github-check", () => {
  it("exits 0 when every setting is in place, reading with the token and GitHub's API version", async () => {
    const result = await githubCheck();
    expect(result.stderr).toContain(`${repository}: every setting the trust needs is in place.`);
    expect(result.stderr).not.toContain("missing:");
    expect(result.exitCode).toBe(0);
    expect(requests.map((request) => request.url)).toEqual(Object.keys(goodRoutes()));
    for (const { headers } of requests) {
      expect(headers.authorization).toBe("Bearer test-token");
      expect(headers["x-github-api-version"]).toBe("2022-11-28");
    }
  });

  it("says what is missing, one line each, and exits 1", async () => {
    routes[`${base}/environments/production`] = {
      body: { id: 1, name: "production", protection_rules: [], deployment_branch_policy: null },
    };
    routes[`${base}/actions/oidc/customization/sub`] = {
      body: { use_default: false, include_claim_keys: ["repo", "context", "job_workflow_ref"] },
    };
    const result = await githubCheck();
    expect(result.stderr.split("\n").filter((line) => line.startsWith("missing: "))).toEqual([
      'missing: environment "production": every branch may deploy to it (no deployment branch policy); limit it to main (Deployment branches and tags: selected, main only)',
      'missing: environment "production": no required reviewers; add at least one (a deploy then waits for someone\'s approval)',
      `missing: OIDC subject claim: the repository does not use GitHub's default template (use_default false, include_claim_keys repo, context, job_workflow_ref); the trust policies expect the default subject (repo:${repository}:pull_request, repo:${repository}:environment:production, …): PUT {"use_default": true} to /repos/${repository}/actions/oidc/customization/sub`,
    ]);
    expect(result.stderr).toContain(`${repository}: 3 settings missing (docs/repository-settings.md).`);
    expect(result.exitCode).toBe(1);
  });

  it.each<[string, string[], Record<string, string>]>([
    ["without GITHUB_TOKEN", [], { GITHUB_TOKEN: "" }],
    ["with a --repo that is not owner/name", ["--repo", "not a repo"], {}],
    ["with an unknown option", ["--nope"], {}],
  ])("exits 2 %s", async (_name, args, environment) => {
    const result = await githubCheck(args, environment);
    expect(result.stderr).toMatch(/^access: error: .*\(run access --help for usage\)$/m);
    expect(result.exitCode).toBe(2);
    expect(requests).toEqual([]);
  });

  it("compares deploy.yml with the config: its branch; its environment follows the config's", async () => {
    const config = path.join(home, "staging.yaml");
    writeFileSync(
      config,
      readFileSync("config/sandbox.yaml", "utf8")
        .replace(/^ {4}environment: production$/m, "    environment: staging")
        .replace(/^ {4}repository: (.*)$/m, "    repository: $1\n    defaultBranch: trunk"),
    );
    const result = await githubCheck([], { LM_CONFIG: config });
    const missing = result.stderr.split("\n").filter((line) => line.startsWith("missing: "));
    expect(missing[0]).toBe(
      `missing: .github/workflows/deploy.yml: on.push.branches is ["main"], expected ["trunk"] (${config}'s access.github.defaultBranch)`,
    );
    expect(missing.filter((line) => line.includes("environment is"))).toEqual([]);
    expect(result.exitCode).toBe(1);
    // What deploy.yml's config job reads: the config's environment, alone on stdout.
    const environment = await runTool("access", "", home, ["environment"], { LM_CONFIG: config });
    expect(environment).toMatchObject({ exitCode: 0, stdout: "staging\n" });
  });

  it("says when GitHub's API cannot be reached", async () => {
    const result = await githubCheck([], { GITHUB_API_URL: "http://127.0.0.1:9" });
    expect(result.stderr).toContain(
      "access: error: GET http://127.0.0.1:9/repos/example-org/license-manager-org: cannot reach GitHub's API (GITHUB_API_URL http://127.0.0.1:9)",
    );
    expect(result.exitCode).toBe(1);
  });

  it("reads the repository --repo names", async () => {
    const result = await githubCheck(["--repo", "example-org/other"]);
    expect(result.stderr).toContain("GET /repos/example-org/other: HTTP 404: Not Found");
    expect(result.exitCode).toBe(1);
  });
});

describe("the repository settings the trust relies on", () => {
  it("accepts protected branches when the default branch is the only protected one, and names the others", async () => {
    routes[`${base}/environments/production`] = {
      body: {
        ...(goodRoutes()[`${base}/environments/production`]!.body as object),
        deployment_branch_policy: { protected_branches: true, custom_branch_policies: false },
      },
    };
    routes[`${base}/branches?protected=true&per_page=100`] = {
      body: [{ name: "main", commit: { sha: "c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc" }, protected: true }],
    };
    expect(await check()).toEqual([]);
    routes[`${base}/branches?protected=true&per_page=100`] = {
      body: [
        { name: "main", protected: true },
        { name: "release", protected: true },
      ],
    };
    expect(await check()).toEqual([
      'environment "production": deployments are allowed from every protected branch, and release is protected besides main; allow main only (selected branches)',
    ]);
  });

  it("names custom deployment policies other than the default branch, and an empty list", async () => {
    routes[`${base}/environments/production/deployment-branch-policies?per_page=100`] = {
      body: {
        total_count: 3,
        branch_policies: [
          { id: 1, name: "main", type: "branch" },
          { id: 2, name: "release/*", type: "branch" },
          { id: 3, name: "main", type: "tag" },
        ],
      },
    };
    expect(await check()).toEqual([
      'environment "production": deployments are allowed from branch "release/*", tag "main" besides main; remove them',
    ]);
    routes[`${base}/environments/production/deployment-branch-policies?per_page=100`] = {
      body: { total_count: 0, branch_policies: [] },
    };
    expect(await check()).toEqual([
      'environment "production": the selected deployment branches name none; add main',
    ]);
  });

  it("wants prevent_self_review on, the environment to exist, and the config's spelling and default branch", async () => {
    const environment = goodRoutes()[`${base}/environments/production`]!.body as {
      protection_rules: object[];
    };
    routes[`${base}/environments/production`] = {
      body: {
        ...environment,
        protection_rules: [
          { id: 3755, type: "required_reviewers", prevent_self_review: false, reviewers: [{ type: "User" }] },
        ],
      },
    };
    routes[base] = {
      body: { id: 1296269, full_name: "Example-Org/license-manager-org", default_branch: "master" },
    };
    expect(await check()).toEqual([
      `repository: GitHub spells it "Example-Org/license-manager-org", the config "${repository}"; set access.github.repository to GitHub's spelling (tokens carry it, compared exactly)`,
      'default branch: the repository\'s is "master", the config\'s access.github.defaultBranch "main"; make them the same',
      'environment "production": prevent_self_review is off; turn on "Prevent self-review" (whoever triggered a deploy could approve it alone)',
    ]);
    delete routes[`${base}/environments/production`];
    expect(await check()).toContain(
      'environment "production": does not exist; create it (Settings → Environments) with required reviewers, self-review prevented and deployments from main only',
    );
  });

  it("wants the repository's id pinned in the config, and the same", async () => {
    const unpinned = { repository, defaultBranch: "main", environment: "production" };
    expect(await missingRepositorySettings(githubGet(apiUrl, "test-token"), unpinned)).toEqual([
      'repository id: the config does not pin it; set access.github.repositoryId: "1296269" (the trust then refuses a repository created later under the same name)',
    ]);
    const other = { ...expected, repositoryId: "7" };
    expect(await missingRepositorySettings(githubGet(apiUrl, "test-token"), other)).toEqual([
      'repository id: the repository\'s is 1296269, the config\'s access.github.repositoryId "7"; the trust policies expect the config\'s: set it to "1296269" if this is the repository',
    ]);
  });

  it("says when the token cannot read a setting", async () => {
    routes[`${base}/actions/oidc/customization/sub`] = {
      status: 403,
      body: { message: "Resource not accessible by personal access token" },
    };
    await expect(check()).rejects.toThrow(
      `GET ${base}/actions/oidc/customization/sub: HTTP 403: Resource not accessible by personal access token (the token cannot read it`,
    );
  });
});
