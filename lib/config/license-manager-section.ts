/**
 * The licenseManager section: regions, settings and license configurations (with the rules of
 * license-rules-section.ts), each field documented once in `field`.
 */
import { z } from "zod";
import { field } from "./field-docs";
import {
  accountId,
  amiReference,
  enumOf,
  formatted,
  issue,
  region,
  regionKey,
  s3BucketArn,
  section,
  snsTopicArn,
  tags,
  trueOrFalse,
  uniqueItems,
  wholeNumber,
} from "./formats";
import { automatedDiscoverySchema, checkAutomatedDiscovery } from "./automated-discovery";
import { checkLicenseRules, licenseCountingTypes, licenseRulesSchema } from "./license-rules-section";
import { grants } from "./grants-section";
import { reports } from "./reports-section";

const licenseConfiguration = section(
  {
    name: field(
      formatted(
        /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/,
        "a name of 1–128 letters, digits, spaces, '_', '.' and '-', starting with a letter or digit",
      ),
      {
        meaning: "Name of the license configuration; also its Terraform address, so renaming one replaces it",
      },
    ),
    description: field(
      z
        .string({ invalid_type_error: "expected a description as text, up to 1024 characters" })
        .max(1024, { message: "expected a description as text, up to 1024 characters" })
        .optional(),
      {
        meaning: "Description shown in License Manager",
        default: "none",
      },
    ),
    licenseCountingType: field(enumOf(licenseCountingTypes), {
      meaning: "What is counted: `vCPU`, `Instance`, `Core` or `Socket`",
    }),
    licenseCount: field(wholeNumber(0, undefined, "licenses").optional(), {
      meaning: "Number of licenses",
      requiredWith: "`hardLimit: true`",
      default: "no count",
    }),
    hardLimit: field(trueOrFalse().default(false), {
      meaning: "Whether License Manager blocks launches beyond `licenseCount`",
    }),
    rules: field(licenseRulesSchema.default({}), {
      meaning: "Typed rules, checked per counting type (see below)",
    }),
    tags: field(tags.default({}), { meaning: "Tags of the license configuration (AWS's tagging rules)" }),
    regions: field(z.array(region).superRefine(uniqueItems("region")).optional(), {
      meaning: "Regions the configuration is created in, among `licenseManager.regions`",
      default: "every region of `licenseManager.regions`",
    }),
    associatedAmis: field(
      z.record(regionKey, z.array(amiReference).superRefine(uniqueItems("AMI"))).default({}),
      {
        meaning: "AMIs (`ami-…` ids or AMI ARNs) associated with the configuration: `{ <region>: [AMI, …] }`",
      },
    ),
    automatedDiscovery: field(automatedDiscoverySchema.optional(), {
      meaning:
        "Automated discovery rules: which resources running the licensed software License Manager finds and counts (see below)",
      default: "none; discovery rules set outside this project are removed",
    }),
  },
  "a license configuration: { name, licenseCountingType, … }",
).superRefine((config, ctx) => {
  for (const ruleIssue of checkLicenseRules(config.licenseCountingType, config.rules)) {
    issue(ctx, ["rules", ...ruleIssue.path], ruleIssue.message);
  }
  if (config.automatedDiscovery) {
    for (const discoveryIssue of checkAutomatedDiscovery(config.automatedDiscovery)) {
      issue(ctx, ["automatedDiscovery", ...discoveryIssue.path], discoveryIssue.message);
    }
  }
  if (config.hardLimit && config.licenseCount === undefined) {
    issue(
      ctx,
      ["licenseCount"],
      "required with hardLimit: true; expected a whole number of licenses, which the hard limit enforces",
    );
  }
});

const licenseManagerSettings = section(
  {
    crossAccountDiscovery: field(trueOrFalse().default(false), {
      meaning: "Cross-account resource discovery; needs Systems Manager inventory and Athena in the accounts",
    }),
    reportBucketArn: field(s3BucketArn.optional(), {
      meaning:
        "An existing report bucket, used in every region; its name must start with `aws-license-manager-service-`",
      default: "created per region",
    }),
    snsTopicArns: field(z.record(regionKey, snsTopicArn).default({}), {
      meaning:
        "Existing alert topics: `{ <region>: <topic ARN> }`; the stack creates one in each region not listed",
    }),
  },
  "License Manager's settings: { crossAccountDiscovery, reportBucketArn, snsTopicArns }",
);

export const licenseManager = section(
  {
    regions: field(
      z
        .array(region)
        .min(1, { message: "expected at least one region" })
        .superRefine(uniqueItems("region"))
        .optional(),
      {
        meaning: "Regions whose License Manager settings and license configurations are managed",
        default: "`[homeRegion]`",
      },
    ),
    delegatedAdministrator: field(accountId.optional(), {
      meaning:
        "A member account from `organization.memberAccounts`, registered as License Manager's delegated administrator",
      default: "none",
    }),
    settings: field(licenseManagerSettings.default({}), {
      meaning: "License Manager's settings in each region",
    }),
    licenseConfigurations: field(
      z
        .array(licenseConfiguration)
        .superRefine(uniqueItems("license configuration name", (config) => config.name, ["name"]))
        .default([]),
      { meaning: "The license configurations" },
    ),
    reports: field(reports.default([]), {
      meaning: "Report generators: usage reports of license configurations, written into the report bucket",
    }),
    grants: field(grants.default([]), {
      meaning:
        "Grants: licenses the management account holds, distributed to member accounts, organizational units or the whole organization",
    }),
  },
  "the licenseManager section: { regions, settings, licenseConfigurations, … }",
);
