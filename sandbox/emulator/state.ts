import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { SandboxSeed } from "./seed";

export type Tag = { Key: string; Value: string };

export interface AccountState {
  id: string;
  name: string;
  email: string;
  joinedAt: number;
}

export interface DelegatedAdminState {
  accountId: string;
  servicePrincipal: string;
  enabledAt: number;
}

export interface OrganizationState {
  id: string;
  rootId: string;
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  managementAccountId: string;
  accountIds: string[];
  enabledPolicyTypes: string[];
  enabledServicePrincipals: Record<string, number>;
  delegatedAdmins: DelegatedAdminState[];
  tags: Record<string, Tag[]>;
}

export interface CredentialState {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  accountId: string;
  principalArn: string;
  userId: string;
  expiresAt?: number;
  /** The IAM role of a session minted by AssumeRole or AssumeRoleWithWebIdentity; absent for a user's keys. */
  roleArn?: string;
}

export interface RoleState {
  roleName: string;
  roleId: string;
  path: string;
  arn: string;
  createdAt: number;
  description?: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  tags: Tag[];
  /** Inline policies by name, each document as it was put. Absent in state files saved before IAM enforcement. */
  inlinePolicies?: Record<string, string>;
}

export interface OpenIdConnectProviderState {
  arn: string;
  /** The issuer URL as given, https:// included. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createdAt: number;
  tags: Tag[];
}

export interface IamAccountState {
  roles: Record<string, RoleState>;
  deletionTasks: Record<string, string>;
  /** Keyed by ARN. Absent in state files saved before OIDC providers existed. */
  openIdConnectProviders?: Record<string, OpenIdConnectProviderState>;
}

export interface LicenseConfigurationState {
  id: string;
  arn: string;
  name: string;
  description?: string;
  countingType: string;
  licenseCount?: number;
  hardLimit: boolean;
  rules: string[];
  status: string;
  disassociateWhenNotFound: boolean;
  /** Automated discovery rules, as the API's ProductInformationList. Absent in state files saved before them. */
  productInformationList?: ProductInformationState[];
  tags: Tag[];
  associations: { resourceArn: string; associatedAt: number }[];
}

export interface ProductInformationState {
  ResourceType: string;
  ProductInformationFilterList: {
    ProductInformationFilterName: string;
    ProductInformationFilterValue?: string[];
    ProductInformationFilterComparator: string;
  }[];
}

export interface ReportGeneratorState {
  arn: string;
  name: string;
  types: string[];
  licenseConfigurationArns: string[];
  frequency: { value: number; period: string };
  description?: string;
  /** Epoch seconds. */
  createdAt: number;
  creatorAccountId: string;
  tags: Tag[];
}

export interface LicenseManagerRegionState {
  s3BucketArn?: string;
  snsTopicArn?: string;
  enableIntegration: boolean;
  enableCrossAccountsDiscovery: boolean;
  resourceShareArn?: string;
  configurations: Record<string, LicenseConfigurationState>;
  /** Keyed by ARN. Absent in state files saved before report generators existed. */
  reportGenerators?: Record<string, ReportGeneratorState>;
  /** CreateLicenseManagerReportGenerator's ClientToken → the ARN it created (idempotent retries). */
  reportGeneratorTokens?: Record<string, string>;
}

/** A license an account holds: in the sandbox, one AWS Marketplace issued to the management account. */
export interface LicenseState {
  arn: string;
  name: string;
  productName: string;
  productSku: string;
  issuerName: string;
  homeRegion: string;
  /** The account that bought it: the only one that may grant it. */
  holderAccountId: string;
  entitlements: { Name: string; Unit: string; MaxCount?: number; AllowCheckIn: boolean }[];
  /** ISO 8601. */
  validity: { begin: string; end: string };
  createdAt: number;
}

/** What one recipient account has done with a grant. */
export type GrantStatus = "PENDING_ACCEPT" | "ACTIVE" | "DISABLED" | "REJECTED" | "DELETED";

export interface GrantState {
  arn: string;
  name: string;
  licenseArn: string;
  grantorAccountId: string;
  principalArn: string;
  homeRegion: string;
  operations: string[];
  /** The grant's status as its grantor sees it (GetGrant, ListDistributedGrants). */
  status: GrantStatus;
  statusReason?: string;
  version: number;
  activationOverrideBehavior?: string;
  /** Each recipient account's status (ListReceivedGrants, ListReceivedGrantsForOrganization). */
  recipients: Record<string, GrantStatus>;
  /** Epoch seconds. */
  createdAt: number;
}

export interface SnsTopicState {
  arn: string;
  name: string;
  /** Settable attributes as last written (Policy, DisplayName, DeliveryPolicy, FifoTopic, ...). */
  attributes: Record<string, string>;
  tags: Tag[];
}

export interface EmulatorState {
  accounts: Record<string, AccountState>;
  organization: OrganizationState | null;
  credentials: Record<string, CredentialState>;
  iam: Record<string, IamAccountState>;
  /** Keyed `${accountId}/${region}`: License Manager settings and configurations are regional. */
  licenseManager: Record<string, LicenseManagerRegionState>;
  /** Keyed `${accountId}/${region}`, then by topic name. Absent in state files saved before SNS existed. */
  sns?: Record<string, Record<string, SnsTopicState>>;
  /** Licenses and grants are global to the partition, keyed by ARN. Absent in state files saved before grants. */
  licenses?: Record<string, LicenseState>;
  grants?: Record<string, GrantState>;
  /** CreateGrant's ClientToken → the grant it created (idempotent retries). */
  grantTokens?: Record<string, string>;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function randomId(length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"): string {
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

export function iamAccount(state: EmulatorState, accountId: string): IamAccountState {
  state.iam[accountId] ??= { roles: {}, deletionTasks: {} };
  return state.iam[accountId];
}

export interface NewRole {
  roleName: string;
  path?: string;
  description?: string;
  /** A service-linked role's service: the trust policy names it. */
  trustedService?: string;
  /** @default - trust the management account (or the role's own account outside an organization) */
  trustPolicy?: unknown;
  /** Inline policies by name. */
  inlinePolicies?: Record<string, unknown>;
}

export function addRole(state: EmulatorState, accountId: string, role: NewRole): RoleState {
  const path = role.path ?? "/";
  const principal = role.trustedService
    ? { Service: role.trustedService }
    : { AWS: `arn:aws:iam::${state.organization?.managementAccountId ?? accountId}:root` };
  const trustPolicy = role.trustPolicy ?? {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }],
  };
  const created: RoleState = {
    roleName: role.roleName,
    roleId: `AROA${randomId(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    path,
    arn: `arn:aws:iam::${accountId}:role${path}${role.roleName}`,
    createdAt: nowSeconds(),
    description: role.description,
    assumeRolePolicyDocument: JSON.stringify(trustPolicy),
    maxSessionDuration: 3600,
    tags: [],
    inlinePolicies: Object.fromEntries(
      Object.entries(role.inlinePolicies ?? {}).map(([name, document]) => [name, JSON.stringify(document)]),
    ),
  };
  iamAccount(state, accountId).roles[role.roleName] = created;
  return created;
}

export function stateFromSeed(seed: SandboxSeed): EmulatorState {
  const joinedAt = nowSeconds();
  const state: EmulatorState = {
    accounts: {},
    organization: null,
    credentials: {},
    iam: {},
    licenseManager: {},
    sns: {},
  };
  for (const account of seed.accounts) state.accounts[account.id] = { ...account, joinedAt };
  if (seed.organization) {
    const org = seed.organization;
    state.organization = {
      id: org.id,
      rootId: org.rootId,
      featureSet: org.featureSet,
      managementAccountId: org.managementAccountId,
      accountIds: [org.managementAccountId, ...org.memberAccountIds],
      enabledPolicyTypes: [...org.enabledPolicyTypes],
      enabledServicePrincipals: Object.fromEntries(org.enabledServicePrincipals.map((p) => [p, joinedAt])),
      delegatedAdmins: [],
      tags: {},
    };
  }
  for (const credential of seed.credentials) {
    state.credentials[credential.accessKeyId] = {
      accessKeyId: credential.accessKeyId,
      secretAccessKey: credential.secretAccessKey,
      accountId: credential.accountId,
      principalArn: `arn:aws:iam::${credential.accountId}:user/${credential.userName}`,
      userId: `AIDA${randomId(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    };
  }
  for (const role of seed.roles) addRole(state, role.accountId, role);
  state.licenses = Object.fromEntries(
    (seed.licenses ?? []).map((license) => [license.arn, { ...license, createdAt: joinedAt }]),
  );
  state.grants = {};
  return state;
}

export function loadState(file: string | undefined, seed: SandboxSeed): EmulatorState {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
  return stateFromSeed(seed);
}

export function saveState(file: string | undefined, state: EmulatorState): void {
  if (file) writeFileSync(file, JSON.stringify(state, null, 2));
}
