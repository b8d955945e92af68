import type { App } from "cdktf";
import type { EnvironmentConfig } from "../lib/config/model";
import { BootstrapStack } from "./bootstrap-stack";
import { LicenseManagerStack } from "./license-manager-stack";
import { OrganizationStack } from "./organization-stack";

/** Every stack of one environment, in deploy order. */
export function addStacks(app: App, config: EnvironmentConfig) {
  const bootstrap = new BootstrapStack(app, config);
  const organization = new OrganizationStack(app, config);
  organization.addDependency(bootstrap);
  // License Manager's settings need the trusted access the organization stack enables.
  const licenseManager = new LicenseManagerStack(app, config);
  licenseManager.addDependency(organization);
  return { bootstrap, organization, licenseManager };
}
