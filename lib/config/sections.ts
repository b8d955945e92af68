/**
 * The config file's sections: every field with its format, its default and its documentation (once, in
 * `field`), plus the cross-field rules that live within one object (so they are reported even when a sibling
 * object is invalid); the access and licenseManager sections have files of their own. Rules that span the whole
 * file are in validator.ts; schema.ts puts the two together.
 */
import { z } from "zod";
import { licenseManagerPrincipals, ownPrincipals } from "../names/license-manager";
import { listOf } from "../messages/alternatives";
import { field } from "./field-docs";
import {
  accountId,
  enumOf,
  formatted,
  issue,
  kmsKeyArn,
  organizationId,
  region,
  roleArn,
  s3BucketName,
  section,
  servicePrincipal,
  tags,
  trueOrFalse,
  uniqueItems,
  wholeNumber,
  environmentName,
} from "./formats";
import { access } from "./access-section";
import { licenseManager } from "./license-manager-section";

export const policyTypes = [
  "AISERVICES_OPT_OUT_POLICY",
  "BACKUP_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
  "RESOURCE_CONTROL_POLICY",
  "SERVICE_CONTROL_POLICY",
  "TAG_POLICY",
] as const;

const memberAccount = section(
  {
    id: field(accountId, { meaning: "The member account's id" }),
    name: field(formatted(/\S/, "a name for the account"), { meaning: "A name for messages and reports" }),
  },
  "a member account as { id, name }",
);

const organization = section(
  {
    source: field(enumOf(["import", "create", "external"]).default("import"), {
      meaning:
        "`import` adopts the organization `id` with an import block and owns its trusted access and policy types; `create` creates one; `external`: another owner (Control Tower, LZA, AFT, another state) keeps the organization, and this project only enables License Manager's two principals, one by one",
    }),
    id: field(organizationId.optional(), {
      meaning:
        "The existing organization's id: `o-` and 10–32 lowercase letters or digits. With `source: external`, the plan checks that the credentials reach this organization",
      requiredWith: "`source: import` or `external`",
    }),
    enabledPolicyTypes: field(
      z.array(enumOf(policyTypes)).superRefine(uniqueItems("policy type")).optional(),
      {
        meaning:
          "Policy types enabled on the root; authoritative like the principals, and guarded the same way (not with `source: external`)",
        default: "`[]`",
      },
    ),
    serviceAccessPrincipals: field(
      z.array(servicePrincipal).superRefine(uniqueItems("service principal")).optional(),
      {
        meaning:
          "Every **other** service principal with trusted access that must stay enabled (`*.amazonaws.com`); License Manager's two are always added. Not with `source: external`, where the other owner keeps this list",
        requiredWith: "`source: import` or `create`",
      },
    ),
    principalsAllowedToBeRemoved: field(
      z.array(servicePrincipal).superRefine(uniqueItems("service principal")).default([]),
      {
        meaning:
          "Principals enabled now that this deploy may disable; anything else enabled now and missing from the desired list fails the plan. With `source: external`, only License Manager's own, which the deploy then disables",
      },
    ),
    memberAccounts: field(
      z
        .array(memberAccount)
        .superRefine(uniqueItems("account id", (account) => account.id, ["id"]))
        .default([]),
      { meaning: "Member accounts the config refers to (delegated administrator, reports)" },
    ),
  },
  "the organization section: { source, id, serviceAccessPrincipals, … }",
)
  .superRefine((org, ctx) => {
    if (org.source !== "create" && org.id === undefined) {
      issue(
        ctx,
        ["id"],
        `required with source: ${org.source}; expected the id of the existing organization, o-…`,
      );
    }
    if (org.source === "create" && org.id !== undefined) {
      issue(ctx, ["id"], "expected no id with source: create, where Organizations assigns it");
    }
    const isOwn = (principal: string) => (ownPrincipals as readonly string[]).includes(principal);
    const isLicenseManagers = (principal: string) =>
      (licenseManagerPrincipals as readonly string[]).includes(principal);
    if (org.source === "external") {
      // The other owner holds the authoritative lists; writing them here would start the fight this mode ends.
      for (const key of ["serviceAccessPrincipals", "enabledPolicyTypes"] as const) {
        if (org[key] !== undefined) {
          issue(
            ctx,
            [key],
            `expected no ${key} with source: external: the organization's other owner manages it, and this project enables only its own principals, License Manager's and, for grants of Marketplace licenses, AWS Marketplace's (got ${JSON.stringify(org[key])})`,
          );
        }
      }
      org.principalsAllowedToBeRemoved.forEach((principal, index) => {
        if (!isOwn(principal)) {
          issue(
            ctx,
            ["principalsAllowedToBeRemoved", index],
            `expected only this project's principals (${listOf(ownPrincipals)}) with source: external, where no other principal is this project's to disable`,
          );
        }
      });
      return;
    }
    if (org.serviceAccessPrincipals === undefined) {
      issue(
        ctx,
        ["serviceAccessPrincipals"],
        `is required with source: ${org.source}; expected the other principals that keep trusted access, e.g. [sso.amazonaws.com], or []`,
      );
    }
    const desired = new Set<string>(org.serviceAccessPrincipals);
    org.principalsAllowedToBeRemoved.forEach((principal, index) => {
      if (desired.has(principal)) {
        issue(
          ctx,
          ["principalsAllowedToBeRemoved", index],
          "also listed in serviceAccessPrincipals; expected a principal either kept or allowed to go, not both",
        );
      }
      if (isLicenseManagers(principal)) {
        issue(
          ctx,
          ["principalsAllowedToBeRemoved", index],
          "expected a principal other than License Manager's, which this project always enables",
        );
      }
    });
  })
  .transform((org) => ({
    ...org,
    serviceAccessPrincipals: org.serviceAccessPrincipals ?? [],
    enabledPolicyTypes: org.enabledPolicyTypes ?? [],
  }));

const backend = section(
  {
    bucket: field(s3BucketName, { meaning: "State bucket name (S3 naming rules)" }),
    keyPrefix: field(
      // S3's safe key characters but `*`, which IAM reads as a wildcard in the roles' state-key ARNs.
      formatted(
        /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*$/,
        "an S3 key prefix without leading or trailing slash: letters, digits and ! _ . ' ( ) - between slashes (no *, which IAM reads as a wildcard), e.g. license-manager-org",
      ).default("license-manager-org"),
      { meaning: "State keys are `<keyPrefix>/<stack>.tfstate`" },
    ),
    region: field(region.optional(), {
      meaning: "Region of the bucket and the lock table",
      default: "`homeRegion`",
    }),
    locking: field(enumOf(["lockfile", "dynamodb"]).default("lockfile"), {
      meaning: "`lockfile` (S3 conditional writes, Terraform 1.10+) or `dynamodb` (a lock table)",
    }),
    dynamodbTable: field(
      formatted(
        /^[A-Za-z0-9_.-]{3,255}$/,
        "a DynamoDB table name: 3–255 letters, digits, '_', '-' or '.'",
      ).optional(),
      { meaning: "Lock table name", requiredWith: "`locking: dynamodb`" },
    ),
    kmsKeyArn: field(kmsKeyArn.optional(), {
      meaning:
        "Customer managed KMS key for the bucket, the table and the state objects, in `backend.region`; a key ARN, not an alias, with an `access` section (its roles' policies name the key)",
      default: "SSE-S3 for the bucket, the AWS owned key for the table",
    }),
    noncurrentVersionExpirationDays: field(wholeNumber(1, undefined, "days").default(90), {
      meaning: "Days before old state versions expire",
    }),
    bootstrapStateInBackend: field(trueOrFalse().default(false), {
      meaning:
        "Whether the bootstrap stack keeps its own state in the bucket it created: set it after the first bootstrap deploy, then run `cdktf deploy bootstrap --migrate-state`",
    }),
  },
  "the backend section: { bucket, … }",
).superRefine((config, ctx) => {
  if (config.locking === "dynamodb" && config.dynamodbTable === undefined) {
    issue(ctx, ["dynamodbTable"], "required with locking: dynamodb; expected the lock table's name");
  }
  if (config.locking === "lockfile" && config.dynamodbTable !== undefined) {
    issue(
      ctx,
      ["dynamodbTable"],
      "only used with locking: dynamodb; expected no table with locking: lockfile (remove it or set locking: dynamodb)",
    );
  }
});

const s3Compatibility = section(
  {
    usePathStyle: field(trueOrFalse().default(false), {
      meaning: "Path-style S3 for the backend and the provider (S3-compatible stores such as the sandbox's)",
    }),
    skipBackendValidation: field(trueOrFalse().default(false), {
      meaning:
        "Skip the backend's AWS-only checks (credentials, region, account id, metadata API, checksums)",
    }),
  },
  "{ usePathStyle, skipBackendValidation }",
);

export const configSections = section(
  {
    managementAccountId: field(accountId, {
      meaning: "The management account, 12 digits, **quoted**; the provider refuses any other account",
    }),
    homeRegion: field(region, { meaning: "Region of the organization resources and the default provider" }),
    deployRoleArn: field(roleArn.optional(), {
      meaning: "Role in the management account assumed by the provider, the backend and the project CLIs",
      requiredWith: "`access`",
      default: "your credentials",
    }),
    planRoleArn: field(roleArn.optional(), {
      meaning: "Read-only role for plans and drift checks (`LM_ROLE=plan`), created by the access stack",
      requiredWith: "`access`",
      default: "none",
    }),
    access: field(access.optional(), {
      meaning:
        "The access stack: GitHub's OIDC provider and the plan and deploy roles with least-privilege policies",
      default: "no access stack; the roles are managed elsewhere",
    }),
    environment: field(environmentName.optional(), {
      meaning:
        "The environment's name in the `license-manager-org:environment` tag on every resource (docs/configuration.md, Project tags); changing it re-tags everything",
      default: "the config file's name without `.yaml`",
    }),
    defaultTags: field(tags.default({}), {
      meaning: "Tags on every taggable resource (AWS's tagging rules)",
    }),
    organization: field(organization, { meaning: "The organization and its trusted access" }),
    backend: field(backend, { meaning: "The S3 backend that holds every stack's state" }),
    licenseManager: field(licenseManager.default({}), {
      meaning: "License Manager's settings and license configurations",
    }),
    s3Compatibility: field(s3Compatibility.default({}), {
      meaning: "Options for S3-compatible stand-ins such as the sandbox's s3rver; never needed against AWS",
    }),
  },
  "a mapping of config keys such as managementAccountId and homeRegion",
);

type ParsedConfig = z.output<typeof configSections>;

/**
 * The defaults that depend on other fields (documented with their fields above): `backend.region` and
 * `licenseManager.regions` from `homeRegion`, a license configuration's and a report's `regions` from
 * `licenseManager.regions`, a grant's `homeRegion` from `homeRegion`.
 */
export function resolveDefaults(config: ParsedConfig) {
  const licenseManagerRegions = config.licenseManager.regions ?? [config.homeRegion];
  return {
    ...config,
    backend: { ...config.backend, region: config.backend.region ?? config.homeRegion },
    licenseManager: {
      ...config.licenseManager,
      regions: licenseManagerRegions,
      licenseConfigurations: config.licenseManager.licenseConfigurations.map((licenseConfig) => ({
        ...licenseConfig,
        regions: licenseConfig.regions ?? licenseManagerRegions,
      })),
      reports: config.licenseManager.reports.map((report) => ({
        ...report,
        regions: report.regions ?? licenseManagerRegions,
      })),
      grants: config.licenseManager.grants.map((grant) => ({
        ...grant,
        homeRegion: grant.homeRegion ?? config.homeRegion,
      })),
    },
  };
}

export type ResolvedConfig = ReturnType<typeof resolveDefaults>;
