import { combineReviews, type FailedStackReview } from "../../lib/review/model";
import { defaultMaxLength, renderReview, reviewMarker } from "../../lib/review/render";
import { reviewFixture } from "./fixtures";

const allRisks = combineReviews(
  ["bootstrap", "organization", "license-manager"].map((stack) => reviewFixture("all-risks", stack)),
);

describe("renderReview", () => {
  it("starts with the marker, then the risk flags before any stack detail", () => {
    const { markdown, truncated } = renderReview(allRisks);
    expect(truncated).toBe(false);
    expect(markdown.startsWith(`${reviewMarker}\n## Terraform plan review`)).toBe(true);
    const risks = markdown.indexOf("### ⚠️ Risk flags (11)");
    expect(risks).toBeGreaterThan(0);
    expect(risks).toBeLessThan(markdown.indexOf("### Stacks"));
    expect(markdown).toContain(
      "- **organization** `aws_organizations_organization.organization_DC53FF14`: the organization is destroyed",
    );
    expect(markdown).toContain("| license-manager | ⚠️ changes | 0 | 2 | 3 | 1 | 0 |");
    expect(markdown).toContain(
      "<details><summary><b>license-manager</b>: 2 to update, 3 to replace, 1 to destroy</summary>",
    );
    expect(markdown).toContain(
      "| `aws_licensemanager_license_configuration.us-east-1_license-configuration-windows-server_configuration` | `license-manager/us-east-1/license-configuration-windows-server/configuration` | replace (forced by license_rules) | description, license_rules, tags |",
    );
  });

  it("marks a destroyed resource as removed from the code, without listing its attributes", () => {
    expect(renderReview(allRisks).markdown).toContain(
      "| `aws_organizations_organization.organization_DC53FF14` | (removed from the code) | destroy (delete_because_no_resource_config) |  |",
    );
  });

  it("says an import adopts the live resource, with its id, in the summary and the resource's actions", () => {
    const { markdown } = renderReview(combineReviews([reviewFixture("import", "organization")]));
    expect(markdown).toContain(
      "<details><summary><b>organization</b>: 1 to adopt (import), 1 to create, 1 to update</summary>",
    );
    expect(markdown).toContain(
      "| `aws_organizations_organization.organization_DC53FF14` | `organization/organization/organization` | adopts `o-sandbox00001`, update |",
    );
  });

  it("says so when nothing changes and there are no risks", () => {
    const { markdown } = renderReview(combineReviews([reviewFixture("no-changes", "organization")]));
    expect(markdown).toContain("### Risk flags\n\nNone.");
    expect(markdown).toContain("| organization | no changes | 0 | 0 | 0 | 0 | 0 |");
    expect(markdown).not.toContain("<details>");
  });

  it("reports a stack that could not be planned without hiding the others", () => {
    const failed: FailedStackReview = {
      stack: "license-manager",
      status: "failed",
      error: "Error: Resource precondition failed",
    };
    const review = combineReviews([reviewFixture("principal-removed", "organization"), failed]);
    const { markdown } = renderReview(review);
    expect(markdown).toContain("| license-manager | ❌ plan failed | | | | | |");
    expect(markdown).toContain("Error: Resource precondition failed");
    expect(markdown).toContain("disables trusted access for sso.amazonaws.com");
  });

  describe("a review larger than a GitHub comment", () => {
    const large = reviewFixture("large", "license-manager");
    const review = combineReviews([...allRisks.stacks, large]);
    const full = renderReview(review, { maxLength: Number.MAX_SAFE_INTEGER });
    const cut = renderReview(review, { artifactHint: "the `plans` artifact of this run" });

    it("would not fit uncut", () => {
      expect(large.counts.create).toBe(500);
      expect(full.markdown.length).toBeGreaterThan(65_536);
      expect(full.truncated).toBe(false);
    });

    it("is cut below the limit, keeps every risk flag and points at the artifact", () => {
      expect(cut.truncated).toBe(true);
      expect(cut.markdown.length).toBeLessThanOrEqual(defaultMaxLength);
      expect(cut.markdown.length).toBeGreaterThan(defaultMaxLength - 5_000);
      for (const flag of review.risks) expect(cut.markdown).toContain(flag.reason);
      expect(cut.markdown).toMatch(
        /…and \d+ more resource change\(s\): see the `plans` artifact of this run\./,
      );
      expect(cut.markdown).toContain(
        "The full review (review-full.md) is in the `plans` artifact of this run.",
      );
      // Every <details> that was opened is closed.
      expect(cut.markdown.split("<details>").length).toBe(cut.markdown.split("</details>").length);
    });
  });
});
