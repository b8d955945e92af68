/** A license configuration's typed rules (lib/config/license-rules-section.ts) as License Manager's rule strings. */
import {
  checkLicenseRules,
  licenseRuleNames,
  tenancies,
  type LicenseCountingType,
  type LicenseRuleName,
  type LicenseRules,
} from "../config/license-rules-section";

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
      `Invalid license rules for counting type ${licenseCountingType}: ${issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
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

function apiRuleValue(value: number | boolean | readonly string[]): string {
  if (typeof value === "boolean") {
    // The API reference spells the values of honorVcpuOptimization True and False.
    return value ? "True" : "False";
  }
  if (typeof value === "number") return String(value);
  // Several tenancies are one comma-separated value: #allowedTenancy=EC2-Default,EC2-DedicatedHost
  return tenancies.filter((tenancy) => value.includes(tenancy)).join(",");
}
