/**
 * License Manager's licenses and grants, as the API Reference and the User Guide describe them:
 * - A grant shares a license the caller holds with one principal: an account (its root ARN), an organizational
 *   unit or the organization (CreateGrant: Principals). Licenses and grants are global ARNs
 *   (`arn:aws:license-manager::<account>:grant:g-…`, Service Authorization Reference) with a home Region.
 * - A recipient accepts (status DISABLED: "Grants that are accepted but not yet activated have a status of
 *   Disabled"), activates (ACTIVE) or rejects a grant; a grant starts PENDING_ACCEPT ("By default, the grant
 *   details page for a granted license has a status of Pending acceptance"), User Guide, "Grant acceptance and
 *   activation".
 * - "You can automatically accept grants that come from the management account of your organization. To enable
 *   grant auto-acceptance, link your organization accounts on the settings page" (same page): a grant created by
 *   the management account while License Manager's Organizations integration is on in the grant's home Region
 *   starts accepted (DISABLED) for every recipient in the organization.
 * - CreateGrantVersion makes a new version: a new name, operations or status; `Options.ActivationOverrideBehavior`
 *   "can only be used with granted licenses sourced from the AWS Marketplace. Additionally, the operation must
 *   specify the value of ACTIVE for the Status parameter" (API Reference, Options).
 * - Sharing an AWS Marketplace license with other accounts of the organization needs AWS Marketplace's
 *   service-linked role, AWSServiceRoleForMarketplaceLicenseManagement (AWS Marketplace Buyer Guide, "Service-linked
 *   role to share entitlements"): the sandbox refuses to activate such a grant while the grantor lacks it.
 * Where AWS is silent the sandbox chooses, and says so: a grant's home Region must be the license's and the
 * Region called; a grant to an organizational unit reaches no account (the sandbox has no OUs); the grantor's
 * status of an organization-wide grant is the one it last set, each account's is its own.
 */
import { randomBytes } from "node:crypto";
import { AllowedOperation } from "@aws-sdk/client-license-manager";
import { AwsError, accessDenied, requireString } from "../errors";
import type { CallContext, JsonHandler, JsonInput } from "./types";
import {
  iamAccount,
  type EmulatorState,
  type GrantState,
  type GrantStatus,
  type LicenseState,
} from "../state";

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);
const validation = (message: string): AwsError => new AwsError("ValidationException", message);

/** CreateGrant's AllowedOperations (API Reference), as the SDK's model lists them. */
const allowedOperations: readonly string[] = Object.values(AllowedOperation);
/** What CreateGrantVersion's Status may set (the GrantStatus values a grantor controls). */
const settableStatuses: readonly GrantStatus[] = ["ACTIVE", "DISABLED"];
const activationOverrides = ["DISTRIBUTED_GRANTS_ONLY", "ALL_GRANTS_PERMITTED_BY_ISSUER"];

const licensesOf = (state: EmulatorState) => (state.licenses ??= {});
const grantsOf = (state: EmulatorState) => (state.grants ??= {});
const hexId = (): string => randomBytes(16).toString("hex");
const gone = (status: GrantStatus) => status === "DELETED" || status === "REJECTED";

function operationsOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 8) {
    throw validation("AllowedOperations must hold 1 to 8 operations.");
  }
  for (const operation of value) {
    if (typeof operation !== "string" || !allowedOperations.includes(operation)) {
      throw validation(
        `Invalid AllowedOperations value: ${String(operation)}. Valid values: ${allowedOperations.join(", ")}`,
      );
    }
  }
  return [...new Set(value as string[])];
}

function findLicense(call: CallContext, arn: unknown): LicenseState {
  const license = typeof arn === "string" ? licensesOf(call.state)[arn] : undefined;
  if (!license) throw new AwsError("ResourceNotFoundException", `License not found: ${String(arn)}`);
  return license;
}

function findGrant(call: CallContext, arn: unknown): GrantState {
  const grant = typeof arn === "string" ? grantsOf(call.state)[arn] : undefined;
  if (!grant) throw new AwsError("ResourceNotFoundException", `Grant not found: ${String(arn)}`);
  return grant;
}

/** The accounts a principal ARN reaches: an account's root, the organization's accounts, an OU's (none here). */
function recipientsOf(call: CallContext, principalArn: string, grantorAccountId: string): string[] {
  const org = call.state.organization;
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(principalArn);
  if (account) return [account[1]!];
  const organization = /^arn:aws[a-z-]*:organizations::(\d{12}):organization\/(o-[a-z0-9]+)$/.exec(
    principalArn,
  );
  if (organization) {
    if (!org || org.id !== organization[2] || org.managementAccountId !== organization[1]) {
      throw invalid(`Principal ${principalArn} is not the caller's organization.`);
    }
    return org.accountIds.filter((id) => id !== grantorAccountId);
  }
  const unit = /^arn:aws[a-z-]*:organizations::(\d{12}):ou\/(o-[a-z0-9]+)\/ou-[0-9a-z-]+$/.exec(principalArn);
  if (unit) {
    if (!org || org.id !== unit[2])
      throw invalid(`Principal ${principalArn} is not in the caller's organization.`);
    return [];
  }
  throw invalid(
    `Invalid principal: ${principalArn}. Expected an account (arn:aws:iam::<account>:root), an organizational unit or an organization ARN.`,
  );
}

/**
 * The organization link accepts a grant for its recipients when the management account grants it with
 * License Manager's Organizations integration on in the home Region (User Guide, "Grant acceptance and activation").
 */
function autoAccepted(call: CallContext, grantorAccountId: string, homeRegion: string, recipients: string[]) {
  const org = call.state.organization;
  const linked = call.state.licenseManager[`${grantorAccountId}/${homeRegion}`]?.enableIntegration === true;
  return (
    linked &&
    org !== null &&
    org.managementAccountId === grantorAccountId &&
    recipients.every((accountId) => org.accountIds.includes(accountId))
  );
}

function describeGrant(
  grant: GrantState,
  status: GrantStatus = grant.status,
  principalArn = grant.principalArn,
) {
  return {
    GrantArn: grant.arn,
    GrantName: grant.name,
    ParentArn: grant.licenseArn,
    LicenseArn: grant.licenseArn,
    GranteePrincipalArn: principalArn,
    HomeRegion: grant.homeRegion,
    GrantStatus: status,
    ...(grant.statusReason !== undefined && { StatusReason: grant.statusReason }),
    Version: String(grant.version),
    GrantedOperations: grant.operations,
    ...(grant.activationOverrideBehavior !== undefined && {
      Options: { ActivationOverrideBehavior: grant.activationOverrideBehavior },
    }),
  };
}

function describeLicense(license: LicenseState) {
  return {
    LicenseArn: license.arn,
    LicenseName: license.name,
    ProductName: license.productName,
    ProductSKU: license.productSku,
    Issuer: { Name: license.issuerName },
    HomeRegion: license.homeRegion,
    Status: "AVAILABLE",
    Validity: { Begin: license.validity.begin, End: license.validity.end },
    Beneficiary: license.holderAccountId,
    Entitlements: license.entitlements,
    CreateTime: String(license.createdAt),
    Version: "1",
  };
}

/** Filters on the list operations: GrantStatus and LicenseArn, the names the API Reference lists for them. */
function matchesFilters(input: JsonInput, values: Record<string, string>): boolean {
  const filters = Array.isArray(input.Filters)
    ? (input.Filters as { Name?: string; Values?: string[] }[])
    : [];
  return filters.every(
    (filter) =>
      filter.Name === undefined ||
      !(filter.Name in values) ||
      (filter.Values ?? []).includes(values[filter.Name]!),
  );
}

const grantArnsFilter = (input: JsonInput): ((arn: string) => boolean) => {
  const arns = Array.isArray(input.GrantArns) ? (input.GrantArns as string[]) : undefined;
  return (arn) => arns === undefined || arns.includes(arn);
};

/** The grantor changes its grant: every recipient that has not rejected it follows the new status. */
function setStatus(grant: GrantState, status: GrantStatus): void {
  grant.status = status;
  for (const accountId of Object.keys(grant.recipients)) {
    if (grant.recipients[accountId] !== "REJECTED") grant.recipients[accountId] = status;
  }
}

/** The recipient's own grant, or AccessDenied when the caller does not receive it. */
function received(call: CallContext, grant: GrantState): GrantStatus {
  const status = grant.recipients[call.caller.accountId];
  if (status === undefined)
    throw accessDenied(`Account ${call.caller.accountId} is not a recipient of ${grant.arn}.`);
  return status;
}

export const grantActions: Record<string, JsonHandler> = {
  GetLicense: (call, input) => {
    const license = findLicense(call, input.LicenseArn);
    const grantee = Object.values(grantsOf(call.state)).some(
      (grant) => grant.licenseArn === license.arn && grant.recipients[call.caller.accountId] !== undefined,
    );
    if (license.holderAccountId !== call.caller.accountId && !grantee) throw accessDenied();
    return { License: describeLicense(license) };
  },

  ListReceivedLicenses: (call, input) => {
    const wanted = Array.isArray(input.LicenseArns) ? (input.LicenseArns as string[]) : undefined;
    const licenses = Object.values(licensesOf(call.state)).filter((license) => {
      if (wanted && !wanted.includes(license.arn)) return false;
      if (license.holderAccountId === call.caller.accountId) return true;
      return Object.values(grantsOf(call.state)).some(
        (grant) =>
          grant.licenseArn === license.arn &&
          (grant.recipients[call.caller.accountId] === "ACTIVE" ||
            grant.recipients[call.caller.accountId] === "DISABLED"),
      );
    });
    return {
      Licenses: licenses.map((license) => ({
        ...describeLicense(license),
        ReceivedMetadata: {
          ReceivedStatus: license.holderAccountId === call.caller.accountId ? "ACTIVE" : "DISABLED",
          AllowedOperations: allowedOperations,
        },
      })),
    };
  },

  CreateGrant: (call, input) => {
    requireString(input, "ClientToken");
    const name = requireString(input, "GrantName");
    const license = findLicense(call, input.LicenseArn);
    const homeRegion = requireString(input, "HomeRegion");
    const operations = operationsOf(input.AllowedOperations);
    const principals = input.Principals;
    if (!Array.isArray(principals) || principals.length !== 1 || typeof principals[0] !== "string") {
      throw validation("Principals must hold exactly one principal ARN.");
    }
    const token = `${call.caller.accountId}/${String(input.ClientToken)}`;
    const tokens = (call.state.grantTokens ??= {});
    const earlier = tokens[token] ? grantsOf(call.state)[tokens[token]] : undefined;
    if (earlier) return { GrantArn: earlier.arn, Status: earlier.status, Version: String(earlier.version) };
    if (license.holderAccountId !== call.caller.accountId) {
      throw accessDenied(`Account ${call.caller.accountId} does not hold license ${license.arn}.`);
    }
    // AWS is silent on a grant outside the license's home Region; the provider sends its own Region.
    if (homeRegion !== license.homeRegion || homeRegion !== call.region) {
      throw invalid(
        `HomeRegion ${homeRegion} must be the license's home Region ${license.homeRegion}, called in that Region (called in ${call.region}).`,
      );
    }
    const principalArn = principals[0] as string;
    const recipients = recipientsOf(call, principalArn, call.caller.accountId);
    const status: GrantStatus = autoAccepted(call, call.caller.accountId, homeRegion, recipients)
      ? "DISABLED"
      : "PENDING_ACCEPT";
    const arn = `arn:aws:license-manager::${call.caller.accountId}:grant:g-${hexId()}`;
    grantsOf(call.state)[arn] = {
      arn,
      name,
      licenseArn: license.arn,
      grantorAccountId: call.caller.accountId,
      principalArn,
      homeRegion,
      operations,
      status,
      version: 1,
      recipients: Object.fromEntries(recipients.map((accountId) => [accountId, status])),
      createdAt: Math.floor(Date.now() / 1000),
    };
    tokens[token] = arn;
    return { GrantArn: arn, Status: status, Version: "1" };
  },

  GetGrant: (call, input) => {
    const grant = findGrant(call, input.GrantArn);
    if (grant.grantorAccountId === call.caller.accountId) return { Grant: describeGrant(grant) };
    return { Grant: describeGrant(grant, received(call, grant)) };
  },

  CreateGrantVersion: (call, input) => {
    requireString(input, "ClientToken");
    const grant = findGrant(call, input.GrantArn);
    if (grant.grantorAccountId !== call.caller.accountId) throw accessDenied();
    if (gone(grant.status)) throw validation(`Grant ${grant.arn} is ${grant.status}.`);
    if (input.SourceVersion !== undefined && input.SourceVersion !== String(grant.version)) {
      throw validation(
        `SourceVersion ${String(input.SourceVersion)} is not the grant's version ${grant.version}.`,
      );
    }
    const status = input.Status;
    if (status !== undefined && !settableStatuses.includes(status as GrantStatus)) {
      throw validation(`Invalid Status: ${String(status)}. Valid values: ${settableStatuses.join(", ")}`);
    }
    const options = input.Options as { ActivationOverrideBehavior?: unknown } | undefined;
    const override = options?.ActivationOverrideBehavior;
    if (override !== undefined) {
      if (typeof override !== "string" || !activationOverrides.includes(override)) {
        throw validation(
          `Invalid ActivationOverrideBehavior: ${String(override)}. Valid values: ${activationOverrides.join(", ")}`,
        );
      }
      if (status !== "ACTIVE") throw validation("ActivationOverrideBehavior needs Status ACTIVE.");
      grant.activationOverrideBehavior = override;
    }
    if (status === "ACTIVE" && grant.status === "PENDING_ACCEPT") {
      throw validation(`Grant ${grant.arn} is pending acceptance: its recipients must accept it first.`);
    }
    const license = licensesOf(call.state)[grant.licenseArn];
    const marketplaceRole = Object.values(iamAccount(call.state, grant.grantorAccountId).roles).some(
      (role) => role.roleName === "AWSServiceRoleForMarketplaceLicenseManagement",
    );
    if (status === "ACTIVE" && license?.issuerName === "AWS/Marketplace" && !marketplaceRole) {
      throw validation(
        "Sharing an AWS Marketplace license needs the AWSServiceRoleForMarketplaceLicenseManagement service-linked role in the grantor's account.",
      );
    }

    if (input.GrantName !== undefined) grant.name = requireString(input, "GrantName");
    if (input.AllowedOperations !== undefined) grant.operations = operationsOf(input.AllowedOperations);
    if (typeof input.StatusReason === "string") grant.statusReason = input.StatusReason;
    if (status !== undefined) setStatus(grant, status as GrantStatus);
    grant.version += 1;
    return { GrantArn: grant.arn, Status: grant.status, Version: String(grant.version) };
  },

  DeleteGrant: (call, input) => {
    const grant = findGrant(call, input.GrantArn);
    if (grant.grantorAccountId !== call.caller.accountId) throw accessDenied();
    requireString(input, "Version");
    if (input.Version !== String(grant.version)) {
      // AWS's words; terraform-provider-aws sends the literal "version" and meets them (its issue #47901).
      throw validation(
        `A grant cannot be deleted since the version provided doesn't match the latest version ${grant.version} in our records`,
      );
    }
    if (typeof input.StatusReason === "string") grant.statusReason = input.StatusReason;
    setStatus(grant, "DELETED");
    grant.version += 1;
    return { GrantArn: grant.arn, Status: grant.status, Version: String(grant.version) };
  },

  AcceptGrant: (call, input) => {
    const grant = findGrant(call, input.GrantArn);
    const status = received(call, grant);
    if (status !== "PENDING_ACCEPT")
      throw validation(`Grant ${grant.arn} is ${status}, not pending acceptance.`);
    grant.recipients[call.caller.accountId] = "DISABLED";
    if (
      Object.values(grant.recipients).every((each) => each !== "PENDING_ACCEPT") &&
      grant.status === "PENDING_ACCEPT"
    ) {
      grant.status = "DISABLED";
    }
    return { GrantArn: grant.arn, Status: "DISABLED", Version: String(grant.version) };
  },

  RejectGrant: (call, input) => {
    const grant = findGrant(call, input.GrantArn);
    const status = received(call, grant);
    if (gone(status)) throw validation(`Grant ${grant.arn} is ${status}.`);
    grant.recipients[call.caller.accountId] = "REJECTED";
    return { GrantArn: grant.arn, Status: "REJECTED", Version: String(grant.version) };
  },

  ListDistributedGrants: (call, input) => {
    const wanted = grantArnsFilter(input);
    return {
      Grants: Object.values(grantsOf(call.state))
        .filter((grant) => grant.grantorAccountId === call.caller.accountId && wanted(grant.arn))
        .filter((grant) => matchesFilters(input, { GrantStatus: grant.status, LicenseArn: grant.licenseArn }))
        .map((grant) => describeGrant(grant)),
    };
  },

  ListReceivedGrants: (call, input) => {
    const wanted = grantArnsFilter(input);
    return {
      Grants: Object.values(grantsOf(call.state))
        .filter((grant) => grant.recipients[call.caller.accountId] !== undefined && wanted(grant.arn))
        .filter((grant) =>
          matchesFilters(input, {
            GrantStatus: grant.recipients[call.caller.accountId]!,
            LicenseArn: grant.licenseArn,
          }),
        )
        .map((grant) => describeGrant(grant, grant.recipients[call.caller.accountId])),
    };
  },

  /** The management account's view of what every account of the organization received of one license. */
  ListReceivedGrantsForOrganization: (call, input) => {
    const license = findLicense(call, input.LicenseArn);
    const org = call.state.organization;
    if (!org || org.managementAccountId !== call.caller.accountId) {
      throw accessDenied("Only the management account of an organization can list its received grants.");
    }
    return {
      Grants: Object.values(grantsOf(call.state))
        .filter((grant) => grant.licenseArn === license.arn)
        .flatMap((grant) =>
          Object.entries(grant.recipients)
            .filter(([, status]) => matchesFilters(input, { GrantStatus: status }))
            .map(([accountId, status]) => describeGrant(grant, status, `arn:aws:iam::${accountId}:root`)),
        ),
    };
  },
};
