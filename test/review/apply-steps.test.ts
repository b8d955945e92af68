import {
  applySteps,
  explainApplyFailure,
  type SavedPlans,
  type SavedStackPlan,
} from "../../lib/terraform/saved-plans";

const stack = (
  name: string,
  dependencies: string[],
  status: SavedStackPlan["status"],
  outputChanges: string[] = [],
): SavedStackPlan => ({
  stack: name,
  dependencies,
  status,
  ...(status !== "failed" && { planFile: `${name}.tfplan`, configurationSha256: "0".repeat(64) }),
  outputChanges,
});

const saved = (...stacks: SavedStackPlan[]): SavedPlans => ({
  formatVersion: 1,
  config: "config/production.yaml",
  role: "none",
  stacks,
});

describe("the order and the stops of an apply of saved plans", () => {
  it("applies the changed stacks in order and skips the unchanged ones", () => {
    expect(
      applySteps(
        saved(stack("organization", [], "no-changes"), stack("license-manager", ["organization"], "changes")),
      ),
    ).toEqual([
      { stack: "organization", action: "skip", why: "no changes planned" },
      { stack: "license-manager", action: "apply", planFile: "license-manager.tfplan" },
    ]);
  });

  it("applies a dependency whose outputs stay, then its dependent", () => {
    expect(
      applySteps(
        saved(stack("organization", [], "changes"), stack("license-manager", ["organization"], "changes")),
      ).map((step) => step.action),
    ).toEqual(["apply", "apply"]);
  });

  it("stops before a stack planned with outputs its dependency's plan changes, naming them", () => {
    expect(
      applySteps(
        saved(
          stack("organization", [], "changes", ["member_account_ids"]),
          stack("license-manager", ["organization"], "changes"),
        ),
      ),
    ).toEqual([
      { stack: "organization", action: "apply", planFile: "organization.tfplan" },
      {
        stack: "license-manager",
        action: "stop",
        why: "not applied: it was planned with the organization stack's outputs before this apply changed them (member_account_ids); run the deploy again to plan and approve it against them",
      },
    ]);
  });

  it("stops at a failed plan, and applies nothing after it", () => {
    expect(
      applySteps(
        saved(stack("organization", [], "failed"), stack("license-manager", ["organization"], "changes")),
      ),
    ).toEqual([
      {
        stack: "organization",
        action: "stop",
        why: "not applied: its plan failed; run the deploy again to plan it",
      },
      { stack: "license-manager", action: "stop", why: "not applied: an earlier stack stopped the apply" },
    ]);
  });
});

describe("an apply that Terraform refused", () => {
  it("explains a stale plan and leaves other failures to Terraform's message", () => {
    expect(
      explainApplyFailure(
        "organization",
        "Error: Saved plan is stale\n\nThe given plan file can no longer be applied",
      ),
    ).toMatch(
      /^organization: the saved plan is stale: the stack's state changed after the plan was made .* Nothing was changed\. Run the deploy again/,
    );
    expect(explainApplyFailure("organization", "Error: creating Organization: AccessDenied")).toBeUndefined();
  });
});
