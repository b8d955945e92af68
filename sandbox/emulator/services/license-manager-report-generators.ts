import { AwsError, requireString } from "../errors";
import { randomId, type ReportGeneratorState, type Tag } from "../state";
import { licenseManagerRegion } from "./license-manager-settings";
import type { CallContext, JsonHandler, JsonInput } from "./types";

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);

/** ReportType values for license configurations (the SDK's ReportType enum). */
const reportTypes = ["LicenseConfigurationSummaryReport", "LicenseConfigurationUsageReport"];
const periods = ["DAY", "WEEK", "MONTH", "ONE_TIME"];

function generators(call: CallContext): Record<string, ReportGeneratorState> {
  const region = licenseManagerRegion(call);
  region.reportGenerators ??= {};
  return region.reportGenerators;
}

export function findReportGenerator(call: CallContext, arn: unknown): ReportGeneratorState {
  const generator = typeof arn === "string" ? generators(call)[arn] : undefined;
  if (!generator)
    throw new AwsError("ResourceNotFoundException", `Report generator not found: ${String(arn)}`);
  return generator;
}

/** The fields Create and Update share, checked as AWS documents them. */
function reportDefinition(call: CallContext, input: JsonInput) {
  const name = requireString(input, "ReportGeneratorName");
  if (name.length > 100) throw invalid("ReportGeneratorName must be at most 100 characters.");
  requireString(input, "ClientToken");
  const types = input.Type;
  if (!Array.isArray(types) || types.length === 0 || types.some((type) => !reportTypes.includes(type))) {
    throw invalid(`Invalid report Type: ${JSON.stringify(types)}. Valid values: ${reportTypes.join(", ")}`);
  }
  const context = input.ReportContext as { licenseConfigurationArns?: unknown } | undefined;
  const arns = context?.licenseConfigurationArns;
  if (!Array.isArray(arns) || arns.length === 0) {
    throw invalid("ReportContext.licenseConfigurationArns must name at least one license configuration.");
  }
  const configurations = licenseManagerRegion(call).configurations;
  for (const arn of arns) {
    if (typeof arn !== "string" || !configurations[arn]) {
      throw invalid(`Invalid license configuration ARN: ${String(arn)}`);
    }
  }
  const frequency = input.ReportFrequency as { value?: unknown; period?: unknown } | undefined;
  if (typeof frequency?.period !== "string" || !periods.includes(frequency.period)) {
    throw invalid(`Invalid ReportFrequency period: ${String(frequency?.period)}`);
  }
  // "The only supported value is 1" (ReportFrequency.value).
  if (frequency.value !== undefined && frequency.value !== 1) {
    throw invalid(`Invalid ReportFrequency value: ${String(frequency.value)}; the only supported value is 1`);
  }
  return {
    name,
    types: types as string[],
    licenseConfigurationArns: arns as string[],
    frequency: { value: 1, period: frequency.period },
    description: typeof input.Description === "string" ? input.Description : undefined,
  };
}

function describe(call: CallContext, generator: ReportGeneratorState) {
  const bucketArn = licenseManagerRegion(call).s3BucketArn;
  return {
    ReportGeneratorName: generator.name,
    ReportType: generator.types,
    ReportContext: { licenseConfigurationArns: generator.licenseConfigurationArns },
    ReportFrequency: generator.frequency,
    LicenseManagerReportGeneratorArn: generator.arn,
    LastRunStatus: "SUCCESS",
    ReportCreatorAccount: generator.creatorAccountId,
    ...(generator.description !== undefined && { Description: generator.description }),
    // Reports land in the report bucket of License Manager's settings.
    ...(bucketArn && {
      S3Location: {
        bucket: bucketArn.split(":::")[1],
        keyPrefix: `report-generator/${generator.arn.split(":").pop()}`,
      },
    }),
    CreateTime: String(generator.createdAt),
    Tags: generator.tags,
  };
}

function tagsOf(input: JsonInput): Tag[] {
  return ((input.Tags as Tag[] | undefined) ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
}

export const reportGeneratorActions: Record<string, JsonHandler> = {
  CreateLicenseManagerReportGenerator: (call, input) => {
    const definition = reportDefinition(call, input);
    const region = licenseManagerRegion(call);
    region.reportGeneratorTokens ??= {};
    const earlier = region.reportGeneratorTokens[input.ClientToken as string];
    if (earlier && generators(call)[earlier]) return { LicenseManagerReportGeneratorArn: earlier };
    const arn = `arn:aws:license-manager:${call.region}:${call.caller.accountId}:report-generator:r-${randomId(32, "0123456789abcdef")}`;
    generators(call)[arn] = {
      arn,
      ...definition,
      createdAt: Math.floor(Date.now() / 1000),
      creatorAccountId: call.caller.accountId,
      tags: tagsOf(input),
    };
    region.reportGeneratorTokens[input.ClientToken as string] = arn;
    return { LicenseManagerReportGeneratorArn: arn };
  },

  GetLicenseManagerReportGenerator: (call, input) => ({
    ReportGenerator: describe(call, findReportGenerator(call, input.LicenseManagerReportGeneratorArn)),
  }),

  ListLicenseManagerReportGenerators: (call, input) => {
    const filters = (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? [];
    const byConfiguration = filters.find((f) => f.Name === "LicenseConfigurationArn")?.Values;
    const all = Object.values(generators(call)).filter(
      (g) => !byConfiguration || g.licenseConfigurationArns.some((arn) => byConfiguration.includes(arn)),
    );
    const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
    if (!Number.isInteger(start) || start < 0) throw invalid(`Invalid NextToken: ${String(input.NextToken)}`);
    const maxResults = typeof input.MaxResults === "number" ? input.MaxResults : all.length;
    const page = all.slice(start, start + maxResults);
    const next = start + page.length;
    return {
      ReportGenerators: page.map((generator) => describe(call, generator)),
      ...(next < all.length && { NextToken: String(next) }),
    };
  },

  // Update replaces the whole definition (every field but the description is required); tags stay.
  UpdateLicenseManagerReportGenerator: (call, input) => {
    const generator = findReportGenerator(call, input.LicenseManagerReportGeneratorArn);
    Object.assign(generator, reportDefinition(call, input));
    return {};
  },

  DeleteLicenseManagerReportGenerator: (call, input) => {
    const generator = findReportGenerator(call, input.LicenseManagerReportGeneratorArn);
    delete generators(call)[generator.arn];
    return {};
  },
};
