import { AwsError } from "../errors";

export const COUNTING_TYPES = ["vCPU", "Instance", "Core", "Socket"];

/** Rules each counting type accepts, from the CreateLicenseConfiguration API reference. */
const RULES_BY_COUNTING_TYPE: Record<string, string[]> = {
  Core: ["allowedTenancy", "licenseAffinityToHost", "maximumCores", "minimumCores"],
  Socket: ["allowedTenancy", "licenseAffinityToHost", "maximumSockets", "minimumSockets"],
  vCPU: ["allowedTenancy", "honorVcpuOptimization", "maximumVcpus", "minimumVcpus"],
  Instance: ["allowedTenancy", "maximumVcpus", "minimumVcpus"],
};

const TENANCIES = ["EC2-Default", "EC2-DedicatedHost", "EC2-DedicatedInstance"];
const MIN_MAX_PAIRS: [string, string][] = [
  ["minimumCores", "maximumCores"],
  ["minimumSockets", "maximumSockets"],
  ["minimumVcpus", "maximumVcpus"],
];

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);

export function validateCountingType(countingType: string): void {
  if (!COUNTING_TYPES.includes(countingType)) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${countingType}' at 'licenseCountingType' failed to satisfy constraint: Member must satisfy enum value set: [${COUNTING_TYPES.join(", ")}]`,
    );
  }
}

function positiveInteger(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw invalid(`License rule ${name} must be a positive integer, but got: ${value}`);
  }
  return Number(value);
}

/**
 * Rules are strings `#name=value`. Several tenancies are one comma-separated value
 * (e.g. `#allowedTenancy=EC2-Default,EC2-DedicatedHost`; terraform-provider-aws docs: "a comma delimited list").
 */
export function validateLicenseRules(countingType: string, rules: string[]): void {
  const allowed = RULES_BY_COUNTING_TYPE[countingType];
  const numbers = new Map<string, number>();
  const seen = new Set<string>();
  for (const rule of rules) {
    const match = /^#([A-Za-z]+)=(.+)$/.exec(rule);
    if (!match) throw invalid(`Invalid license rule format: ${rule}. The expected format is #name=value.`);
    const [, name, value] = match;
    if (!allowed.includes(name)) {
      throw invalid(`License rule ${name} is not supported for license counting type ${countingType}.`);
    }
    if (seen.has(name)) throw invalid(`License rule ${name} is specified more than once.`);
    seen.add(name);
    if (name === "allowedTenancy") {
      const unknown = value.split(",").filter((t) => !TENANCIES.includes(t));
      if (unknown.length > 0) {
        throw invalid(
          `Invalid value for allowedTenancy: ${unknown.join(",")}. Valid values are ${TENANCIES.join(", ")}.`,
        );
      }
    } else if (name === "honorVcpuOptimization") {
      if (!["True", "False", "true", "false"].includes(value)) {
        throw invalid(`Invalid value for honorVcpuOptimization: ${value}. Valid values are True, False.`);
      }
    } else if (name === "licenseAffinityToHost") {
      const days = positiveInteger(name, value);
      if (days > 180)
        throw invalid(`License affinity to host must be between 1 and 180 days, but got: ${days}`);
    } else {
      numbers.set(name, positiveInteger(name, value));
    }
  }
  for (const [minName, maxName] of MIN_MAX_PAIRS) {
    const min = numbers.get(minName);
    const max = numbers.get(maxName);
    if (min !== undefined && max !== undefined && min > max) {
      throw invalid(`License rule ${minName} (${min}) cannot be greater than ${maxName} (${max}).`);
    }
  }
}
