import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
  type Account,
} from "@aws-sdk/client-organizations";
import pLimit from "p-limit";
import { AwsCallError, awsCall, awsErrorCode, describeAwsError } from "../aws/errors";
import { serviceLinkedRoleNames } from "../names/license-manager";
export type ServiceLinkedRoleName = (typeof serviceLinkedRoleNames)[keyof typeof serviceLinkedRoleNames];
export const allServiceLinkedRoleNames: readonly ServiceLinkedRoleName[] =
  Object.values(serviceLinkedRoleNames);

/** AWSServiceRoleForAWSLicenseManagerMasterAccountRole → MasterAccountRole, for tables. */
export function shortRoleName(roleName: ServiceLinkedRoleName): string {
  return roleName === serviceLinkedRoleNames.licenseManager
    ? "LicenseManagerRole"
    : roleName.replace("AWSServiceRoleForAWSLicenseManager", "");
}

type AccountKind = "management" | "member";

/**
 * The roles the Organizations integration must leave in an account: AWSServiceRoleForAWSLicenseManagerRole
 * and the management-account role in the management account, the member-account role in members.
 */
export function expectedServiceLinkedRoles(kind: AccountKind): ServiceLinkedRoleName[] {
  return kind === "management"
    ? [serviceLinkedRoleNames.licenseManager, serviceLinkedRoleNames.managementAccount]
    : [serviceLinkedRoleNames.memberAccount];
}

/**
 * The roles looked up in an account. A member gets AWSServiceRoleForAWSLicenseManagerRole only once
 * License Manager is used there, so it is reported but not expected.
 */
function checkedServiceLinkedRoles(kind: AccountKind): ServiceLinkedRoleName[] {
  return kind === "management"
    ? expectedServiceLinkedRoles(kind)
    : [serviceLinkedRoleNames.licenseManager, serviceLinkedRoleNames.memberAccount];
}

interface AccountRoleCheck {
  readonly accountId: string;
  readonly accountName: string;
  readonly accountStatus: string;
  readonly kind: AccountKind;
  /** Expected roles only; true when GetRole found the role. Empty when the account was not checked. */
  readonly roles: Partial<Record<ServiceLinkedRoleName, boolean>>;
  /** Why the account could not be checked (e.g. the member role could not be assumed). */
  readonly error?: string;
  /** Why the account was not checked on purpose (e.g. it is suspended). */
  readonly skipped?: string;
}

interface MissingRole {
  readonly accountId: string;
  readonly roleName: ServiceLinkedRoleName;
}

export interface ServiceLinkedRoleReport {
  readonly managementAccountId: string;
  readonly accounts: readonly AccountRoleCheck[];
  readonly missing: readonly MissingRole[];
  readonly accountsNotChecked: readonly string[];
}

/** How far the check has come: the organization's accounts listed (page by page), then each account checked. */
export type ServiceLinkedRoleProgress =
  | { readonly step: "listed"; readonly pages: number; readonly accounts: number }
  | { readonly step: "checked"; readonly checked: number; readonly total: number };

/** How many accounts are checked at once unless told otherwise. */
export const defaultAccountConcurrency = 8;

interface ServiceLinkedRoleCheckOptions {
  readonly organizations: OrganizationsClient;
  /** An IAM client for the account: the caller's session for the management account, an assumed role for members. */
  readonly iamClientFor: (accountId: string, kind: AccountKind) => IAMClient;
  /** @default defaultAccountConcurrency */
  readonly concurrency?: number;
  /** Called after each page of ListAccounts and after each account checked. @default - nothing reported */
  readonly onProgress?: (progress: ServiceLinkedRoleProgress) => void;
}

/** GetRole: true when the role exists, false on NoSuchEntity; other errors are thrown. */
async function roleExists(iam: IAMClient, roleName: string, accountId: string): Promise<boolean> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (error) {
    if (awsErrorCode(error) === "NoSuchEntity" || awsErrorCode(error) === "NoSuchEntityException")
      return false;
    if (error instanceof AwsCallError) throw error;
    throw new Error(`IAM GetRole ${roleName} in account ${accountId} failed: ${describeAwsError(error)}`);
  }
}

/**
 * Every account, page by page: ListAccounts returns at most 20 a page and may return fewer, even none, while
 * NextToken says more follow (Organizations API Reference, ListAccounts), which the SDK's paginator follows.
 */
async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  onProgress: ServiceLinkedRoleCheckOptions["onProgress"],
): Promise<Account[]> {
  return awsCall(`Organizations ListAccounts in ${await organizations.config.region()}`, async () => {
    const accounts: Account[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: organizations }, {})) {
      accounts.push(...(page.Accounts ?? []));
      pages += 1;
      onProgress?.({ step: "listed", pages, accounts: accounts.length });
    }
    return accounts;
  });
}

export async function checkServiceLinkedRoles(
  options: ServiceLinkedRoleCheckOptions,
): Promise<ServiceLinkedRoleReport> {
  const region = await options.organizations.config.region();
  const { Organization } = await awsCall(`Organizations DescribeOrganization in ${region}`, () =>
    options.organizations.send(new DescribeOrganizationCommand({})),
  );
  const managementAccountId = Organization?.MasterAccountId;
  if (!managementAccountId)
    throw new Error("Organizations DescribeOrganization returned no management account ID");
  const accounts = await listOrganizationAccounts(options.organizations, options.onProgress);
  accounts.sort((left, right) =>
    left.Id === managementAccountId
      ? -1
      : right.Id === managementAccountId
        ? 1
        : (left.Id ?? "").localeCompare(right.Id ?? ""),
  );

  const limit = pLimit(options.concurrency ?? defaultAccountConcurrency);
  let checked = 0;
  const checks = await Promise.all(
    accounts.map((account) =>
      limit(async () => {
        const check = await checkAccount(
          account,
          account.Id === managementAccountId ? "management" : "member",
          options,
        );
        checked += 1;
        options.onProgress?.({ step: "checked", checked, total: accounts.length });
        return check;
      }),
    ),
  );
  return {
    managementAccountId,
    accounts: checks,
    missing: checks.flatMap((check) =>
      expectedServiceLinkedRoles(check.kind)
        .filter((roleName) => check.roles[roleName] === false)
        .map((roleName) => ({ accountId: check.accountId, roleName })),
    ),
    accountsNotChecked: checks.filter((check) => check.error !== undefined).map((check) => check.accountId),
  };
}

async function checkAccount(
  account: Account,
  kind: AccountKind,
  options: ServiceLinkedRoleCheckOptions,
): Promise<AccountRoleCheck> {
  const accountId = account.Id ?? "";
  const base = {
    accountId,
    accountName: account.Name ?? "",
    accountStatus: account.Status ?? "UNKNOWN",
    kind,
  };
  if (kind === "member" && account.Status !== undefined && account.Status !== "ACTIVE") {
    return { ...base, roles: {}, skipped: `account status is ${account.Status}` };
  }
  try {
    const iam = options.iamClientFor(accountId, kind);
    const roles: Partial<Record<ServiceLinkedRoleName, boolean>> = {};
    for (const roleName of checkedServiceLinkedRoles(kind)) {
      roles[roleName] = await roleExists(iam, roleName, accountId);
    }
    return { ...base, roles };
  } catch (error) {
    return { ...base, roles: {}, error: describeAwsError(error) };
  }
}
