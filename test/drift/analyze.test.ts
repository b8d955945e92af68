import { readFileSync } from "node:fs";
import * as path from "node:path";
import { analyzePlanDrift } from "../../lib/drift/analyze";
import { combineDrift, driftExitCode, type StackDrift } from "../../lib/drift/model";
import { renderDrift } from "../../lib/drift/render";
import { deployedInputs } from "../../lib/reconcile/deployed";
import { parsePlanJson } from "../../lib/terraform/plan-json";

const fixtures = path.join(__dirname, "..", "fixtures", "plans");
const read = (scenario: string, file: string) => readFileSync(path.join(fixtures, scenario, file), "utf8");
const load = (scenario: string, stack: string) => ({
  plan: parsePlanJson(read(scenario, `${stack}.plan.json`), stack),
  synthesized: JSON.parse(read(scenario, `${stack}.cdk.tf.json`)),
});

// The drift the fixture plan holds: a principal disabled outside Terraform.
const principalsDrift: StackDrift["drift"][number] = {
  address: "aws_organizations_organization.organization_DC53FF14",
  type: "aws_organizations_organization",
  constructPath: "organization/organization/organization",
  actions: ["update"],
  changedAttributes: ["aws_service_access_principals"],
  changes: [
    {
      attribute: "aws_service_access_principals",
      recorded: [
        "cloudtrail.amazonaws.com",
        "license-manager.amazonaws.com",
        "license-manager.member-account.amazonaws.com",
        "sso.amazonaws.com",
      ],
      live: ["cloudtrail.amazonaws.com", "license-manager.amazonaws.com", "sso.amazonaws.com"],
    },
  ],
};

describe("analyzePlanDrift on real plans", () => {
  it("reads a principal disabled outside Terraform from a refresh-only plan", () => {
    const { plan, synthesized } = load("drift", "organization");
    expect(analyzePlanDrift(plan, synthesized)).toEqual({
      drift: [principalsDrift],
      pendingChanges: [],
    });
  });

  it("separates drift from pending configuration changes, and ignores null-vs-empty normalization", () => {
    const { plan, synthesized } = load("drift", "license-manager");
    const result = analyzePlanDrift(plan, synthesized);
    // The provider reads tags back as {} where the state has null: all three configurations are in
    // resource_drift, but only the count changed outside Terraform is drift.
    expect(plan.resource_drift).toHaveLength(3);
    expect(result.drift).toEqual([
      {
        address:
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-sql-server_configuration",
        type: "aws_licensemanager_license_configuration",
        constructPath: "license-manager/us-east-1/license-configuration-sql-server/configuration",
        actions: ["update"],
        changedAttributes: ["license_count"],
        changes: [{ attribute: "license_count", recorded: 64, live: 10 }],
      },
    ]);
    expect(result.pendingChanges).toEqual([
      {
        // Removed from the code: no construct path.
        address:
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-oracle-db_configuration",
        kind: "destroy",
        revertsDrift: false,
      },
      {
        address:
          "aws_licensemanager_license_configuration.us-east-1_license-configuration-sql-server_configuration",
        constructPath: "license-manager/us-east-1/license-configuration-sql-server/configuration",
        kind: "update",
        revertsDrift: true,
      },
    ]);
  });

  it("names a pending import as the live id the next apply adopts, apart from drift", () => {
    const { plan, synthesized } = load("import", "organization");
    const { pendingChanges } = analyzePlanDrift(plan, synthesized);
    expect(pendingChanges).toContainEqual({
      address: "aws_organizations_organization.organization_DC53FF14",
      constructPath: "organization/organization/organization",
      kind: "update",
      revertsDrift: false,
      adopts: "o-sandbox00001",
    });
    const stack: StackDrift = {
      stack: "organization",
      status: "drift",
      drift: [],
      reconciled: [],
      pendingChanges,
    };
    expect(renderDrift(combineDrift([stack]))).toContain(
      "    adopts o-sandbox00001, then update aws_organizations_organization.organization_DC53FF14 (organization/organization/organization)",
    );
  });

  it("finds no drift in a plan without any", () => {
    const { plan, synthesized } = load("no-changes", "organization");
    expect(analyzePlanDrift(plan, synthesized)).toEqual({ drift: [], pendingChanges: [] });
  });
});

const deployedSettings = (...args: Parameters<typeof deployedInputs>) =>
  deployedInputs(...args)
    .filter(({ kind }) => kind === "license-manager-settings")
    .map(({ definition: _definition, kind: _kind, ...deployed }) => deployed);

describe("deployedInputs", () => {
  it("reads each region's desired settings from the state's terraform_data inputs, as recorded before the reconcile contract", () => {
    const state = JSON.parse(read("drift", "license-manager.state.json"));
    const { synthesized } = load("drift", "license-manager");
    expect(deployedSettings(state, synthesized)).toEqual([
      {
        address: "terraform_data.eu-west-1_settings_apply",
        constructPath: "license-manager/eu-west-1/settings/apply",
        region: "eu-west-1",
        desired: { region: "eu-west-1", enableIntegration: true, enableCrossAccountsDiscovery: true },
      },
      {
        address: "terraform_data.us-east-1_settings_apply",
        constructPath: "license-manager/us-east-1/settings/apply",
        region: "us-east-1",
        desired: { region: "us-east-1", enableIntegration: true, enableCrossAccountsDiscovery: true },
      },
    ]);
  });

  it("ignores terraform_data resources that are not settings", () => {
    const state = {
      values: {
        root_module: {
          resources: [
            {
              address: "terraform_data.x",
              mode: "managed",
              type: "terraform_data",
              name: "x",
              values: { input: { a: 1 } },
            },
          ],
        },
      },
    } as const;
    expect(deployedSettings(state)).toEqual([]);
  });
});

describe("drift report", () => {
  const drifted: StackDrift = {
    stack: "organization",
    status: "drift",
    drift: [principalsDrift],
    reconciled: [
      {
        address: "terraform_data.us-east-1_settings_apply",
        constructPath: "license-manager/us-east-1/settings/apply",
        kind: "license-manager-settings",
        title: "License Manager settings",
        region: "us-east-1",
        differences: [{ field: "enableCrossAccountsDiscovery", desired: true, live: false }],
      },
    ],
    pendingChanges: [],
  };
  const clean: StackDrift = {
    stack: "bootstrap",
    status: "clean",
    drift: [],
    reconciled: [],
    pendingChanges: [],
  };

  it("names each drifted resource with its construct path and each attribute's recorded and live value", () => {
    const text = renderDrift(combineDrift([clean, drifted]));
    expect(text).toContain("bootstrap: no drift");
    expect(text).toContain(
      [
        "  drift aws_organizations_organization.organization_DC53FF14 (organization/organization/organization): changed (recorded → live):",
        '    aws_service_access_principals: ["cloudtrail.amazonaws.com","license-manager.amazonaws.com","license-manager.member-account.amazonaws.com","sso.amazonaws.com"] → ["cloudtrail.amazonaws.com","license-manager.amazonaws.com","sso.amazonaws.com"]',
      ].join("\n"),
    );
    expect(text).toContain("    enableCrossAccountsDiscovery: desired true, live false");
  });

  it("names each discovery rule and report generator that differs from the deployed ones, as drift", () => {
    const discoveryOnly: StackDrift = {
      ...clean,
      stack: "license-manager",
      status: "drift",
      reconciled: [
        {
          address: "terraform_data.us-east-1_discovery-and-reports_apply",
          constructPath: "license-manager/us-east-1/discovery-and-reports/apply",
          kind: "license-manager-discovery-and-reports",
          title: "discovery rules and report generators",
          region: "us-east-1",
          differences: [
            {
              subject: 'discovery rules of "sql-server-enterprise"',
              field: "productInformationList",
              desired: 'SSM_MANAGED[Application Name EQUALS "SQL Server"]',
              live: "none",
            },
            { subject: 'report generator "weekly"', field: "existence", desired: "exists", live: "missing" },
          ],
        },
      ],
    };
    const report = combineDrift([clean, discoveryOnly]);
    expect(driftExitCode(report)).toBe(2);
    const text = renderDrift(report);
    expect(text).toContain("license-manager: DRIFT in 1 resource(s), changed outside Terraform");
    expect(text).toContain(
      "  drift terraform_data.us-east-1_discovery-and-reports_apply (license-manager/us-east-1/discovery-and-reports/apply): discovery rules and report generators in us-east-1 differ from the deployed ones",
    );
    expect(text).toContain('    report generator "weekly": existence: desired "exists", live "missing"');
  });

  it("says which unmanaged configuration the next deploy adopts by itself, and how to adopt the others", () => {
    const address = "aws_licensemanager_license_configuration.us-east-1_sql_C";
    const unmanaged = (id: string) => ({
      type: "aws_licensemanager_license_configuration",
      region: "us-east-1",
      id,
      name: "sql",
      address,
      adoptCommand: `(cd cdktf.out/stacks/license-manager && terraform import '${address}' '${id}')`,
      removeCommand: `aws license-manager delete-license-configuration --license-configuration-arn '${id}'`,
    });
    const stack = (adopts?: string): StackDrift => ({
      ...clean,
      stack: "license-manager",
      status: "drift",
      unmanaged: [unmanaged("arn:lic-1")],
      pendingChanges: [{ address, kind: "no-op", revertsDrift: false, ...(adopts && { adopts }) }],
    });
    const adopted = renderDrift(combineDrift([stack("arn:lic-1")]));
    expect(adopted).toContain(
      `    the next deploy adopts it as ${address} (the plan imports it; cdktf deploy is enough)`,
    );
    expect(adopted).not.toContain("terraform import");
    // Another copy of the name (the plan imports lic-1, not lic-2): the commands, as before.
    const other = renderDrift(combineDrift([{ ...stack("arn:lic-1"), unmanaged: [unmanaged("arn:lic-2")] }]));
    expect(other).toContain(
      `    adopt it as ${address}: (cd cdktf.out/stacks/license-manager && terraform import`,
    );
    expect(other).not.toContain("the next deploy adopts it");
  });

  it("exits 0 when clean, 2 on drift, 1 when a stack could not be checked", () => {
    expect(driftExitCode(combineDrift([clean]))).toBe(0);
    expect(driftExitCode(combineDrift([clean, drifted]))).toBe(2);
    const failed: StackDrift = { ...clean, stack: "license-manager", status: "failed", error: "boom" };
    expect(driftExitCode(combineDrift([drifted, failed]))).toBe(1);
  });
});

describe("drifted values", () => {
  const plan = (before: unknown, after: unknown, sensitive: Record<string, unknown> = {}) =>
    parsePlanJson(
      JSON.stringify({
        format_version: "1.2",
        resource_drift: [
          {
            address: "aws_licensemanager_license_configuration.c",
            mode: "managed",
            type: "aws_licensemanager_license_configuration",
            name: "c",
            change: { actions: ["update"], before, after, ...sensitive },
          },
        ],
      }),
      "drift plan",
    );
  const report = (drift: ReturnType<typeof analyzePlanDrift>["drift"]): StackDrift => ({
    stack: "license-manager",
    status: "drift",
    drift,
    reconciled: [],
    pendingChanges: [],
  });

  it("shows each drifted attribute as recorded → live, nested ones by their path, in text and JSON", () => {
    const { drift } = analyzePlanDrift(
      plan(
        { license_count: 96, description: "Windows", tags: { Owner: "platform", Team: "a" } },
        { license_count: 10, description: "Windows", tags: { Owner: "someone", Team: "a" } },
      ),
    );
    expect(drift[0]!.changes).toEqual([
      { attribute: "license_count", recorded: 96, live: 10 },
      { attribute: "tags.Owner", recorded: "platform", live: "someone" },
    ]);
    const text = renderDrift(combineDrift([report(drift)]));
    expect(text).toContain("    license_count: 96 → 10\n");
    expect(text).toContain('    tags.Owner: "platform" → "someone"');
    expect(JSON.parse(JSON.stringify(combineDrift([report(drift)]))).stacks[0].drift[0].changes).toEqual(
      drift[0]!.changes,
    );
  });

  it("masks sensitive values on either side, in text and JSON, and names the attribute", () => {
    const { drift } = analyzePlanDrift(
      plan(
        { license_count: 96, secret: "recorded-secret", tags: { Owner: "a", Key: "old-key" } },
        { license_count: 10, secret: "live-secret", tags: { Owner: "a", Key: "new-key" } },
        { before_sensitive: { secret: true }, after_sensitive: { tags: { Key: true } } },
      ),
    );
    expect(drift[0]!.changes).toEqual([
      { attribute: "license_count", recorded: 96, live: 10 },
      { attribute: "secret", sensitive: true },
      { attribute: "tags.Key", sensitive: true },
    ]);
    const text = renderDrift(combineDrift([report(drift)]));
    const json = JSON.stringify(combineDrift([report(drift)]));
    for (const secret of ["recorded-secret", "live-secret", "old-key", "new-key"]) {
      expect(text).not.toContain(secret);
      expect(json).not.toContain(secret);
    }
    expect(text).toContain("    secret: (sensitive value changed)");
    expect(text).toContain("    tags.Key: (sensitive value changed)");
  });
});

describe("attributes managed by split resources", () => {
  const bucketDrift = {
    format_version: "1.2",
    resource_drift: [
      {
        address: "aws_s3_bucket.b",
        mode: "managed",
        type: "aws_s3_bucket",
        name: "b",
        change: {
          actions: ["update"],
          before: { policy: null, tags: { A: "1" } },
          after: { policy: "{}", tags: { A: "1" } },
        },
      },
    ],
  } as const;

  it("are not drift when the stack manages them with the split resource", () => {
    const synthesized = { resource: { aws_s3_bucket: {}, aws_s3_bucket_policy: {} } };
    expect(analyzePlanDrift(bucketDrift, synthesized).drift).toEqual([]);
  });

  it("are drift when nothing else in the stack manages them", () => {
    expect(analyzePlanDrift(bucketDrift, { resource: { aws_s3_bucket: {} } }).drift).toEqual([
      expect.objectContaining({ address: "aws_s3_bucket.b", changedAttributes: ["policy"] }),
    ]);
  });
});
