import { combineReviews } from "../../lib/review/model";
import { planExitCode } from "../../lib/review/summary";
import { reviewFixture } from "./fixtures";

describe("analyzeStackPlan on real plans", () => {
  it("finds nothing to do in a plan without changes", () => {
    const review = reviewFixture("no-changes", "organization");
    expect(review.status).toBe("no-changes");
    expect(review.resources).toEqual([]);
    expect(review.risks).toEqual([]);
    expect(planExitCode(combineReviews([review]))).toBe(0);
  });

  it("counts an import with its update apart from creations, with construct paths", () => {
    const review = reviewFixture("import", "organization");
    expect(review.counts).toEqual({ create: 1, update: 1, replace: 0, destroy: 0, import: 1 });
    expect(review.resources).toEqual([
      expect.objectContaining({
        address: "aws_organizations_delegated_administrator.license-manager-delegated-administrator",
        constructPath: "organization/license-manager-delegated-administrator",
        kind: "create",
        importing: false,
      }),
      expect.objectContaining({
        address: "aws_organizations_organization.organization_DC53FF14",
        constructPath: "organization/organization/organization",
        kind: "update",
        importing: true,
        changedAttributes: expect.arrayContaining(["aws_service_access_principals"]),
      }),
    ]);
    // Adding License Manager's principals removes none, and names each one enabled: it reaches every account.
    expect(review.risks.map((flag) => [flag.rule, flag.reason])).toEqual(
      ["license-manager.amazonaws.com", "license-manager.member-account.amazonaws.com"].map((principal) => [
        "service-access-principal-enabled",
        `enables trusted access for ${principal}: the service gets access to every account of the organization`,
      ]),
    );
    expect(planExitCode(combineReviews([review]))).toBe(2);
  });

  it("flags exactly the principal a list update disables", () => {
    const review = reviewFixture("principal-removed", "organization");
    expect(review.counts).toEqual({ create: 0, update: 1, replace: 0, destroy: 0, import: 0 });
    expect(review.risks).toEqual([
      {
        rule: "service-access-principal-removed",
        stack: "organization",
        address: "aws_organizations_organization.organization_DC53FF14",
        constructPath: "organization/organization/organization",
        reason: "disables trusted access for sso.amazonaws.com",
      },
    ]);
  });

  describe("the plan that raises every risk flag", () => {
    const stacks = ["bootstrap", "organization", "license-manager"].map((stack) =>
      reviewFixture("all-risks", stack),
    );
    const review = combineReviews(stacks);
    const flags = review.risks.map((flag) => [flag.rule, flag.stack, flag.address, flag.reason]);

    it("raises every rule", () => {
      expect(new Set(review.risks.map((flag) => flag.rule))).toEqual(
        new Set([
          "service-access-principal-removed",
          "organization-replaced-or-destroyed",
          "license-manager-settings-turned-off",
          "license-configuration-replaced",
          "license-limit-lowered",
          "delegated-administrator-removed",
          "state-backend-changed",
        ]),
      );
    });

    it("names stack, address and why for each", () => {
      expect(flags).toEqual([
        [
          "state-backend-changed",
          "bootstrap",
          "terraform_data.state-bucket_versioning",
          "changes the state backend (update): every stack's state lives there",
        ],
        [
          "delegated-administrator-removed",
          "organization",
          "aws_organizations_delegated_administrator.license-manager-delegated-administrator",
          "deregisters account 444444444444 as delegated administrator for license-manager.amazonaws.com",
        ],
        [
          "organization-replaced-or-destroyed",
          "organization",
          "aws_organizations_organization.organization_DC53FF14",
          "the organization is destroyed",
        ],
        [
          "service-access-principal-removed",
          "organization",
          "aws_organizations_organization.organization_DC53FF14",
          "disables trusted access for cloudtrail.amazonaws.com, license-manager.amazonaws.com, license-manager.member-account.amazonaws.com, sso.amazonaws.com",
        ],
        [
          "license-limit-lowered",
          "license-manager",
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-oracle-db_configuration",
          "removes the hard limit (license_count_hard_limit: true -> false): usage may exceed 32 licenses",
        ],
        [
          "license-limit-lowered",
          "license-manager",
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-sql-server_configuration",
          "lowers license_count from 64 to 40 while the hard limit is on: launches beyond 40 are blocked; licenses in use now: not read",
        ],
        [
          "license-configuration-replaced",
          "license-manager",
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-windows-server_configuration",
          "the license configuration is replaced (license_rules cannot be updated in place): its associations are dropped and usage tracking starts over",
        ],
        [
          "license-manager-settings-turned-off",
          "license-manager",
          "terraform_data.eu-west-1_settings_apply",
          "License Manager's integration with Organizations (enableIntegration) is no longer managed: its settings resource is destroyed",
        ],
        [
          "license-manager-settings-turned-off",
          "license-manager",
          "terraform_data.eu-west-1_settings_apply",
          "cross-account discovery (enableCrossAccountsDiscovery) is no longer managed: its settings resource is destroyed",
        ],
        [
          "license-manager-settings-turned-off",
          "license-manager",
          "terraform_data.us-east-1_settings_apply",
          "turns off License Manager's integration with Organizations (enableIntegration: true -> false)",
        ],
        [
          "license-manager-settings-turned-off",
          "license-manager",
          "terraform_data.us-east-1_settings_apply",
          "turns off cross-account discovery (enableCrossAccountsDiscovery: true -> false)",
        ],
      ]);
    });

    it("counts replacements and destructions per stack", () => {
      expect(stacks.map((stack) => [stack.stack, stack.counts])).toEqual([
        ["bootstrap", { create: 0, update: 1, replace: 0, destroy: 0, import: 0 }],
        ["organization", { create: 0, update: 0, replace: 0, destroy: 2, import: 0 }],
        ["license-manager", { create: 0, update: 2, replace: 3, destroy: 1, import: 0 }],
      ]);
    });
  });
});
