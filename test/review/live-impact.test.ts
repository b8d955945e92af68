import { analyzeStackPlan } from "../../lib/review/analyze";
import type { LiveFacts } from "../../lib/review/live";
import { renderReview } from "../../lib/review/render";
import { combineReviews } from "../../lib/review/model";
import type { PlanAction, PlanJson, ResourceChangeJson } from "../../lib/terraform/plan-json";

const configurationArn =
  "arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef";

function change(
  type: string,
  actions: PlanAction[],
  before: unknown,
  after: unknown,
  extra: Partial<ResourceChangeJson["change"]> = {},
): ResourceChangeJson {
  return {
    address: `${type}.subject`,
    mode: "managed",
    type,
    name: "subject",
    change: { actions, before, after, after_unknown: {}, ...extra },
  };
}

const plan = (...changes: ResourceChangeJson[]): PlanJson => ({
  format_version: "1.2",
  resource_changes: changes,
});

const configuration = (licenseCount: number, hardLimit = true) => ({
  arn: configurationArn,
  id: configurationArn,
  name: "windows-server",
  license_count: licenseCount,
  license_count_hard_limit: hardLimit,
  license_counting_type: "vCPU",
});

const lowered = (from: number, to: number) =>
  change("aws_licensemanager_license_configuration", ["update"], configuration(from), configuration(to));

const reasons = (planJson: PlanJson, live?: LiveFacts) =>
  analyzeStackPlan("license-manager", planJson, undefined, live).risks.map(
    (flag) => `${flag.rule}: ${flag.reason}`,
  );

const inUse = (value: { consumed: number } | { error: string }): LiveFacts => ({
  licensesInUse: new Map([[configurationArn, value]]),
});

describe("a lowered hard limit, with the licenses in use now", () => {
  it("flags a new count below the licenses in use, naming them and by how many", () => {
    expect(reasons(plan(lowered(96, 10)), inUse({ consumed: 37 }))).toEqual([
      "license-limit-lowered: lowers license_count from 96 to 10 while the hard limit is on: launches beyond 10 are blocked; BELOW USE: 37 licenses are in use now (ConsumedLicenses), 27 more than the new count: no new launch until usage drops below 10",
    ]);
  });

  it("names the licenses in use and what is left when the new count covers them", () => {
    expect(reasons(plan(lowered(96, 40)), inUse({ consumed: 37 }))).toEqual([
      "license-limit-lowered: lowers license_count from 96 to 40 while the hard limit is on: launches beyond 40 are blocked; 37 licenses are in use now (ConsumedLicenses): 3 left after the change",
    ]);
    expect(reasons(plan(lowered(96, 37)), inUse({ consumed: 37 }))).toEqual([
      "license-limit-lowered: lowers license_count from 96 to 37 while the hard limit is on: launches beyond 37 are blocked; 37 licenses are in use now (ConsumedLicenses): 0 left after the change",
    ]);
  });

  it("says when the usage could not be read, or was not", () => {
    expect(
      reasons(plan(lowered(96, 10)), inUse({ error: "GetLicenseConfiguration failed: AccessDenied" })),
    ).toEqual([
      "license-limit-lowered: lowers license_count from 96 to 10 while the hard limit is on: launches beyond 10 are blocked; licenses in use now: unknown (GetLicenseConfiguration failed: AccessDenied)",
    ]);
    expect(reasons(plan(lowered(96, 10)))).toEqual([
      "license-limit-lowered: lowers license_count from 96 to 10 while the hard limit is on: launches beyond 10 are blocked; licenses in use now: not read",
    ]);
  });

  it("flags no raised count, and no lowered count without a hard limit", () => {
    expect(reasons(plan(lowered(10, 96)), inUse({ consumed: 37 }))).toEqual([]);
    const soft = change(
      "aws_licensemanager_license_configuration",
      ["update"],
      configuration(96, false),
      configuration(10, false),
    );
    expect(reasons(plan(soft), inUse({ consumed: 37 }))).toEqual([]);
  });

  it("renders the flag for the reviewer, risk flags first", () => {
    const review = combineReviews([
      analyzeStackPlan("license-manager", plan(lowered(96, 10)), undefined, inUse({ consumed: 37 })),
    ]);
    const { markdown } = renderReview(review);
    expect(markdown).toContain(
      "- **license-manager** `aws_licensemanager_license_configuration.subject`: lowers license_count from 96 to 10 while the hard limit is on: launches beyond 10 are blocked; BELOW USE: 37 licenses are in use now (ConsumedLicenses), 27 more than the new count: no new launch until usage drops below 10",
    );
    expect(markdown).toContain(
      "| `aws_licensemanager_license_configuration.subject` | — | update | license_count |",
    );
  });
});

describe("a trusted-access principal newly enabled", () => {
  const organization = (principals: string[] | null) => ({
    aws_service_access_principals: principals,
    feature_set: "ALL",
  });
  const organizationChange = (actions: PlanAction[], before: unknown, after: unknown) =>
    change("aws_organizations_organization", actions, before, after);

  it("flags each principal an update adds, and none it keeps", () => {
    expect(
      reasons(
        plan(
          organizationChange(
            ["update"],
            organization(["sso.amazonaws.com"]),
            organization(["sso.amazonaws.com", "license-manager.amazonaws.com", "cloudtrail.amazonaws.com"]),
          ),
        ),
      ),
    ).toEqual(
      ["cloudtrail.amazonaws.com", "license-manager.amazonaws.com"].map(
        (principal) =>
          `service-access-principal-enabled: enables trusted access for ${principal}: the service gets access to every account of the organization`,
      ),
    );
  });

  it("flags every principal of a new organization", () => {
    expect(reasons(plan(organizationChange(["create"], null, organization(["sso.amazonaws.com"]))))).toEqual([
      "service-access-principal-enabled: enables trusted access for sso.amazonaws.com: the service gets access to every account of the organization",
    ]);
  });

  it("flags nothing when the list keeps its principals, or Terraform forgets the organization", () => {
    const same = organization(["sso.amazonaws.com"]);
    expect(
      reasons(plan(organizationChange(["update"], { ...same, feature_set: "CONSOLIDATED_BILLING" }, same))),
    ).toEqual([]);
    expect(reasons(plan(organizationChange(["forget"], same, null)))).toEqual([]);
  });
});

describe("a replacement", () => {
  const replaced = change(
    "aws_licensemanager_license_configuration",
    ["delete", "create"],
    configuration(96),
    { ...configuration(96), arn: null, id: null, license_counting_type: "Core" },
    {
      after_unknown: { arn: true, id: true, owner_account_id: true },
      replace_paths: [["license_counting_type"]],
    },
  );

  it("lists the configured attributes that force it, not the computed ones that become unknown", () => {
    const [resource] = analyzeStackPlan("license-manager", plan(replaced)).resources;
    expect(resource).toEqual(
      expect.objectContaining({
        kind: "replace",
        changedAttributes: ["license_counting_type"],
        replacedBecauseOf: ["license_counting_type"],
      }),
    );
    expect(
      renderReview(combineReviews([analyzeStackPlan("license-manager", plan(replaced))])).markdown,
    ).toContain(
      "| `aws_licensemanager_license_configuration.subject` | — | replace (forced by license_counting_type) | license_counting_type |",
    );
  });

  it("keeps an update's attributes that become known only after apply", () => {
    const update = change(
      "aws_licensemanager_license_configuration",
      ["update"],
      configuration(96),
      { ...configuration(96), tags_all: null },
      { after_unknown: { tags_all: true } },
    );
    const [resource] = analyzeStackPlan("license-manager", plan(update)).resources;
    expect(resource).toEqual(
      expect.objectContaining({ changedAttributes: ["tags_all"], replacedBecauseOf: [] }),
    );
  });
});
