import type { LicenseState } from "./state";

/** What the emulator starts from, and what `POST /_sandbox/reset` returns to. */
export interface SeedAccount {
  id: string;
  name: string;
  email: string;
}

export interface SeedOrganization {
  id: string;
  rootId: string;
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  managementAccountId: string;
  memberAccountIds: string[];
  enabledPolicyTypes: string[];
  enabledServicePrincipals: string[];
}

export interface SeedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  userName: string;
}

export interface SeedRole {
  accountId: string;
  roleName: string;
  path?: string;
  description?: string;
  /** @default - trust the management account's root */
  trustPolicy?: object;
  /** Inline identity policies by name: what a session of the role may do when IAM is enforced. */
  inlinePolicies?: Record<string, object>;
}

export interface SandboxSeed {
  accounts: SeedAccount[];
  organization: SeedOrganization | null;
  credentials: SeedCredential[];
  roles: SeedRole[];
  /** Licenses the accounts hold (received from AWS Marketplace), for grants. @default - none */
  licenses?: Omit<LicenseState, "createdAt">[];
}

export const MANAGEMENT_ACCOUNT_ID = "111111111111";

/**
 * A license the sandbox's management account bought in AWS Marketplace (config/sandbox.yaml grants it). A
 * license's ARN names its issuer's account, not the buyer's (License Manager User Guide, "Granted licenses").
 */
export const SANDBOX_MARKETPLACE_LICENSE_ARN =
  "arn:aws:license-manager::555555555555:license:l-0123456789abcdef0123456789abcdef";

/** Every action on every resource: what AWS's AdministratorAccess managed policy grants. */
export const administratorAccessPolicy = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
} as const;

/**
 * The role Organizations creates in every account it creates or invites with "create role": the management
 * account's root may assume it, and it holds AdministratorAccess (attached as a managed policy in AWS, inline
 * here).
 */
/** Trust in the management account's root: any of its principals whose own policy allows sts:AssumeRole. */
function trustsManagementAccount(managementAccountId: string): object {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  };
}

export function organizationAccountAccessRole(accountId: string, managementAccountId: string): SeedRole {
  return {
    accountId,
    roleName: "OrganizationAccountAccessRole",
    trustPolicy: trustsManagementAccount(managementAccountId),
    inlinePolicies: { AdministratorAccess: administratorAccessPolicy },
  };
}

/**
 * A read-only role in a member account, as an organization rolls out with StackSets: what the plan role may
 * assume there for npm run roles (config/sandbox.yaml, access.memberReadRoleName), instead of the
 * administrator's OrganizationAccountAccessRole.
 */
export function memberReadRole(accountId: string, managementAccountId: string): SeedRole {
  return {
    accountId,
    roleName: "LicenseManagerRoleReader",
    description:
      "Reads which License Manager service-linked roles exist (license-manager-org: npm run roles)",
    trustPolicy: trustsManagementAccount(managementAccountId),
    inlinePolicies: {
      ReadRoles: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["iam:GetRole", "iam:ListRoles"], Resource: "*" }],
      },
    },
  };
}

export const defaultSeed: SandboxSeed = {
  accounts: [
    { id: MANAGEMENT_ACCOUNT_ID, name: "management", email: "management@sandbox.example" },
    { id: "222222222222", name: "workloads-dev", email: "workloads-dev@sandbox.example" },
    { id: "333333333333", name: "workloads-prod", email: "workloads-prod@sandbox.example" },
    { id: "444444444444", name: "security", email: "security@sandbox.example" },
  ],
  organization: {
    id: "o-sandbox00001",
    rootId: "r-sb01",
    featureSet: "ALL",
    managementAccountId: MANAGEMENT_ACCOUNT_ID,
    memberAccountIds: ["222222222222", "333333333333", "444444444444"],
    enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
    enabledServicePrincipals: ["sso.amazonaws.com", "cloudtrail.amazonaws.com"],
  },
  credentials: [
    {
      accessKeyId: "AKIASANDBOXMANAGEMENT",
      secretAccessKey: "sandbox-secret",
      accountId: MANAGEMENT_ACCOUNT_ID,
      userName: "sandbox-admin",
    },
  ],
  licenses: [
    {
      arn: SANDBOX_MARKETPLACE_LICENSE_ARN,
      name: "Example Analytics Server, annual",
      productName: "Example Analytics Server",
      productSku: "prod-sandbox00001",
      issuerName: "AWS/Marketplace",
      homeRegion: "us-east-1",
      holderAccountId: MANAGEMENT_ACCOUNT_ID,
      entitlements: [{ Name: "Users", Unit: "Count", MaxCount: 100, AllowCheckIn: true }],
      validity: { begin: "2026-01-01T00:00:00Z", end: "2027-12-31T23:59:59Z" },
    },
  ],
  // The deploy and plan roles are not seeded: the access stack creates them with least-privilege policies.
  roles: ["222222222222", "333333333333", "444444444444"].flatMap((accountId) => [
    organizationAccountAccessRole(accountId, MANAGEMENT_ACCOUNT_ID),
    memberReadRole(accountId, MANAGEMENT_ACCOUNT_ID),
  ]),
};

/**
 * The sandbox organization as another owner keeps it (config/sandbox-external.yaml, organization.source:
 * external): besides SSO and CloudTrail, the principals and policy types an AWS Control Tower landing zone
 * enables (AWS Control Tower User Guide, "Integrated services"). This project must leave every one of them alone.
 */
export const externallyOwnedSeed: SandboxSeed = {
  ...defaultSeed,
  organization: {
    ...defaultSeed.organization!,
    enabledPolicyTypes: ["SERVICE_CONTROL_POLICY", "TAG_POLICY"],
    enabledServicePrincipals: [
      ...defaultSeed.organization!.enabledServicePrincipals,
      "config.amazonaws.com",
      "controltower.amazonaws.com",
      "member.org.stacksets.cloudformation.amazonaws.com",
    ],
  },
};

/**
 * The default organization grown to `memberCount` member accounts (ids 100000000001, 100000000002, …), each with
 * the member read role: an organization at the scale whose List* calls page (npm run roles over every account).
 */
export function seedWithMemberAccounts(memberCount: number, base: SandboxSeed = defaultSeed): SandboxSeed {
  const added = Array.from(
    { length: memberCount - (base.organization?.memberAccountIds.length ?? 0) },
    (_, i) => String(100000000001 + i),
  );
  const organization = base.organization!;
  return {
    ...base,
    accounts: [
      ...base.accounts,
      ...added.map((id) => ({ id, name: `workload-${id}`, email: `workload-${id}@sandbox.example` })),
    ],
    organization: { ...organization, memberAccountIds: [...organization.memberAccountIds, ...added] },
    roles: [...base.roles, ...added.map((id) => memberReadRole(id, organization.managementAccountId))],
  };
}
