import { changesOutsideApproval, planChangesAnything } from "../../lib/terraform/approved-apply";
import type { PlanAction, PlanJson, ResourceChangeJson } from "../../lib/terraform/plan-json";

type Change = ResourceChangeJson & { deposed?: string };

const configuration = (
  name: string,
  actions: PlanAction[],
  after: Record<string, unknown> | null,
  extra: Partial<Change> & { afterUnknown?: Record<string, unknown>; importing?: { id: string } } = {},
): Change => {
  const { afterUnknown, importing, ...rest } = extra;
  return {
    address: `aws_licensemanager_license_configuration.${name}`,
    mode: "managed",
    type: "aws_licensemanager_license_configuration",
    name,
    change: {
      actions,
      before: null,
      after,
      after_unknown: afterUnknown ?? {},
      ...(importing && { importing }),
    },
    ...rest,
  };
};

const plan = (...changes: Change[]): PlanJson => ({ format_version: "1.2", resource_changes: changes });

/** What a create plans: its values, with the ARN and id known only after apply. */
const windows = {
  name: "windows",
  description: "Windows Server",
  license_count: 96,
  license_rules: ["#a=1"],
};
const createWindows = configuration("windows", ["create"], windows, {
  afterUnknown: { arn: true, id: true, license_rules: [false] },
});

describe("what remains after a throttled apply, held against the approved plan", () => {
  it("is approved when it is a part of the approved changes with the values they showed", () => {
    const approved = plan(
      createWindows,
      configuration("linux", ["update"], { name: "linux", description: "x" }),
    );
    // linux was updated before the throttle; windows remains, its ARN now known.
    const remainder = plan(
      configuration("windows", ["create"], { ...windows, arn: "arn:aws:license-manager:…" }),
    );
    expect(changesOutsideApproval(approved, remainder)).toEqual([]);
  });

  it("ignores no-ops and data source reads, which change nothing", () => {
    const read: Change = { ...configuration("lookup", ["read"], {}), mode: "data" };
    const remainder = plan(configuration("linux", ["no-op"], { name: "linux" }), read);
    expect(changesOutsideApproval(plan(createWindows), remainder)).toEqual([]);
  });

  it("names a change the approved plan does not have", () => {
    const remainder = plan(configuration("linux", ["delete"], null));
    expect(changesOutsideApproval(plan(createWindows), remainder)).toEqual([
      {
        address: "aws_licensemanager_license_configuration.linux",
        why: "delete: the approved plan has no change of it",
      },
    ]);
  });

  it("names another action than the approved one: an update where a create was approved", () => {
    // Made outside between the throttle and the remainder's plan: the object exists, with other values.
    const remainder = plan(configuration("windows", ["update"], windows));
    expect(changesOutsideApproval(plan(createWindows), remainder)).toEqual([
      {
        address: "aws_licensemanager_license_configuration.windows",
        why: "update: the approved plan would create it",
      },
    ]);
  });

  it("names a value other than the approved one, with its path, however deep", () => {
    const other = plan(configuration("windows", ["create"], { ...windows, license_count: 12 }));
    expect(changesOutsideApproval(plan(createWindows), other)).toEqual([
      {
        address: "aws_licensemanager_license_configuration.windows",
        why: "create with another value of license_count than the approved plan showed",
      },
    ]);
    const rule = plan(configuration("windows", ["create"], { ...windows, license_rules: ["#a=2"] }));
    expect(changesOutsideApproval(plan(createWindows), rule)[0]?.why).toBe(
      "create with another value of license_rules[0] than the approved plan showed",
    );
    const longer = plan(
      configuration("windows", ["create"], { ...windows, license_rules: ["#a=1", "#b=2"] }),
    );
    expect(changesOutsideApproval(plan(createWindows), longer)[0]?.why).toBe(
      "create with another value of license_rules than the approved plan showed",
    );
  });

  it("accepts any value where the approved plan showed one known only after apply", () => {
    const unknownDescription = configuration(
      "windows",
      ["create"],
      { name: "windows" },
      {
        afterUnknown: { description: true },
      },
    );
    const remainder = plan(
      configuration("windows", ["create"], { name: "windows", description: "now known" }),
    );
    expect(changesOutsideApproval(plan(unknownDescription), remainder)).toEqual([]);
  });

  it("accepts the replace of a tainted object when the approved change created it, not otherwise", () => {
    const tainted = configuration("windows", ["delete", "create"], windows, {
      action_reason: "replace_because_tainted",
    });
    expect(changesOutsideApproval(plan(createWindows), plan(tainted))).toEqual([]);
    const approvedUpdate = plan(configuration("windows", ["update"], windows));
    expect(changesOutsideApproval(approvedUpdate, plan(tainted))).toEqual([
      {
        address: "aws_licensemanager_license_configuration.windows",
        why: "delete, create: the approved plan would update it",
      },
    ]);
  });

  it("holds imports to the approved id, and a deposed object to its own key", () => {
    const importing = (id: string) => configuration("windows", ["no-op"], windows, { importing: { id } });
    expect(changesOutsideApproval(plan(importing("arn:a")), plan(importing("arn:a")))).toEqual([]);
    expect(changesOutsideApproval(plan(importing("arn:a")), plan(importing("arn:b")))).toEqual([
      {
        address: "aws_licensemanager_license_configuration.windows",
        why: "imports arn:b: the approved plan imports arn:a",
      },
    ]);
    const deposed = configuration("windows", ["delete"], null, { deposed: "00000001" });
    expect(changesOutsideApproval(plan(configuration("windows", ["delete"], null)), plan(deposed))).toEqual([
      {
        address: "aws_licensemanager_license_configuration.windows (deposed object 00000001)",
        why: "delete: the approved plan has no change of it",
      },
    ]);
  });

  it("says whether a plan changes anything: resources, imports or outputs", () => {
    expect(planChangesAnything(plan(configuration("windows", ["no-op"], windows)))).toBe(false);
    expect(planChangesAnything(plan(createWindows))).toBe(true);
    expect(
      planChangesAnything(plan(configuration("windows", ["no-op"], windows, { importing: { id: "arn:a" } }))),
    ).toBe(true);
    expect(
      planChangesAnything({
        format_version: "1.2",
        output_changes: { arn: { actions: ["create"], before: null, after: "arn:a" } },
      }),
    ).toBe(true);
  });
});
