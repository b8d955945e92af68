import {
  administratorAccessPolicy,
  defaultSeed,
  MANAGEMENT_ACCOUNT_ID,
  type SandboxSeed,
} from "../../sandbox/emulator/seed";

/**
 * The default seed has no role in the management account (the access stack creates the deploy and plan
 * roles). Tests that assume a role there get this one: trusted by the management account's root, with
 * AdministratorAccess, so IAM enforcement lets its sessions do anything.
 */
export const ADMINISTRATOR_ROLE_NAME = "SandboxAdministrator";
export const administratorRoleArn = `arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/${ADMINISTRATOR_ROLE_NAME}`;

export const seedWithAdministratorRole: SandboxSeed = {
  ...defaultSeed,
  roles: [
    ...defaultSeed.roles,
    {
      accountId: MANAGEMENT_ACCOUNT_ID,
      roleName: ADMINISTRATOR_ROLE_NAME,
      inlinePolicies: { AdministratorAccess: administratorAccessPolicy },
    },
  ],
};
