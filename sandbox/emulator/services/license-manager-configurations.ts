import { AwsError, requireString } from "../errors";
import { randomId, type LicenseConfigurationState, type ProductInformationState, type Tag } from "../state";
import { findReportGenerator } from "./license-manager-report-generators";
import { licenseManagerRegion } from "./license-manager-settings";
import { validateCountingType, validateLicenseRules } from "./license-rule-validation";
import type { CallContext, JsonHandler, JsonInput } from "./types";

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);

/**
 * A missing configuration is InvalidParameterValueException "Invalid license configuration ARN …": the provider
 * reads it as "gone" only with that message (hashicorp/terraform-provider-aws
 * internal/service/licensemanager/license_configuration.go, findLicenseConfigurationByARN and the delete:
 * ErrMessageContains(err, InvalidParameterValueException, "Invalid license configuration ARN")).
 */
function findConfiguration(call: CallContext, arn: unknown): LicenseConfigurationState {
  const configuration = typeof arn === "string" ? licenseManagerRegion(call).configurations[arn] : undefined;
  if (!configuration) throw invalid(`Invalid license configuration ARN: ${String(arn)}`);
  return configuration;
}

/** Tagging takes a configuration's or a report generator's ARN. */
function findTaggable(call: CallContext, arn: unknown): { tags: Tag[] } {
  return typeof arn === "string" && arn.includes(":report-generator:")
    ? findReportGenerator(call, arn)
    : findConfiguration(call, arn);
}

function describe(configuration: LicenseConfigurationState, ownerAccountId: string) {
  return {
    LicenseConfigurationId: configuration.id,
    LicenseConfigurationArn: configuration.arn,
    Name: configuration.name,
    Description: configuration.description,
    LicenseCountingType: configuration.countingType,
    LicenseRules: configuration.rules,
    LicenseCount: configuration.licenseCount,
    LicenseCountHardLimit: configuration.hardLimit,
    DisassociateWhenNotFound: configuration.disassociateWhenNotFound,
    ConsumedLicenses: configuration.associations.length,
    Status: configuration.status,
    OwnerAccountId: ownerAccountId,
    ConsumedLicenseSummaryList: [],
    ManagedResourceSummaryList: [],
    ProductInformationList: configuration.productInformationList ?? [],
    AutomatedDiscoveryInformation: {},
  };
}

function licenseCount(input: JsonInput): number | undefined {
  const count = input.LicenseCount;
  if (count === undefined || count === null) return undefined;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw invalid(`Invalid LicenseCount: ${String(count)}`);
  }
  return count;
}

const productResourceTypes = ["SSM_MANAGED", "RDS"];
const productComparators = ["EQUALS", "NOT_EQUALS"];

/**
 * ProductInformationList as the API reference describes it: resource type SSM_MANAGED or RDS, each with at
 * least one filter of a name and a comparator (EQUALS, NOT_EQUALS) and optional values. An empty list
 * removes the automated discovery rules.
 */
function productInformationList(value: unknown): ProductInformationState[] {
  if (!Array.isArray(value)) throw invalid("ProductInformationList must be a list.");
  return value.map((item: Record<string, unknown>) => {
    const resourceType = item?.ResourceType;
    if (typeof resourceType !== "string" || !productResourceTypes.includes(resourceType)) {
      throw invalid(
        `Invalid ResourceType: ${String(resourceType)}. Valid values: ${productResourceTypes.join(", ")}`,
      );
    }
    const filters = item.ProductInformationFilterList;
    if (!Array.isArray(filters) || filters.length === 0) {
      throw invalid(`ProductInformationFilterList of ${resourceType} must contain at least one filter.`);
    }
    return {
      ResourceType: resourceType,
      ProductInformationFilterList: filters.map((filter: Record<string, unknown>) => {
        const name = filter?.ProductInformationFilterName;
        const comparator = filter?.ProductInformationFilterComparator;
        const values = filter?.ProductInformationFilterValue;
        if (typeof name !== "string" || name === "") throw invalid("Invalid ProductInformationFilterName.");
        if (typeof comparator !== "string" || !productComparators.includes(comparator)) {
          throw invalid(`Invalid ProductInformationFilterComparator: ${String(comparator)}`);
        }
        if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== "string"))) {
          throw invalid(`Invalid ProductInformationFilterValue of ${name}.`);
        }
        return {
          ProductInformationFilterName: name,
          ...(values !== undefined && { ProductInformationFilterValue: values as string[] }),
          ProductInformationFilterComparator: comparator,
        };
      }),
    };
  });
}

function tagsOf(input: JsonInput): Tag[] {
  return ((input.Tags as Tag[] | undefined) ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
}

export const licenseConfigurationActions: Record<string, JsonHandler> = {
  CreateLicenseConfiguration: (call, input) => {
    const name = requireString(input, "Name");
    const countingType = requireString(input, "LicenseCountingType");
    validateCountingType(countingType);
    const rules = (input.LicenseRules as string[] | undefined) ?? [];
    validateLicenseRules(countingType, rules);
    const id = `lic-${randomId(32, "0123456789abcdef")}`;
    const arn = `arn:aws:license-manager:${call.region}:${call.caller.accountId}:license-configuration:${id}`;
    licenseManagerRegion(call).configurations[arn] = {
      id,
      arn,
      name,
      description: input.Description as string | undefined,
      countingType,
      licenseCount: licenseCount(input),
      hardLimit: input.LicenseCountHardLimit === true,
      rules,
      status: "AVAILABLE",
      disassociateWhenNotFound: input.DisassociateWhenNotFound === true,
      productInformationList:
        input.ProductInformationList === undefined
          ? []
          : productInformationList(input.ProductInformationList),
      tags: tagsOf(input),
      associations: [],
    };
    return { LicenseConfigurationArn: arn };
  },

  GetLicenseConfiguration: (call, input) => {
    const configuration = findConfiguration(call, input.LicenseConfigurationArn);
    return { ...describe(configuration, call.caller.accountId), Tags: configuration.tags };
  },

  ListLicenseConfigurations: (call, input) => {
    const wanted = input.LicenseConfigurationArns as string[] | undefined;
    const filters = (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? [];
    const countingFilter = filters.find((f) => f.Name === "licenseCountingType")?.Values;
    const all = Object.values(licenseManagerRegion(call).configurations)
      .filter((c) => !wanted || wanted.includes(c.arn))
      .filter((c) => !countingFilter || countingFilter.includes(c.countingType));
    // Pages as AWS does with MaxResults: the NextToken is opaque to callers (here, the next index).
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0) throw invalid(`Invalid NextToken: ${String(input.NextToken)}`);
    const maxResults = typeof input.MaxResults === "number" ? input.MaxResults : all.length;
    const page = all.slice(start, start + maxResults);
    const next = start + page.length;
    return {
      LicenseConfigurations: page.map((c) => describe(c, call.caller.accountId)),
      ...(next < all.length && { NextToken: String(next) }),
    };
  },

  UpdateLicenseConfiguration: (call, input) => {
    const configuration = findConfiguration(call, input.LicenseConfigurationArn);
    if (input.LicenseRules !== undefined) {
      validateLicenseRules(configuration.countingType, input.LicenseRules as string[]);
      configuration.rules = input.LicenseRules as string[];
    }
    if (input.LicenseConfigurationStatus !== undefined) {
      if (!["AVAILABLE", "DISABLED"].includes(input.LicenseConfigurationStatus as string)) {
        throw invalid(`Invalid LicenseConfigurationStatus: ${String(input.LicenseConfigurationStatus)}`);
      }
      configuration.status = input.LicenseConfigurationStatus as string;
    }
    if (typeof input.Name === "string") configuration.name = input.Name;
    if (typeof input.Description === "string") configuration.description = input.Description;
    if (input.LicenseCount !== undefined) configuration.licenseCount = licenseCount(input);
    if (typeof input.LicenseCountHardLimit === "boolean")
      configuration.hardLimit = input.LicenseCountHardLimit;
    if (typeof input.DisassociateWhenNotFound === "boolean") {
      configuration.disassociateWhenNotFound = input.DisassociateWhenNotFound;
    }
    // Absent, the rules stay as they are: the Terraform provider's updates (name, description, count, hard
    // limit) never send the list, and must not wipe the discovery rules.
    if (input.ProductInformationList !== undefined) {
      configuration.productInformationList = productInformationList(input.ProductInformationList);
    }
    return {};
  },

  DeleteLicenseConfiguration: (call, input) => {
    const configuration = findConfiguration(call, input.LicenseConfigurationArn);
    delete licenseManagerRegion(call).configurations[configuration.arn];
    return {};
  },

  TagResource: (call, input) => {
    const configuration = findTaggable(call, input.ResourceArn);
    const added = tagsOf(input);
    configuration.tags = [...configuration.tags.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
    return {};
  },

  UntagResource: (call, input) => {
    const configuration = findTaggable(call, input.ResourceArn);
    const removed = (input.TagKeys as string[] | undefined) ?? [];
    configuration.tags = configuration.tags.filter((t) => !removed.includes(t.Key));
    return {};
  },

  ListTagsForResource: (call, input) => ({ Tags: findTaggable(call, input.ResourceArn).tags }),
};
