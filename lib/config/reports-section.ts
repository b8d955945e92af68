/**
 * licenseManager.reports: License Manager's report generators, which write usage reports of license
 * configurations into the report bucket. Which configurations exist in a report's regions is checked with
 * the whole file (validator.ts).
 */
import { z } from "zod";
import { field } from "./field-docs";
import { listOf } from "../messages/alternatives";
import { enumOf, formatted, region, section, tags, uniqueItems } from "./formats";

/** CreateLicenseManagerReportGenerator's Type (ReportType) for license configurations. */
export const reportTypes = ["LicenseConfigurationSummaryReport", "LicenseConfigurationUsageReport"] as const;

/** ReportFrequency.period: the API's DAY, WEEK and MONTH, with `value` 1 (the only one it supports). */
export const reportFrequencies = { daily: "DAY", weekly: "WEEK", monthly: "MONTH" } as const;
export type ReportFrequencyName = keyof typeof reportFrequencies;

/**
 * ReportGeneratorName is 1–100 characters (API reference); the name also becomes the generator's Terraform
 * construct id and its identity across deploys, so this project keeps to letters, digits, spaces, '_', '.' and
 * '-', like license configuration names.
 */
const reportNamePattern = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

const report = section(
  {
    name: field(
      formatted(
        reportNamePattern,
        "a report name of 1–100 letters, digits, spaces, '_', '.' and '-', starting with a letter or digit",
      ),
      { meaning: "Name of the report generator; it identifies the generator, so renaming one replaces it" },
    ),
    types: field(
      z
        .array(enumOf(reportTypes), { invalid_type_error: `expected a list of report types` })
        .min(1, { message: `expected at least one of ${listOf(reportTypes, "report types")}` })
        .superRefine(uniqueItems("report type")),
      {
        meaning:
          "Reports generated: `LicenseConfigurationSummaryReport` (licenses consumed) and/or `LicenseConfigurationUsageReport` (the resources consuming them)",
      },
    ),
    frequency: field(
      enumOf(Object.keys(reportFrequencies) as [ReportFrequencyName, ...ReportFrequencyName[]]),
      {
        meaning: "`daily`, `weekly` or `monthly`",
      },
    ),
    licenseConfigurations: field(
      z
        .array(formatted(/\S/, "the name of a license configuration"), {
          invalid_type_error: "expected a list of license configuration names",
        })
        .min(1, { message: "expected at least one license configuration" })
        .superRefine(uniqueItems("license configuration")),
      {
        meaning:
          "Names of the license configurations reported on, each created in every region of the report",
      },
    ),
    description: field(
      z
        .string({ invalid_type_error: "expected a description as text, up to 1024 characters" })
        .max(1024, { message: "expected a description as text, up to 1024 characters" })
        .optional(),
      { meaning: "Description of the report generator", default: "none" },
    ),
    tags: field(tags.default({}), {
      meaning:
        "Tags of the report generator, besides `defaultTags` and the project tags (AWS's tagging rules)",
    }),
    regions: field(z.array(region).superRefine(uniqueItems("region")).optional(), {
      meaning: "Regions the report generator is created in, among `licenseManager.regions`",
      default: "every region of `licenseManager.regions`",
    }),
  },
  "a report: { name, types, frequency, licenseConfigurations, … }",
);

export const reports = z
  .array(report, { invalid_type_error: "expected a list of reports" })
  .superRefine(uniqueItems("report name", (item) => item.name, ["name"]));
