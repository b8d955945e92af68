import { z } from "zod";

export const licenseCountingTypes = ["vCPU", "Instance", "Core", "Socket"] as const;
export type LicenseCountingType = (typeof licenseCountingTypes)[number];

export const tenancies = ["EC2-Default", "EC2-DedicatedHost", "EC2-DedicatedInstance"] as const;
export type Tenancy = (typeof tenancies)[number];

export interface LicenseRules {
  readonly minimumCores?: number;
  readonly maximumCores?: number;
  readonly minimumSockets?: number;
  readonly maximumSockets?: number;
  readonly minimumVcpus?: number;
  readonly maximumVcpus?: number;
  readonly allowedTenancy?: readonly Tenancy[];
  readonly licenseAffinityToHostDays?: number;
  readonly honorVcpuOptimization?: boolean;
}

export type LicenseRuleName = keyof LicenseRules;

/** Every rule, in the order used for messages and for the generated rule strings. */
export const licenseRuleNames = [
  "minimumCores",
  "maximumCores",
  "minimumSockets",
  "maximumSockets",
  "minimumVcpus",
  "maximumVcpus",
  "allowedTenancy",
  "licenseAffinityToHostDays",
  "honorVcpuOptimization",
] as const satisfies readonly LicenseRuleName[];

/**
 * Rules per counting type, from the CreateLicenseConfiguration API reference (LicenseRules). For Instance
 * it is stricter than older documentation, which also listed core and socket rules.
 */
export const rulesByCountingType: Readonly<Record<LicenseCountingType, readonly LicenseRuleName[]>> = {
  Core: ["minimumCores", "maximumCores", "allowedTenancy", "licenseAffinityToHostDays"],
  Socket: ["minimumSockets", "maximumSockets", "allowedTenancy", "licenseAffinityToHostDays"],
  vCPU: ["minimumVcpus", "maximumVcpus", "allowedTenancy", "honorVcpuOptimization"],
  Instance: ["minimumVcpus", "maximumVcpus", "allowedTenancy"],
};

/** License Manager only counts cores and sockets on Dedicated Hosts (user guide, "Tenancy" rule). */
export const tenanciesByCountingType: Readonly<Record<LicenseCountingType, readonly Tenancy[]>> = {
  Core: ["EC2-DedicatedHost"],
  Socket: ["EC2-DedicatedHost"],
  vCPU: tenancies,
  Instance: tenancies,
};

/** Documented limit for maximumCores, maximumSockets and maximumVcpus (minimums default to 1). */
export const maximumResourceCount = 10000;
export const licenseAffinityToHostDaysRange = { minimum: 1, maximum: 180 } as const;

const countRules = [
  { minimum: "minimumCores", maximum: "maximumCores" },
  { minimum: "minimumSockets", maximum: "maximumSockets" },
  { minimum: "minimumVcpus", maximum: "maximumVcpus" },
] as const;

const positiveWholeNumber = z
  .number({ invalid_type_error: "must be a whole number", required_error: "is required" })
  .int("must be a whole number")
  .min(1, "must be at least 1");

export const licenseRulesSchema: z.ZodType<LicenseRules> = z
  .object({
    minimumCores: positiveWholeNumber.optional(),
    maximumCores: positiveWholeNumber.optional(),
    minimumSockets: positiveWholeNumber.optional(),
    maximumSockets: positiveWholeNumber.optional(),
    minimumVcpus: positiveWholeNumber.optional(),
    maximumVcpus: positiveWholeNumber.optional(),
    allowedTenancy: z
      .array(
        z.enum(tenancies, {
          errorMap: () => ({ message: `must be one of ${tenancies.join(", ")}` }),
        }),
        { invalid_type_error: `must be a list of tenancies (${tenancies.join(", ")})` },
      )
      .min(1, "must list at least one tenancy")
      .superRefine((values, context) => {
        values.forEach((tenancy, index) => {
          if (values.indexOf(tenancy) !== index) {
            context.addIssue({
              code: z.ZodIssueCode.custom,
              path: [index],
              message: `lists ${tenancy} more than once`,
            });
          }
        });
      })
      .optional(),
    licenseAffinityToHostDays: positiveWholeNumber.optional(),
    honorVcpuOptimization: z.boolean({ invalid_type_error: "must be true or false" }).optional(),
  })
  .strict();

export interface RuleIssue {
  /** Relative to the rules object, e.g. ["allowedTenancy", 1]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const shown = (value: unknown): string => JSON.stringify(value);

/** Cross-field and per-counting-type checks; returns every issue, in rule order. */
export function checkLicenseRules(
  licenseCountingType: LicenseCountingType,
  rules: LicenseRules,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const allowedRules = rulesByCountingType[licenseCountingType];
  const presentRules = licenseRuleNames.filter((name) => rules[name] !== undefined);

  for (const name of presentRules) {
    if (!allowedRules.includes(name)) {
      issues.push({
        path: [name],
        message:
          `${name} is not a rule of counting type ${licenseCountingType} (got ${shown(rules[name])}); ` +
          `${licenseCountingType} allows ${allowedRules.join(", ")}`,
      });
    }
  }
  const isChecked = (name: LicenseRuleName): boolean =>
    rules[name] !== undefined && allowedRules.includes(name);

  for (const { minimum, maximum } of countRules) {
    for (const name of [minimum, maximum]) {
      const value = rules[name];
      if (isChecked(name) && !isWholeNumberBetween(value, 1, maximumResourceCount)) {
        issues.push({
          path: [name],
          message: `${name} must be a whole number from 1 to ${maximumResourceCount} (got ${shown(value)})`,
        });
      }
    }
    const minimumValue = rules[minimum];
    const maximumValue = rules[maximum];
    if (
      isChecked(minimum) &&
      isChecked(maximum) &&
      minimumValue !== undefined &&
      maximumValue !== undefined &&
      minimumValue > maximumValue
    ) {
      issues.push({
        path: [minimum],
        message: `${minimum} must be ≤ ${maximum} (got ${minimumValue} > ${maximumValue})`,
      });
    }
  }

  if (isChecked("allowedTenancy")) {
    issues.push(...checkAllowedTenancy(licenseCountingType, rules.allowedTenancy ?? []));
  }

  const affinityDays = rules.licenseAffinityToHostDays;
  const { minimum, maximum } = licenseAffinityToHostDaysRange;
  if (isChecked("licenseAffinityToHostDays") && !isWholeNumberBetween(affinityDays, minimum, maximum)) {
    issues.push({
      path: ["licenseAffinityToHostDays"],
      message: `licenseAffinityToHostDays must be a whole number of days from ${minimum} to ${maximum} (got ${shown(affinityDays)})`,
    });
  }

  if (isChecked("honorVcpuOptimization") && typeof rules.honorVcpuOptimization !== "boolean") {
    issues.push({
      path: ["honorVcpuOptimization"],
      message: `honorVcpuOptimization must be true or false (got ${shown(rules.honorVcpuOptimization)})`,
    });
  }
  return issues;
}

function checkAllowedTenancy(
  licenseCountingType: LicenseCountingType,
  allowedTenancy: readonly Tenancy[],
): RuleIssue[] {
  const permitted = tenanciesByCountingType[licenseCountingType];
  if (allowedTenancy.length === 0) {
    return [
      {
        path: ["allowedTenancy"],
        message: `allowedTenancy must list at least one tenancy (got []); ${licenseCountingType} allows ${permitted.join(", ")}`,
      },
    ];
  }
  const issues: RuleIssue[] = [];
  allowedTenancy.forEach((tenancy, index) => {
    if (!permitted.includes(tenancy)) {
      issues.push({
        path: ["allowedTenancy", index],
        message:
          `allowedTenancy[${index}] is not a tenancy of counting type ${licenseCountingType} (got ${shown(tenancy)}); ` +
          `${licenseCountingType} allows ${permitted.join(", ")}`,
      });
    } else if (allowedTenancy.indexOf(tenancy) !== index) {
      issues.push({
        path: ["allowedTenancy", index],
        message: `allowedTenancy[${index}] repeats ${tenancy} (got ${shown(allowedTenancy)}); list each tenancy once`,
      });
    }
  });
  return issues;
}

function isWholeNumberBetween(value: unknown, minimum: number, maximum: number): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= minimum && value <= maximum;
}

/**
 * The rules as License Manager `#name=value` strings (CreateLicenseConfiguration LicenseRules, and
 * aws_licensemanager_license_configuration.license_rules). Terraform replaces the license configuration
 * when license_rules change, so the order is fixed: rule order, and tenancies in `tenancies` order.
 * Throws when checkLicenseRules finds issues.
 */
export function toLicenseRuleStrings(
  licenseCountingType: LicenseCountingType,
  rules: LicenseRules,
): string[] {
  const issues = checkLicenseRules(licenseCountingType, rules);
  if (issues.length > 0) {
    throw new Error(
      `Invalid license rules for counting type ${licenseCountingType}: ${issues.map((issue) => issue.message).join("; ")}`,
    );
  }
  const ruleStrings: string[] = [];
  for (const name of licenseRuleNames) {
    const value = rules[name];
    if (value === undefined) continue;
    ruleStrings.push(`#${apiRuleName[name]}=${apiRuleValue(value)}`);
  }
  return ruleStrings;
}

/** The API calls the affinity rule licenseAffinityToHost; its unit is days. */
const apiRuleName: Readonly<Record<LicenseRuleName, string>> = {
  minimumCores: "minimumCores",
  maximumCores: "maximumCores",
  minimumSockets: "minimumSockets",
  maximumSockets: "maximumSockets",
  minimumVcpus: "minimumVcpus",
  maximumVcpus: "maximumVcpus",
  allowedTenancy: "allowedTenancy",
  licenseAffinityToHostDays: "licenseAffinityToHost",
  honorVcpuOptimization: "honorVcpuOptimization",
};

function apiRuleValue(value: number | boolean | readonly Tenancy[]): string {
  if (typeof value === "boolean") {
    // The API reference spells the values of honorVcpuOptimization True and False.
    return value ? "True" : "False";
  }
  if (typeof value === "number") return String(value);
  // Several tenancies are one comma-separated value: #allowedTenancy=EC2-Default,EC2-DedicatedHost
  return tenancies.filter((tenancy) => value.includes(tenancy)).join(",");
}
