/**
 * A license configuration's typed rules: the schema checks each value on its own, `checkLicenseRules` what
 * depends on the counting type or on another rule. Each problem is reported by exactly one of them.
 */
import { z } from "zod";
import { listOf, oneOf } from "../messages/alternatives";
import { uniqueItems, trueOrFalse, wholeNumber } from "./formats";
import { field } from "./field-docs";

export const licenseCountingTypes = ["vCPU", "Instance", "Core", "Socket"] as const;
export type LicenseCountingType = (typeof licenseCountingTypes)[number];

export const tenancies = ["EC2-Default", "EC2-DedicatedHost", "EC2-DedicatedInstance"] as const;
type Tenancy = (typeof tenancies)[number];

/** Documented limit for maximumCores, maximumSockets and maximumVcpus (minimums default to 1). */
const maximumResourceCount = 10000;
const licenseAffinityToHostDaysRange = { minimum: 1, maximum: 180 } as const;

const count = (what: string, meaning: string) =>
  field(wholeNumber(1, maximumResourceCount, what).optional(), { meaning });

export const licenseRulesSchema = z
  .object(
    {
      minimumCores: count("cores", "Fewest cores an instance must have to be counted (Core)"),
      maximumCores: count("cores", "Most cores an instance may have to be counted (Core)"),
      minimumSockets: count("sockets", "Fewest sockets a host must have to be counted (Socket)"),
      maximumSockets: count("sockets", "Most sockets a host may have to be counted (Socket)"),
      minimumVcpus: count("vCPUs", "Fewest vCPUs an instance must have to be counted (vCPU, Instance)"),
      maximumVcpus: count("vCPUs", "Most vCPUs an instance may have to be counted (vCPU, Instance)"),
      allowedTenancy: field(
        z
          .array(
            z.enum(tenancies, {
              errorMap: (_issue, context) => ({
                message: `expected ${oneOf(tenancies, { given: context.data })}`,
              }),
            }),
            {
              invalid_type_error: `expected a list of tenancies (${listOf(tenancies)})`,
            },
          )
          .min(1, { message: `expected at least one tenancy (${listOf(tenancies)})` })
          .superRefine(uniqueItems("tenancy"))
          .optional(),
        { meaning: "Tenancies counted; Core and Socket count on Dedicated Hosts only (`EC2-DedicatedHost`)" },
      ),
      licenseAffinityToHostDays: field(
        wholeNumber(
          licenseAffinityToHostDaysRange.minimum,
          licenseAffinityToHostDaysRange.maximum,
          "days",
        ).optional(),
        { meaning: "Days a license stays bound to a Dedicated Host (Core, Socket)" },
      ),
      honorVcpuOptimization: field(trueOrFalse().optional(), {
        meaning: "Count the vCPUs of an instance's CPU options rather than its type's defaults (vCPU)",
      }),
    },
    { invalid_type_error: "expected a mapping of typed rules such as minimumVcpus: 4" },
  )
  .strict();

type ParsedRules = z.output<typeof licenseRulesSchema>;
export type LicenseRuleName = keyof ParsedRules;
/** The rules as the config model holds them: read-only, lists included. */
export type LicenseRules = {
  readonly [Name in LicenseRuleName]?: ParsedRules[Name] extends infer Value
    ? Value extends readonly (infer Item)[]
      ? readonly Item[]
      : Value
    : never;
};

/** Every rule, in the order used for messages and for the generated rule strings. */
export const licenseRuleNames = Object.keys(licenseRulesSchema.shape) as LicenseRuleName[];

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
const tenanciesByCountingType: Readonly<Record<LicenseCountingType, readonly Tenancy[]>> = {
  Core: ["EC2-DedicatedHost"],
  Socket: ["EC2-DedicatedHost"],
  vCPU: tenancies,
  Instance: tenancies,
};

const countRules = [
  { minimum: "minimumCores", maximum: "maximumCores" },
  { minimum: "minimumSockets", maximum: "maximumSockets" },
  { minimum: "minimumVcpus", maximum: "maximumVcpus" },
] as const;

interface RuleIssue {
  /** Relative to the rules object, e.g. ["allowedTenancy", 1]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const shown = (value: unknown): string => JSON.stringify(value);

/**
 * What depends on the counting type or on another rule: every issue, in rule order. Values the schema
 * refuses on their own (out of range, wrong type) are left to it, so no problem is reported twice.
 */
export function checkLicenseRules(
  licenseCountingType: LicenseCountingType,
  rules: LicenseRules,
): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const allowedRules = rulesByCountingType[licenseCountingType];
  for (const name of licenseRuleNames) {
    if (rules[name] !== undefined && !allowedRules.includes(name)) {
      issues.push({
        path: [name],
        message:
          `not a rule of counting type ${licenseCountingType}; ` +
          `expected ${oneOf(allowedRules)} (got ${name}: ${shown(rules[name])})`,
      });
    }
  }
  const wellFormed = (name: LicenseRuleName): boolean =>
    allowedRules.includes(name) && licenseRulesSchema.shape[name].safeParse(rules[name]).success;

  for (const { minimum, maximum } of countRules) {
    const minimumValue = rules[minimum];
    const maximumValue = rules[maximum];
    if (
      minimumValue !== undefined &&
      maximumValue !== undefined &&
      wellFormed(minimum) &&
      wellFormed(maximum) &&
      minimumValue > maximumValue
    ) {
      issues.push({
        path: [minimum],
        message: `expected at most ${maximum} (${maximumValue}) (got ${minimumValue})`,
      });
    }
  }

  if (rules.allowedTenancy !== undefined && allowedRules.includes("allowedTenancy")) {
    const permitted = tenanciesByCountingType[licenseCountingType];
    rules.allowedTenancy.forEach((tenancy, index) => {
      if ((tenancies as readonly string[]).includes(tenancy) && !permitted.includes(tenancy)) {
        issues.push({
          path: ["allowedTenancy", index],
          message: `not a tenancy of counting type ${licenseCountingType}; expected ${oneOf(permitted, { given: tenancy })} (got ${shown(tenancy)})`,
        });
      }
    });
  }
  return issues;
}
