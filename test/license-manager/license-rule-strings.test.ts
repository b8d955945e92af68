import {
  checkLicenseRules,
  licenseCountingTypes,
  licenseRuleNames,
  licenseRulesSchema,
  rulesByCountingType,
  tenancies,
  type LicenseCountingType,
  type LicenseRuleName,
  type LicenseRules,
} from "../../lib/config/license-rules-section";
import { toLicenseRuleStrings } from "../../lib/license-manager/license-rule-strings";

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
          message: `not a rule of counting type ${countingType}; expected one of ${allowed} (got ${rule}: ${JSON.stringify(sampleRules[rule].value)})`,
        },
      ]);
      expect(() => toLicenseRuleStrings(countingType, rules)).toThrow(
        `Invalid license rules for counting type ${countingType}: ${rule}: not a rule of counting type ${countingType}`,
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
          "not a rule of counting type Core; expected one of minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays (got minimumSockets: 2)",
      },
      {
        path: ["maximumVcpus"],
        message:
          "not a rule of counting type Core; expected one of minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays (got maximumVcpus: 8)",
      },
      {
        path: ["honorVcpuOptimization"],
        message:
          "not a rule of counting type Core; expected one of minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays (got honorVcpuOptimization: false)",
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
          message: `not a tenancy of counting type ${countingType}; expected EC2-DedicatedHost (got "${tenancy}")`,
        },
      ]);
    },
  );

  it("leaves an empty list and repeated tenancies to the schema, which reports them once", () => {
    expect(checkLicenseRules("vCPU", { allowedTenancy: [] })).toEqual([]);
    expect(checkLicenseRules("Instance", { allowedTenancy: ["EC2-Default", "EC2-Default"] })).toEqual([]);
  });
});

describe("numeric ranges (the schema's; checkLicenseRules leaves them alone)", () => {
  const issuesOf = (input: unknown) => {
    const result = licenseRulesSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map(({ path, message }) => ({ path, message }));
  };
  const unitOf: Record<string, string> = {
    minimumCores: "cores",
    maximumCores: "cores",
    minimumSockets: "sockets",
    maximumSockets: "sockets",
    minimumVcpus: "vCPUs",
    maximumVcpus: "vCPUs",
  };
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
      expect(issuesOf({ [rule]: value })).toEqual(
        accepted
          ? []
          : [{ path: [rule], message: `expected a whole number of ${unitOf[rule]} from 1 to 10000` }],
      );
      expect(checkLicenseRules(countingType, { [rule]: value })).toEqual([]);
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
      expect(issuesOf({ licenseAffinityToHostDays: days })).toEqual(
        accepted
          ? []
          : [
              {
                path: ["licenseAffinityToHostDays"],
                message: "expected a whole number of days from 1 to 180",
              },
            ],
      );
      expect(checkLicenseRules(countingType, { licenseAffinityToHostDays: days })).toEqual([]);
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
      { path: [minimum], message: `expected at most ${maximum} (8) (got 16)` },
    ]);
  });

  it.each(pairs)("$countingType accepts $minimum = $maximum", ({ countingType, minimum, maximum }) => {
    expect(checkLicenseRules(countingType, { [minimum]: 8, [maximum]: 8 })).toEqual([]);
  });

  it.each(pairs)(
    "$countingType does not compare $minimum with an out-of-range $maximum (reported by the schema)",
    ({ countingType, minimum, maximum }) => {
      expect(checkLicenseRules(countingType, { [minimum]: 16, [maximum]: 0.5 })).toEqual([]);
    },
  );
});

it("reports all issues at once", () => {
  expect(
    checkLicenseRules("Socket", {
      minimumSockets: 4,
      maximumSockets: 2,
      allowedTenancy: ["EC2-Default"],
      licenseAffinityToHostDays: 90,
      minimumCores: 1,
    }),
  ).toEqual([
    {
      path: ["minimumCores"],
      message:
        "not a rule of counting type Socket; expected one of minimumSockets, maximumSockets, allowedTenancy, licenseAffinityToHostDays (got minimumCores: 1)",
    },
    { path: ["minimumSockets"], message: "expected at most maximumSockets (2) (got 4)" },
    {
      path: ["allowedTenancy", 0],
      message: 'not a tenancy of counting type Socket; expected EC2-DedicatedHost (got "EC2-Default")',
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
      {
        input: { minimumCores: 0 },
        issues: [{ path: ["minimumCores"], message: "expected a whole number of cores from 1 to 10000" }],
      },
      {
        input: { maximumVcpus: -1.5 },
        issues: [
          // int and min both fail, in the same words: the loader reports them once.
          { path: ["maximumVcpus"], message: "expected a whole number of vCPUs from 1 to 10000" },
          { path: ["maximumVcpus"], message: "expected a whole number of vCPUs from 1 to 10000" },
        ],
      },
      {
        input: { minimumSockets: "2" },
        issues: [{ path: ["minimumSockets"], message: "expected a whole number of sockets from 1 to 10000" }],
      },
      {
        input: { honorVcpuOptimization: "True" },
        issues: [{ path: ["honorVcpuOptimization"], message: "expected true or false" }],
      },
      {
        input: { allowedTenancy: ["EC2-Shared"] },
        issues: [
          {
            path: ["allowedTenancy", 0],
            message: "expected one of EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance",
          },
        ],
      },
      {
        input: { allowedTenancy: "EC2-Default" },
        issues: [
          {
            path: ["allowedTenancy"],
            message: "expected a list of tenancies (EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance)",
          },
        ],
      },
      {
        input: { allowedTenancy: [] },
        issues: [
          {
            path: ["allowedTenancy"],
            message: "expected at least one tenancy (EC2-Default, EC2-DedicatedHost, EC2-DedicatedInstance)",
          },
        ],
      },
      {
        input: { allowedTenancy: ["EC2-Default", "EC2-Default"] },
        issues: [{ path: ["allowedTenancy", 1], message: "duplicate of [0]; expected each tenancy once" }],
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
        "licenseAffinityToHostDays: not a rule of counting type vCPU; expected one of minimumVcpus, maximumVcpus, allowedTenancy, honorVcpuOptimization (got licenseAffinityToHostDays: 7); " +
        "minimumVcpus: expected at most maximumVcpus (4) (got 8)",
    );
  });
});
