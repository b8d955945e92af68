import type { App } from "cdktf";
import { stackRoleArn, type AccessRole } from "../lib/access/stack-roles";
import type { EnvironmentConfig } from "../lib/config/model";
import { AccessStack } from "./access-stack";
import { BootstrapStack } from "./bootstrap-stack";
import { LicenseManagerStack } from "./license-manager-stack";
import { OrganizationStack } from "./organization-stack";
import { stackNames } from "../lib/names/stacks";

/** Every stack of one environment, in deploy order, each assuming the role `role` gives it. */
export function addStacks(app: App, config: EnvironmentConfig, role: AccessRole = "deploy") {
  const roleArn = (stack: string) => ({ roleArn: stackRoleArn(config, stack, role) });
  const bootstrap = new BootstrapStack(app, config, roleArn(stackNames.bootstrap));
  const { access, planRoleArn, deployRoleArn } = config;
  // The roles the other stacks assume: validated to be present whenever access is configured.
  const accessStack =
    access && planRoleArn && deployRoleArn
      ? new AccessStack(app, { ...config, access, planRoleArn, deployRoleArn }, roleArn(stackNames.access))
      : undefined;
  accessStack?.addDependency(bootstrap);
  const organization = new OrganizationStack(app, config, roleArn(stackNames.organization));
  organization.addDependency(accessStack ?? bootstrap);
  // License Manager's settings need the trusted access the organization stack enables.
  const licenseManager = new LicenseManagerStack(app, config, roleArn(stackNames.licenseManager));
  licenseManager.addDependency(organization);
  return { bootstrap, ...(accessStack ? { access: accessStack } : {}), organization, licenseManager };
}
