/**
 * Which role each stack's provider and backend assume. `LM_ROLE` picks the mode when synthesizing:
 * - `deploy` (default): the organization and License Manager stacks assume `deployRoleArn`; with an access
 *   stack configured, the bootstrap and access stacks use the caller's own (administrator) credentials, since
 *   they hold the state bucket and the roles themselves;
 * - `plan`: every stack assumes `planRoleArn` (read-only: plans, drift checks);
 * - `none`: no stack assumes a role; the credentials are used as they are (GitHub Actions, where OIDC already
 *   gave the job the plan or deploy role).
 */
import type { EnvironmentConfig } from "../config/model";
import { oneOf } from "../messages/alternatives";

const accessRoles = ["deploy", "plan", "none"] as const;
export type AccessRole = (typeof accessRoles)[number];

/** Stacks deployed once by an administrator; the deploy role has no permission on what they hold. */
const administratorStacks: readonly string[] = ["bootstrap", "access"];

export class AccessRoleError extends Error {}

/**
 * Where a mode is synthesized. The backend's role is part of its configuration, and Terraform refuses to
 * init a stack directory whose cached backend differs ("Backend configuration changed"): plans with the plan
 * role get their own directory, so a `cdktf deploy` after `npm run drift` finds cdktf.out as it left it.
 */
export function synthesisDirectory(role: AccessRole): string {
  return role === "plan" ? "cdktf.plan.out" : "cdktf.out";
}

/** The mode of the read-only tools: LM_ROLE when set, else the plan role when the config has one. */
export function readOnlyRole(
  config: Pick<EnvironmentConfig, "planRoleArn">,
  value = process.env.LM_ROLE,
): AccessRole {
  if (value !== undefined && value !== "") return parseAccessRole(value);
  return config.planRoleArn ? "plan" : "deploy";
}

export function parseAccessRole(value: string | undefined, source = "LM_ROLE"): AccessRole {
  if (value === undefined || value === "") return "deploy";
  if ((accessRoles as readonly string[]).includes(value)) return value as AccessRole;
  throw new AccessRoleError(
    `${source}: expected ${oneOf(accessRoles, { given: value })} (got ${JSON.stringify(value)})`,
  );
}

/** The role ARN a stack assumes in a mode, or undefined for the caller's own credentials. */
export function stackRoleArn(
  config: EnvironmentConfig,
  stackName: string,
  role: AccessRole,
): string | undefined {
  switch (role) {
    case "none":
      return undefined;
    case "plan":
      if (!config.planRoleArn) {
        throw new AccessRoleError(
          `LM_ROLE=plan needs planRoleArn in ${config.sourceFile} (the read-only role the access stack creates)`,
        );
      }
      return config.planRoleArn;
    case "deploy":
      // Without an access stack the deploy role is whatever the config names, used by every stack as before.
      if (config.access && administratorStacks.includes(stackName)) return undefined;
      return config.deployRoleArn;
  }
}
