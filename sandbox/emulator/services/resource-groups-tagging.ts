import { AwsError } from "../errors";
import type { Tag } from "../state";
import { licenseManagerRegion } from "./license-manager-settings";
import { regionTopics } from "./sns-topics";
import type { CallContext, JsonHandler, JsonInput } from "./types";

/**
 * The Resource Groups Tagging API's GetResources (JSON 1.1, X-Amz-Target ResourceGroupsTaggingAPI_20170126),
 * over the tagged resources the emulator holds: License Manager's license configurations and report generators,
 * and SNS topics, in the caller's account and the request's region. The stacks' plan-time lookup of the
 * project's own license configurations (lib/license-manager/unmanaged-lookup.ts) reads it through the
 * provider's `aws_resourcegroupstaggingapi_resources` data source.
 *
 * As the API reference (GetResources) documents it:
 * - ResourceTypeFilters are `service[:resourceType]`, e.g. `license-manager:license-configuration`;
 * - TagFilters: up to 50, each a Key and up to 20 Values; a resource must match every filter (AND), and one
 *   of a filter's values (OR); a filter without values matches any value of its key;
 * - ResourceARNList (1 to 100 ARNs) cannot be combined with TagFilters or ResourceTypeFilters;
 * - ResourcesPerPage: 1 to 100; a response's PaginationToken is empty when there is nothing more.
 * AWS does not document the default page size nor its answer to a resource type it does not know: here the
 * default is the maximum (100), and an unknown type matches nothing.
 */
const invalid = (message: string): AwsError => new AwsError("InvalidParameterException", message);

interface TaggedResource {
  readonly arn: string;
  /** `service:resourceType`, as ResourceTypeFilters name it. */
  readonly type: string;
  readonly tags: readonly Tag[];
}

function taggedResources(call: CallContext): TaggedResource[] {
  const licenseManager = licenseManagerRegion(call);
  return [
    ...Object.values(licenseManager.configurations).map((configuration) => ({
      arn: configuration.arn,
      type: "license-manager:license-configuration",
      tags: configuration.tags,
    })),
    ...Object.values(licenseManager.reportGenerators ?? {}).map((generator) => ({
      arn: generator.arn,
      type: "license-manager:report-generator",
      tags: generator.tags,
    })),
    ...Object.values(regionTopics(call)).map((topic) => ({
      arn: topic.arn,
      type: "sns:topic",
      tags: topic.tags,
    })),
  ];
}

interface TagFilter {
  readonly key: string;
  readonly values: readonly string[];
}

function stringList(input: JsonInput, name: string, max: number): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalid(`${name} must be a list of strings.`);
  }
  if (value.length > max) throw invalid(`${name} can contain at most ${max} items; it has ${value.length}.`);
  return value as string[];
}

function tagFilters(input: JsonInput): TagFilter[] {
  const value = input.TagFilters;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid("TagFilters must be a list.");
  if (value.length > 50) throw invalid(`TagFilters can contain at most 50 filters; it has ${value.length}.`);
  return value.map((filter: Record<string, unknown>, index) => {
    const key = filter?.Key;
    if (typeof key !== "string" || key.length < 1 || key.length > 128) {
      throw invalid(`TagFilters[${index}].Key must be 1 to 128 characters.`);
    }
    const values = stringList(filter, "Values", 20) ?? [];
    return { key, values };
  });
}

function resourceTypeMatcher(input: JsonInput): (type: string) => boolean {
  const filters = stringList(input, "ResourceTypeFilters", 100);
  if (!filters || filters.length === 0) return () => true;
  for (const filter of filters) {
    if (!/^[a-z0-9-]+(:[A-Za-z0-9-]+)?$/.test(filter)) {
      throw invalid(`Invalid ResourceTypeFilters value ${filter}: expected service[:resourceType].`);
    }
  }
  return (type) => filters.some((filter) => type === filter || type.startsWith(`${filter}:`));
}

function resourcesPerPage(input: JsonInput): number {
  const value = input.ResourcesPerPage;
  if (value === undefined || value === null) return 100;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 100) {
    throw invalid(`ResourcesPerPage must be an integer from 1 to 100; got ${String(value)}.`);
  }
  return value;
}

/** An opaque token: the ARN the next page starts after (the listing is in ARN order). */
const encodeToken = (lastArn: string): string => Buffer.from(lastArn, "utf8").toString("base64");

function decodeToken(input: JsonInput): string | undefined {
  const token = input.PaginationToken;
  if (token === undefined || token === null || token === "") return undefined;
  const decoded = typeof token === "string" ? Buffer.from(token, "base64").toString("utf8") : "";
  if (!decoded.startsWith("arn:")) throw invalid("Invalid PaginationToken.");
  return decoded;
}

const matchesTags = (tags: readonly Tag[], filters: readonly TagFilter[]): boolean =>
  filters.every((filter) =>
    tags.some(
      (tag) => tag.Key === filter.key && (filter.values.length === 0 || filter.values.includes(tag.Value)),
    ),
  );

const getResources: JsonHandler = (call, input) => {
  const arnList = stringList(input, "ResourceARNList", 100);
  const filters = tagFilters(input);
  const typeMatches = resourceTypeMatcher(input);
  if (arnList && (filters.length > 0 || input.ResourceTypeFilters !== undefined)) {
    throw invalid("ResourceARNList cannot be combined with TagFilters or ResourceTypeFilters.");
  }
  const perPage = resourcesPerPage(input);
  const after = decodeToken(input);
  const matching = taggedResources(call)
    .filter((resource) => (arnList ? arnList.includes(resource.arn) : typeMatches(resource.type)))
    .filter((resource) => matchesTags(resource.tags, filters))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const start = after === undefined ? 0 : matching.findIndex((resource) => resource.arn > after);
  const page = start < 0 ? [] : matching.slice(start, start + perPage);
  const more = start >= 0 && start + perPage < matching.length;
  return {
    PaginationToken: more ? encodeToken(page[page.length - 1]!.arn) : "",
    ResourceTagMappingList: page.map((resource) => ({
      ResourceARN: resource.arn,
      Tags: resource.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    })),
  };
};

export const resourceGroupsTaggingActions: Record<string, JsonHandler> = {
  GetResources: getResources,
};
