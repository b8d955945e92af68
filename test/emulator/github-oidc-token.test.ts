import { readWebIdentityToken } from "../../sandbox/emulator/services/sts-web-identity";
import { githubSubject, mintGitHubActionsToken } from "../../sandbox/emulator/github-oidc-token";

describe("GitHub Actions OIDC tokens for the sandbox", () => {
  it.each([
    [{ environment: "production" }, "repo:example-org/app:environment:production"],
    [{ pullRequest: true as const }, "repo:example-org/app:pull_request"],
    [{ ref: "refs/heads/main" }, "repo:example-org/app:ref:refs/heads/main"],
  ])("names a job of %j as GitHub does", (context, subject) => {
    expect(githubSubject("example-org/app", context)).toBe(subject);
  });

  it("mints a header.payload.signature JWT with GitHub's issuer, STS's audience and an expiry", () => {
    const token = mintGitHubActionsToken({
      repository: "example-org/app",
      context: { environment: "production" },
    });
    expect(token.split(".")).toHaveLength(3);
    const claims = readWebIdentityToken(token);
    expect(claims).toMatchObject({
      iss: "https://token.actions.githubusercontent.com",
      aud: "sts.amazonaws.com",
      sub: "repo:example-org/app:environment:production",
      repository: "example-org/app",
      repository_owner: "example-org",
      environment: "production",
    });
    expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(250);
  });

  it("lets a test override any claim", () => {
    const token = mintGitHubActionsToken({
      repository: "example-org/app",
      context: { pullRequest: true },
      claims: { sub: "repo:someone/else:pull_request" },
    });
    expect(readWebIdentityToken(token).sub).toBe("repo:someone/else:pull_request");
  });
});
