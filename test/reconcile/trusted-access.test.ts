import { planTrustedAccess, trustedAccess } from "../../lib/organization/trusted-access";
import { outOfBandChangeReverted, reconciledRiskRules } from "../../lib/review/risks/reconciled";
import { servicePrincipalRemoved } from "../../lib/review/risks/service-access-principal-removed";
import type { ResourceChangeJson } from "../../lib/terraform/plan-json";

const manager = "license-manager.amazonaws.com";
const member = "license-manager.member-account.amazonaws.com";

describe("trusted access, one principal at a time", () => {
  it("enables only the named principals that are missing", () => {
    expect(
      planTrustedAccess(
        { enable: [manager, member], disable: [] },
        { enabled: { [manager]: true, [member]: false } },
      ),
    ).toEqual({
      differences: [
        { subject: `trusted access for ${member}`, field: "enabled", desired: true, live: false },
      ],
      actions: [{ kind: "enable", principal: member }],
    });
  });

  it("disables a principal only when the desired state names it under disable", () => {
    expect(
      planTrustedAccess(
        { enable: [manager], disable: [member] },
        { enabled: { [manager]: true, [member]: true } },
      ).actions,
    ).toEqual([{ kind: "disable", principal: member }]);
    expect(
      planTrustedAccess({ enable: [manager], disable: [] }, { enabled: { [manager]: true, [member]: true } })
        .actions,
    ).toEqual([]);
  });

  it("never plans a call for a principal it does not name, whatever else is enabled", () => {
    const live = { enabled: { [manager]: false, "sso.amazonaws.com": false, "config.amazonaws.com": true } };
    const principals = planTrustedAccess({ enable: [manager], disable: [] }, live).actions.map(
      (action) => action.principal,
    );
    expect(principals).toEqual([manager]);
  });

  it("rejects a principal both enabled and disabled, and any principal but License Manager's, whoever runs it", () => {
    const result = trustedAccess.schema.safeParse({
      enable: [manager],
      disable: ["controltower.amazonaws.com"],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)).toEqual([
      "disable.0: must be one of this project's principals, license-manager.amazonaws.com, license-manager.member-account.amazonaws.com, license-management.marketplace.amazonaws.com",
    ]);
    expect(
      trustedAccess.schema.safeParse({ enable: [manager], disable: [manager] }).error?.issues[0]?.message,
    ).toBe("is also in enable; expected a principal either enabled or disabled, not both");
  });
});

const change = (before: unknown, after: unknown, afterUnknown: unknown = {}, actions = ["update"]) =>
  ({
    address: "terraform_data.organization_trusted-access_apply_D31205E7",
    mode: "managed",
    type: "terraform_data",
    name: "organization_trusted-access_apply_D31205E7",
    change: { actions, before, after, after_unknown: afterUnknown },
  }) as unknown as ResourceChangeJson;
const input = (enable: string[], disable: string[]) => ({
  kind: "organizations-trusted-access",
  region: "us-east-1",
  desired: { enable, disable },
});

describe("review flags of trusted access", () => {
  const flags = (resourceChange: ResourceChangeJson) =>
    reconciledRiskRules.flatMap((rule) =>
      rule.check({ stack: "organization", change: resourceChange }).map((reason) => `${rule.id}: ${reason}`),
    );

  it("flags License Manager's principal newly disabled", () => {
    expect(
      flags(
        change({ input: input([manager, member], []) }, { input: input([manager], [member]) }, {}, [
          "delete",
          "create",
        ]),
      ),
    ).toEqual([
      `service-access-principal-removed: disables trusted access for ${member}: the service loses access to every account of the organization`,
    ]);
  });

  it("flags a principal newly enabled, and only that one", () => {
    expect(
      flags(
        change({ input: input([manager], []) }, { input: input([manager, member], []) }, {}, [
          "delete",
          "create",
        ]),
      ),
    ).toEqual([
      `service-access-principal-enabled: enables trusted access for ${member}: the service gets access to every account of the organization`,
    ]);
  });

  it("flags nothing when the principals stay enabled, and does not disable on destroy", () => {
    expect(
      flags(change({ input: input([manager, member], []) }, { input: input([manager, member], []) })),
    ).toEqual([]);
    expect(flags(change({ input: input([manager, member], []) }, null, {}, ["delete"]))).toEqual([]);
  });

  it("flags a replacement that puts back what changed outside Terraform", () => {
    const before = { input: input([manager, member], []), triggers_replace: { live: "in-sync" } };
    const replaced = change(
      before,
      { input: input([manager, member], []) },
      { triggers_replace: { live: true } },
      ["delete", "create"],
    );
    expect(outOfBandChangeReverted.check({ stack: "organization", change: replaced })).toEqual([
      "puts back trusted access in us-east-1, changed outside Terraform since the last apply (npm run drift names what changed)",
    ]);
    const plain = change(before, {
      input: input([manager], [member]),
      triggers_replace: { live: "in-sync" },
    });
    expect(outOfBandChangeReverted.check({ stack: "organization", change: plain })).toEqual([]);
  });
});

describe("the review of a move from import to external", () => {
  it("does not call forgetting the organization a disable", () => {
    const forget = {
      address: "aws_organizations_organization.organization_DC53FF14",
      mode: "managed",
      type: "aws_organizations_organization",
      name: "organization_DC53FF14",
      change: {
        actions: ["forget"],
        before: { aws_service_access_principals: ["sso.amazonaws.com", manager, member] },
        after: null,
        after_unknown: {},
      },
    } as unknown as ResourceChangeJson;
    expect(servicePrincipalRemoved.check({ stack: "organization", change: forget })).toEqual([]);
  });
});
