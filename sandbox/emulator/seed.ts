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
}

export interface SandboxSeed {
  accounts: SeedAccount[];
  organization: SeedOrganization | null;
  credentials: SeedCredential[];
  roles: SeedRole[];
}

export const MANAGEMENT_ACCOUNT_ID = "111111111111";

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
  roles: [
    { accountId: "222222222222", roleName: "OrganizationAccountAccessRole" },
    { accountId: "333333333333", roleName: "OrganizationAccountAccessRole" },
    { accountId: "444444444444", roleName: "OrganizationAccountAccessRole" },
    { accountId: MANAGEMENT_ACCOUNT_ID, roleName: "LicenseManagerDeployer" },
  ],
};
