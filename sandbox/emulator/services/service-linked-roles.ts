import { AwsError } from "../errors";
import { addRole, iamAccount, type EmulatorState, type RoleState } from "../state";

/** Role names AWS gives the service-linked roles of the services the stacks use. */
const SERVICE_LINKED_ROLE_NAMES: Record<string, string> = {
  "license-manager.amazonaws.com": "AWSServiceRoleForAWSLicenseManagerRole",
  "license-manager.master-account.amazonaws.com": "AWSServiceRoleForAWSLicenseManagerMasterAccountRole",
  "license-manager.member-account.amazonaws.com": "AWSServiceRoleForAWSLicenseManagerMemberAccountRole",
  "organizations.amazonaws.com": "AWSServiceRoleForOrganizations",
  "sso.amazonaws.com": "AWSServiceRoleForSSO",
  "cloudtrail.amazonaws.com": "AWSServiceRoleForCloudTrail",
  "ram.amazonaws.com": "AWSServiceRoleForResourceAccessManager",
  "license-management.marketplace.amazonaws.com": "AWSServiceRoleForMarketplaceLicenseManagement",
};

/** License Manager's roles take no custom suffix; AWS refuses one with InvalidInput. */
const SUFFIX_NOT_ALLOWED = new Set(Object.keys(SERVICE_LINKED_ROLE_NAMES));

export const serviceLinkedRolePath = (serviceName: string): string => `/aws-service-role/${serviceName}/`;

/** The name AWS gives a service's role (with its custom suffix); undefined for a service the emulator lacks. */
export function serviceLinkedRoleName(serviceName: string, customSuffix?: string): string | undefined {
  const baseName = SERVICE_LINKED_ROLE_NAMES[serviceName];
  if (!baseName) return undefined;
  return customSuffix ? `${baseName}_${customSuffix}` : baseName;
}

export function createServiceLinkedRole(
  state: EmulatorState,
  accountId: string,
  serviceName: string,
  options: { description?: string; customSuffix?: string } = {},
): RoleState {
  const baseName = SERVICE_LINKED_ROLE_NAMES[serviceName];
  if (!baseName) {
    throw new AwsError("InvalidInput", `Invalid ServiceName: ${serviceName}`);
  }
  if (options.customSuffix && SUFFIX_NOT_ALLOWED.has(serviceName)) {
    throw new AwsError("InvalidInput", `Custom suffix is not allowed for ${serviceName}`);
  }
  const roleName = serviceLinkedRoleName(serviceName, options.customSuffix)!;
  if (iamAccount(state, accountId).roles[roleName]) {
    throw new AwsError(
      "InvalidInput",
      `Service role name ${roleName} has been taken in this account, please try a different suffix.`,
    );
  }
  return addRole(state, accountId, {
    roleName,
    path: serviceLinkedRolePath(serviceName),
    description: options.description,
    trustedService: serviceName,
  });
}

/** Creates the role unless it exists: what AWS services do when they set up their own roles. */
export function ensureServiceLinkedRole(state: EmulatorState, accountId: string, serviceName: string): void {
  const roleName = SERVICE_LINKED_ROLE_NAMES[serviceName];
  if (!iamAccount(state, accountId).roles[roleName]) createServiceLinkedRole(state, accountId, serviceName);
}
