/**
 * licenseManager.grants: licenses the management account holds (bought in AWS Marketplace or issued by a seller)
 * distributed to the organization's accounts, organizational units or the whole organization, each field
 * documented once in `field`. The API's own constraints (License Manager API Reference, CreateGrant and
 * CreateGrantVersion) are checked here so that a plan never sends what License Manager refuses.
 */
import { z } from "zod";
import { allowedGrantOperations, grantActivationOverrides } from "../names/license-manager";
import { field } from "./field-docs";
import { accountIdPattern, licenseArnPattern } from "../aws/arn";
import { enumOf, formatted, issue, region, section, trueOrFalse, uniqueItems } from "./formats";

const organizationalUnitIdPattern = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const grantPrincipalExpected =
  'expected "organization", a member account id (12 digits) or an organizational unit id such as ou-ab12-cd34ef56';

/** `organization`, an account id (a member account of the config) or an organizational unit id. */
const grantPrincipal = z
  .string({
    invalid_type_error: grantPrincipalExpected,
    required_error: `required; ${grantPrincipalExpected}`,
  })
  .refine(
    (principal) =>
      principal === "organization" ||
      accountIdPattern.test(principal) ||
      organizationalUnitIdPattern.test(principal),
    { message: grantPrincipalExpected },
  );

const grant = section(
  {
    name: field(
      formatted(
        /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/,
        "a name of 1–128 letters, digits, spaces, '_', '.' and '-', starting with a letter or digit",
      ),
      { meaning: "Name of the grant, as recipients see it; also part of its Terraform address" },
    ),
    licenseArn: field(
      formatted(
        licenseArnPattern,
        "a License Manager license ARN such as arn:aws:license-manager::123456789012:license:l-0123456789abcdef0123456789abcdef",
      ),
      {
        meaning:
          "The license the management account holds (received from AWS Marketplace or a seller) whose entitlements are distributed",
      },
    ),
    homeRegion: field(region.optional(), {
      meaning: "The license's home Region, where its grants are created; one of `licenseManager.regions`",
      default: "`homeRegion`",
    }),
    allowedOperations: field(
      z
        .array(enumOf(allowedGrantOperations))
        .min(1, { message: "expected at least one operation" })
        .superRefine(uniqueItems("operation")),
      {
        meaning: `What recipients may do with the license, among ${allowedGrantOperations.map((operation) => `\`${operation}\``).join(", ")}`,
      },
    ),
    principals: field(
      z
        .array(grantPrincipal)
        .min(1, { message: "expected at least one principal" })
        .superRefine(uniqueItems("principal")),
      {
        meaning:
          "Who receives it: `organization` (every account), organizational unit ids (`ou-…`) or member account ids from `organization.memberAccounts`; one grant per principal",
      },
    ),
    marketplace: field(trueOrFalse().default(true), {
      meaning:
        "Whether the license was bought in AWS Marketplace: then AWS Marketplace's trusted access (`license-management.marketplace.amazonaws.com`) and service-linked role are enabled, which sharing it needs",
    }),
    activate: field(trueOrFalse().default(true), {
      meaning:
        "Whether the grant is activated (status ACTIVE) after the organization link accepts it; false keeps it accepted but disabled",
    }),
    activationOverrideBehavior: field(enumOf(grantActivationOverrides).optional(), {
      meaning:
        "For AWS Marketplace licenses: `DISTRIBUTED_GRANTS_ONLY` keeps recipients' other active grants of the product, `ALL_GRANTS_PERMITTED_BY_ISSUER` replaces them",
      default: "none: AWS's own behaviour",
    }),
  },
  "a grant: { name, licenseArn, allowedOperations, principals, … }",
).superRefine((config, ctx) => {
  // "the operation must specify the value of ACTIVE for the Status parameter" (API Reference, Options).
  // "Activation options can only be used with granted licenses sourced from the AWS Marketplace" (same page).
  if (config.activationOverrideBehavior !== undefined && !config.marketplace) {
    issue(
      ctx,
      ["activationOverrideBehavior"],
      `applies only to AWS Marketplace licenses; expected marketplace: true or no activationOverrideBehavior (got ${JSON.stringify(config.activationOverrideBehavior)} with marketplace: false)`,
    );
  } else if (config.activationOverrideBehavior !== undefined && !config.activate) {
    issue(
      ctx,
      ["activationOverrideBehavior"],
      `applies only when activating; expected activate: true or no activationOverrideBehavior (got ${JSON.stringify(config.activationOverrideBehavior)} with activate: false)`,
    );
  }
});

export const grants = z
  .array(grant)
  .superRefine(uniqueItems("grant name", (config) => config.name, ["name"]));

/** Account ids of the principals; `organization` and OUs aside. */
export const isAccountPrincipal = (principal: string): boolean => accountIdPattern.test(principal);
