import {
  checkLicenseRules,
  licenseCountingTypes,
  licenseRuleNames,
  licenseRulesSchema,
  rulesByCountingType,
  tenancies,
  toLicenseRuleStrings,
  type LicenseCountingType,
  type LicenseRuleName,
  type LicenseRules,
} from "../../lib/license-manager/license-rules";

/** A valid value for every rule, and the rule string it becomes. */
const sampleRules: Record<LicenseRuleName, { value: LicenseRules[LicenseRuleName]; ruleString: string }> = {
  minimumCores: { value: 2, ruleString: "#minimumCores=2" },
  maximumCores: { value: 16, ruleString: "#maximumCores=16" },
  minimumSockets: { value: 1, ruleString: "#minimumSockets=1" },
  maximumSockets: { value: 4, ruleString: "#maximumSockets=4" },
  minimumVcpus: { value: 2, ruleString: "#minimumVcpus=2" },
  maximumVcpus: { value: 64, ruleString: "#maximumVcpus=64" },
  allowedTenancy: { value: ["EC2-DedicatedHost"], ruleString: "#allowedTenancy=EC2-DedicatedHost" },
  licenseAffinityToHostDays: { value: 90, ruleString: "#licenseAffinityToHost=90" },
  honorVcpuOptimization: { value: true, ruleString: "#honorVcpuOptimization=True" },
};

const documentedRules: Record<LicenseCountingType, LicenseRuleName[]> = {
  Core: ["minimumCores", "maximumCores", "allowedTenancy", "licenseAffinityToHostDays"],
  Socket: ["minimumSockets", "maximumSockets", "allowedTenancy", "licenseAffinityToHostDays"],
  vCPU: ["minimumVcpus", "maximumVcpus", "allowedTenancy", "honorVcpuOptimization"],
  Instance: ["minimumVcpus", "maximumVcpus", "allowedTenancy"],
};

const everyTypeAndRule = licenseCountingTypes.flatMap((countingType) =>
  licenseRuleNames.map((rule) => ({
    countingType,
    rule,
    accepted: documentedRules[countingType].includes(rule),
  })),
);

describe("rules per counting type", () => {
  it("match the documented rules", () => {
    expect(rulesByCountingType).toEqual(documentedRules);
  });

  it.each(everyTypeAndRule.filter((row) => row.accepted))(
    "$countingType accepts $rule",
    ({ countingType, rule }) => {
      const rules = { [rule]: sampleRules[rule].value } as LicenseRules;
      expect(licenseRulesSchema.safeParse(rules).success).toBe(true);
      expect(checkLicenseRules(countingType, rules)).toEqual([]);
      expect(toLicenseRuleStrings(countingType, rules)).toEqual([sampleRules[rule].ruleString]);
    },
  );

  it.each(everyTypeAndRule.filter((row) => !row.accepted))(
    "$countingType rejects $rule",
    ({ countingType, rule }) => {
      const rules = { [rule]: sampleRules[rule].value } as LicenseRules;
      const allowed = documentedRules[countingType].join(", ");
      expect(checkLicenseRules(countingType, rules)).toEqual([
        {
          path: [rule],
          message: `${rule} is not a rule of counting type ${countingType} (got ${JSON.stringify(sampleRules[rule].value)}); ${countingType} allows ${allowed}`,
        },
      ]);
      expect(() => toLicenseRuleStrings(countingType, rules)).toThrow(
        `Invalid license rules for counting type ${countingType}: ${rule} is not a rule of counting type ${countingType}`,
      );
    },
  );

  it("reports every rule that does not belong, in rule order", () => {
    expect(
      checkLicenseRules("Core", {
        honorVcpuOptimization: false,
        minimumSockets: 2,
        maximumVcpus: 8,
        minimumCores: 4,
      }),
    ).toEqual([
      {
        path: ["minimumSockets"],
        message:
          "minimumSockets is not a rule of counting type Core (got 2); Core allows minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays",
      },
      {
        path: ["maximumVcpus"],
        message:
          "maximumVcpus is not a rule of counting type Core (got 8); Core allows minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays",
      },
      {
        path: ["honorVcpuOptimization"],
        message:
          "honorVcpuOptimization is not a rule of counting type Core (got false); Core allows minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays",
      },
    ]);
  });
});

describe("allowedTenancy per counting type", () => {
  const rows = licenseCountingTypes.flatMap((countingType) =>
    tenancies.map((tenancy) => ({
      countingType,
      tenancy,
      accepted: countingType === "vCPU" || countingType === "Instance" || tenancy === "EC2-DedicatedHost",
    })),
  );

  it.each(rows.filter((row) => row.accepted))(
    "$countingType accepts $tenancy",
    ({ countingType, tenancy }) => {
      expect(checkLicenseRules(countingType, { allowedTenancy: [tenancy] })).toEqual([]);
    },
  );

  it.each(rows.filter((row) => !row.accepted))(
    "$countingType rejects $tenancy",
    ({ countingType, tenancy }) => {
      expect(checkLicenseRules(countingType, { allowedTenancy: ["EC2-DedicatedHost", tenancy] })).toEqual([
        {
          path: ["allowedTenancy", 1],
          message: `allowedTenancy[1] is not a tenancy of counting type ${countingType} (got "${tenancy}"); ${countingType} allows EC2-DedicatedHost`,
        },
      ]);
    },
  );

  it("rejects an empty list and repeated tenancies", () => {
    expect(checkLicenseRules("vCPU", { allowedTenancy: [] })).toEqual([
      {
        path: ["allowedTenancy"],
        message:
          "allowedTenancy must list at least one tenancy (got []); vCPU allows EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance",
      },
    ]);
    expect(checkLicenseRules("Instance", { allowedTenancy: ["EC2-Default", "EC2-Default"] })).toEqual([
      {
        path: ["allowedTenancy", 1],
        message:
          'allowedTenancy[1] repeats EC2-Default (got ["EC2-Default","EC2-Default"]); list each tenancy once',
      },
    ]);
  });
});

describe("numeric ranges", () => {
  const countingTypeOf: Record<string, LicenseCountingType> = {
    minimumCores: "Core",
    maximumCores: "Core",
    minimumSockets: "Socket",
    maximumSockets: "Socket",
    minimumVcpus: "vCPU",
    maximumVcpus: "Instance",
  };
  const countRows = Object.entries(countingTypeOf).flatMap(([rule, countingType]) =>
    [
      { value: 1, accepted: true },
      { value: 10000, accepted: true },
      { value: 0, accepted: false },
      { value: 10001, accepted: false },
      { value: 2.5, accepted: false },
    ].map((row) => ({ rule, countingType, ...row })),
  );

  it.each(countRows)(
    "$countingType $rule = $value accepted: $accepted",
    ({ rule, countingType, value, accepted }) => {
      expect(checkLicenseRules(countingType, { [rule]: value })).toEqual(
        accepted
          ? []
          : [{ path: [rule], message: `${rule} must be a whole number from 1 to 10000 (got ${value})` }],
      );
    },
  );

  const affinityRows = (["Core", "Socket"] as const).flatMap((countingType) =>
    [
      { days: 1, accepted: true },
      { days: 180, accepted: true },
      { days: 0, accepted: false },
      { days: 181, accepted: false },
    ].map((row) => ({ countingType, ...row })),
  );

  it.each(affinityRows)(
    "$countingType licenseAffinityToHostDays = $days accepted: $accepted",
    ({ countingType, days, accepted }) => {
      expect(checkLicenseRules(countingType, { licenseAffinityToHostDays: days })).toEqual(
        accepted
          ? []
          : [
              {
                path: ["licenseAffinityToHostDays"],
                message: `licenseAffinityToHostDays must be a whole number of days from 1 to 180 (got ${days})`,
              },
            ],
      );
    },
  );
});

describe("minimum and maximum", () => {
  const pairs = [
    { countingType: "Core", minimum: "minimumCores", maximum: "maximumCores" },
    { countingType: "Socket", minimum: "minimumSockets", maximum: "maximumSockets" },
    { countingType: "vCPU", minimum: "minimumVcpus", maximum: "maximumVcpus" },
    { countingType: "Instance", minimum: "minimumVcpus", maximum: "maximumVcpus" },
  ] as const;

  it.each(pairs)("$countingType rejects $minimum > $maximum", ({ countingType, minimum, maximum }) => {
    expect(checkLicenseRules(countingType, { [minimum]: 16, [maximum]: 8 })).toEqual([
      { path: [minimum], message: `${minimum} must be ≤ ${maximum} (got 16 > 8)` },
    ]);
  });

  it.each(pairs)("$countingType accepts $minimum = $maximum", ({ countingType, minimum, maximum }) => {
    expect(checkLicenseRules(countingType, { [minimum]: 8, [maximum]: 8 })).toEqual([]);
  });
});

it("reports all issues at once", () => {
  expect(
    checkLicenseRules("Socket", {
      minimumSockets: 4,
      maximumSockets: 2,
      allowedTenancy: ["EC2-Default"],
      licenseAffinityToHostDays: 365,
      minimumCores: 1,
    }),
  ).toEqual([
    {
      path: ["minimumCores"],
      message:
        "minimumCores is not a rule of counting type Socket (got 1); Socket allows minimumSockets, maximumSockets, allowedTenancy, licenseAffinityToHostDays",
    },
    { path: ["minimumSockets"], message: "minimumSockets must be ≤ maximumSockets (got 4 > 2)" },
    {
      path: ["allowedTenancy", 0],
      message:
        'allowedTenancy[0] is not a tenancy of counting type Socket (got "EC2-Default"); Socket allows EC2-DedicatedHost',
    },
    {
      path: ["licenseAffinityToHostDays"],
      message: "licenseAffinityToHostDays must be a whole number of days from 1 to 180 (got 365)",
    },
  ]);
});

describe("licenseRulesSchema", () => {
  const issuesOf = (input: unknown) => {
    const result = licenseRulesSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
  };

  it.each(
    [
      { input: { minimumCores: 0 }, issues: [{ path: ["minimumCores"], message: "must be at least 1" }] },
      {
        input: { maximumVcpus: 1.5 },
        issues: [{ path: ["maximumVcpus"], message: "must be a whole number" }],
      },
      {
        input: { minimumSockets: "2" },
        issues: [{ path: ["minimumSockets"], message: "must be a whole number" }],
      },
      {
        input: { honorVcpuOptimization: "True" },
        issues: [{ path: ["honorVcpuOptimization"], message: "must be true or false" }],
      },
      {
        input: { allowedTenancy: ["EC2-Shared"] },
        issues: [
          {
            path: ["allowedTenancy", 0],
            message: "must be one of EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance",
          },
        ],
      },
      {
        input: { allowedTenancy: "EC2-Default" },
        issues: [
          {
            path: ["allowedTenancy"],
            message: "must be a list of tenancies (EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance)",
          },
        ],
      },
      {
        input: { allowedTenancy: [] },
        issues: [{ path: ["allowedTenancy"], message: "must list at least one tenancy" }],
      },
      {
        input: { allowedTenancy: ["EC2-Default", "EC2-Default"] },
        issues: [{ path: ["allowedTenancy", 1], message: "lists EC2-Default more than once" }],
      },
      {
        input: { licenseAffinityToHost: 30 },
        issues: [{ path: [], message: "Unrecognized key(s) in object: 'licenseAffinityToHost'" }],
      },
    ].map((row) => ({ ...row, shown: JSON.stringify(row.input) })),
  )("rejects $shown", ({ input, issues }) => {
    expect(issuesOf(input)).toEqual(issues);
  });

  it("accepts every rule with valid values", () => {
    const everyRule = Object.fromEntries(licenseRuleNames.map((rule) => [rule, sampleRules[rule].value]));
    expect(issuesOf(everyRule)).toEqual([]);
  });
});

describe("toLicenseRuleStrings", () => {
  it.each([
    {
      countingType: "Core",
      rules: {
        licenseAffinityToHostDays: 30,
        allowedTenancy: ["EC2-DedicatedHost"],
        maximumCores: 64,
        minimumCores: 8,
      },
      ruleStrings: [
        "#minimumCores=8",
        "#maximumCores=64",
        "#allowedTenancy=EC2-DedicatedHost",
        "#licenseAffinityToHost=30",
      ],
    },
    {
      countingType: "Socket",
      rules: { maximumSockets: 4, minimumSockets: 2, licenseAffinityToHostDays: 180 },
      ruleStrings: ["#minimumSockets=2", "#maximumSockets=4", "#licenseAffinityToHost=180"],
    },
    {
      countingType: "vCPU",
      rules: {
        honorVcpuOptimization: false,
        allowedTenancy: ["EC2-DedicatedInstance", "EC2-Default"],
        minimumVcpus: 4,
      },
      ruleStrings: [
        "#minimumVcpus=4",
        "#allowedTenancy=EC2-Default,EC2-DedicatedInstance",
        "#honorVcpuOptimization=False",
      ],
    },
    {
      countingType: "Instance",
      rules: {
        allowedTenancy: ["EC2-DedicatedInstance", "EC2-DedicatedHost", "EC2-Default"],
        maximumVcpus: 96,
      },
      ruleStrings: [
        "#maximumVcpus=96",
        "#allowedTenancy=EC2-Default,EC2-DedicatedHost,EC2-DedicatedInstance",
      ],
    },
    { countingType: "Instance", rules: {}, ruleStrings: [] },
  ] as const)("$countingType $ruleStrings", ({ countingType, rules, ruleStrings }) => {
    expect(toLicenseRuleStrings(countingType, rules)).toEqual(ruleStrings);
  });

  it("throws with every issue when the rules are invalid", () => {
    expect(() =>
      toLicenseRuleStrings("vCPU", { minimumVcpus: 8, maximumVcpus: 4, licenseAffinityToHostDays: 7 }),
    ).toThrow(
      "Invalid license rules for counting type vCPU: " +
        "licenseAffinityToHostDays is not a rule of counting type vCPU (got 7); vCPU allows minimumVcpus, maximumVcpus, allowedTenancy, honorVcpuOptimization; " +
        "minimumVcpus must be ≤ maximumVcpus (got 8 > 4)",
    );
  });
});
