import type { App } from "cdktf";
import type { EnvironmentConfig } from "../lib/config/model";
import { BootstrapStack } from "./bootstrap-stack";
import { OrganizationStack } from "./organization-stack";

/** Every stack of one environment, in deploy order. */
export function addStacks(app: App, config: EnvironmentConfig) {
  const bootstrap = new BootstrapStack(app, config);
  const organization = new OrganizationStack(app, config);
  organization.addDependency(bootstrap);
  return { bootstrap, organization };
}
