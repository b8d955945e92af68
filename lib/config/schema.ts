/**
 * The config file's schema: shapes, formats and defaults, plus the cross-field rules that live within one
 * object (so they are reported even when a sibling object is invalid). Rules that span the whole file are
 * in validator.ts and run from here.
 */
import { z } from "zod";
import {
  checkLicenseRules,
  licenseCountingTypes,
  licenseRulesSchema,
} from "../license-manager/license-rules";
import {
  accountId,
  amiReference,
  githubEnvironment,
  githubOidcProviderArn,
  githubRepository,
  iamPrincipalArn,
  kmsKeyArn,
  organizationId,
  region,
  roleArn,
  s3BucketArn,
  s3BucketName,
  servicePrincipal,
  snsTopicArn,
  tags,
  uniqueItems,
} from "./formats";
import { policyTypes } from "./model";
import { validateConfig } from "./validator";

const enumOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values as unknown as [T[number], ...T[number][]], {
    errorMap: () => ({ message: `expected one of ${values.join(", ")}` }),
  });

const memberAccount = z.object({ id: accountId, name: z.string().min(1) }).strict();

const organization = z
  .object({
    source: enumOf(["import", "create"]).default("import"),
    id: organizationId.optional(),
    enabledPolicyTypes: z.array(enumOf(policyTypes)).superRefine(uniqueItems("policy type")).default([]),
    serviceAccessPrincipals: z.array(servicePrincipal).superRefine(uniqueItems("service principal")),
    principalsAllowedToBeRemoved: z
      .array(servicePrincipal)
      .superRefine(uniqueItems("service principal"))
      .default([]),
    memberAccounts: z
      .array(memberAccount)
      .superRefine((accounts, ctx) =>
        uniqueItems("account id")(
          accounts.map((account) => account.id),
          ctx,
        ),
      )
      .default([]),
  })
  .strict()
  .superRefine((org, ctx) => {
    if (org.source === "import" && org.id === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["id"],
        message: "required with source: import (the id of the existing organization, o-…)",
      });
    }
    if (org.source === "create" && org.id !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["id"],
        message: "must be absent with source: create (Organizations assigns the id)",
      });
    }
    const desired = new Set<string>(org.serviceAccessPrincipals);
    org.principalsAllowedToBeRemoved.forEach((principal, index) => {
      if (desired.has(principal)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["principalsAllowedToBeRemoved", index],
          message: "is also listed in serviceAccessPrincipals: a principal is either kept or allowed to go",
        });
      }
      if (principal.startsWith("license-manager.")) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["principalsAllowedToBeRemoved", index],
          message: "License Manager's principals are always enabled by this project",
        });
      }
    });
  });

const backend = z
  .object({
    bucket: s3BucketName,
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, {
        message: "expected an S3 key prefix without leading or trailing slash, e.g. license-manager-org",
      })
      .default("license-manager-org"),
    region: region.optional(),
    locking: enumOf(["lockfile", "dynamodb"]).default("lockfile"),
    dynamodbTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
        message: "expected a DynamoDB table name: 3–255 letters, digits, '_', '-' or '.'",
      })
      .optional(),
    kmsKeyArn: kmsKeyArn.optional(),
    noncurrentVersionExpirationDays: z
      .number({ invalid_type_error: "expected a whole number of days" })
      .int({ message: "expected a whole number of days" })
      .min(1, { message: "expected at least 1 day" })
      .default(90),
    bootstrapStateInBackend: z.boolean({ invalid_type_error: "expected true or false" }).default(false),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.locking === "dynamodb" && config.dynamodbTable === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["dynamodbTable"],
        message: "required with locking: dynamodb (the lock table's name)",
      });
    }
    if (config.locking === "lockfile" && config.dynamodbTable !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["dynamodbTable"],
        message: "only used with locking: dynamodb; remove it or set locking: dynamodb",
      });
    }
  });

const licenseConfiguration = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, {
        message: "expected letters, digits, spaces, '_', '.' and '-', starting with a letter or digit",
      }),
    description: z.string().max(1024).optional(),
    licenseCountingType: enumOf(licenseCountingTypes),
    licenseCount: z
      .number({ invalid_type_error: "expected a whole number of licenses" })
      .int({ message: "expected a whole number of licenses" })
      .min(0, { message: "expected 0 or more licenses" })
      .optional(),
    hardLimit: z.boolean({ invalid_type_error: "expected true or false" }).default(false),
    rules: licenseRulesSchema.default({}),
    tags: tags.default({}),
    regions: z.array(region).superRefine(uniqueItems("region")).optional(),
    associatedAmis: z.record(region, z.array(amiReference).superRefine(uniqueItems("AMI"))).default({}),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of checkLicenseRules(config.licenseCountingType, config.rules)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["rules", ...issue.path], message: issue.message });
    }
    if (config.hardLimit && config.licenseCount === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["licenseCount"],
        message: "required with hardLimit: true (a hard limit needs a count to enforce)",
      });
    }
  });

const licenseManager = z
  .object({
    regions: z.array(region).min(1).superRefine(uniqueItems("region")).optional(),
    delegatedAdministrator: accountId.optional(),
    settings: z
      .object({
        crossAccountDiscovery: z.boolean({ invalid_type_error: "expected true or false" }).default(false),
        reportBucketArn: s3BucketArn.optional(),
        snsTopicArns: z.record(region, snsTopicArn).default({}),
      })
      .strict()
      .default({}),
    licenseConfigurations: z
      .array(licenseConfiguration)
      .superRefine((configs, ctx) =>
        uniqueItems("license configuration name")(
          configs.map((config) => config.name),
          ctx,
        ),
      )
      .default([]),
  })
  .strict()
  .default({});

const iamRoleName = z
  .string({ invalid_type_error: "expected an IAM role name" })
  .regex(/^[\w+=,.@-]{1,64}$/, { message: "expected an IAM role name: 1–64 letters, digits or +=,.@_-" });

const access = z
  .object({
    github: z
      .object({
        repository: githubRepository,
        environment: githubEnvironment,
        defaultBranch: z
          .string({ invalid_type_error: "expected a branch name" })
          .regex(/^(?!\/|.*\/$|.*\/\/|.*\.\.)[A-Za-z0-9._/-]{1,255}$/, {
            message: "expected a branch name such as main (letters, digits, '.', '_', '-', '/')",
          })
          .default("main"),
      })
      .strict(),
    oidcProviderArn: githubOidcProviderArn.optional(),
    workstationPrincipals: z
      .object({
        plan: z.array(iamPrincipalArn).superRefine(uniqueItems("principal")).default([]),
        deploy: z.array(iamPrincipalArn).superRefine(uniqueItems("principal")).default([]),
      })
      .strict()
      .default({}),
    memberReadRoleName: iamRoleName.optional(),
  })
  .strict();

const configObject = z
  .object({
    managementAccountId: accountId,
    homeRegion: region,
    deployRoleArn: roleArn.optional(),
    planRoleArn: roleArn.optional(),
    access: access.optional(),
    defaultTags: tags.default({}),
    organization,
    backend,
    licenseManager,
    s3Compatibility: z
      .object({
        usePathStyle: z.boolean({ invalid_type_error: "expected true or false" }).default(false),
        skipBackendValidation: z.boolean({ invalid_type_error: "expected true or false" }).default(false),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ParsedConfig = z.output<typeof configObject>;

// Whole-file rules run whenever every field has its type, even if some failed a format check, so one
// run reports as many problems as it can.
export const configSchema = configObject.superRefine((config, ctx) => {
  for (const issue of validateConfig(config)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...issue.path], message: issue.message });
  }
});
