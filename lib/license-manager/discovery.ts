/**
 * What License Manager should discover and report in one region: the desired state of the
 * license-manager-discovery-and-reports kind (discovery-and-reports.ts), which the stack records and the
 * reconcile CLI applies: each license
 * configuration's automated discovery rules (UpdateLicenseConfiguration's ProductInformationList and
 * DisassociateWhenNotFound) and the report generators that carry the stack's project tags. Neither has a
 * Terraform resource (the provider's aws_licensemanager_license_configuration has no argument for them).
 */
import { z } from "zod";
import type { DiscoveryRules } from "../config/automated-discovery";
import { reportFrequencies, reportTypes, type ReportFrequencyName } from "../config/reports-section";

/** The kind of a region's desired discovery rules and report generators on the reconcile contract. */
export const discoveryInputKind = "license-manager-discovery-and-reports";

const productInformationFilter = z
  .object({
    ProductInformationFilterName: z.string().min(1),
    ProductInformationFilterValue: z.array(z.string()).optional(),
    ProductInformationFilterComparator: z.string().min(1),
  })
  .strict();

const productInformation = z
  .object({
    ResourceType: z.string().min(1),
    ProductInformationFilterList: z.array(productInformationFilter),
  })
  .strict();

export type ProductInformation = z.output<typeof productInformation>;

const licenseConfigurationArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:license-manager:[a-z0-9-]+:\d{12}:license-configuration:lic-[0-9a-f]+$/, {
    message: "must be a license configuration ARN",
  });

const desiredDiscovery = z
  .object({
    name: z.string().min(1),
    licenseConfigurationArn,
    productInformationList: z.array(productInformation),
    disassociateWhenNotFound: z.boolean(),
  })
  .strict();

const desiredReport = z
  .object({
    name: z.string().min(1).max(100),
    types: z.array(z.enum(reportTypes)).min(1),
    period: z.enum(["DAY", "WEEK", "MONTH"]),
    licenseConfigurationArns: z.array(licenseConfigurationArn).min(1),
    description: z.string().optional(),
    tags: z.record(z.string()),
  })
  .strict();

export const desiredDiscoveryAndReportsSchema = z
  .object({
    /** The project tags every managed report generator carries; generators without them are left alone. */
    managedTags: z.record(z.string()),
    discovery: z.array(desiredDiscovery),
    reports: z.array(desiredReport),
  })
  .strict();

export type DesiredDiscoveryAndReports = z.output<typeof desiredDiscoveryAndReportsSchema>;
export type DesiredDiscovery = DesiredDiscoveryAndReports["discovery"][number];
export type DesiredReport = DesiredDiscoveryAndReports["reports"][number];

/** The config's discovery rules in the API's shape; none when the configuration has no automatedDiscovery. */
export function productInformationListOf(discovery: DiscoveryRules | undefined): ProductInformation[] {
  return (discovery?.productInformation ?? []).map((rule) => ({
    ResourceType: rule.resourceType,
    ProductInformationFilterList: rule.filters.map((filter) => ({
      ProductInformationFilterName: filter.name,
      ...(filter.values !== undefined && { ProductInformationFilterValue: [...filter.values] }),
      ProductInformationFilterComparator: filter.comparator,
    })),
  }));
}

export const periodOf = (frequency: ReportFrequencyName): "DAY" | "WEEK" | "MONTH" =>
  reportFrequencies[frequency];
