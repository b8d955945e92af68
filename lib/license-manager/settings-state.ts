import type { StateResource } from "../terraform/state";
import { licenseManagerSettingsSchema, type LicenseManagerSettings } from "./settings";

export interface DesiredSettingsInState {
  /** The terraform_data resource that applies them, e.g. terraform_data.us-east-1_settings_apply_E5268875. */
  readonly address: string;
  readonly settings: LicenseManagerSettings;
}

/**
 * The desired License Manager settings as last applied by the license-manager stack: the inputs of its
 * settings resources (terraform_data, see settings-resource.ts). This is what drift checks compare live
 * settings with, and what a reconcile re-applies.
 */
export function desiredSettingsInState(resources: readonly StateResource[]): DesiredSettingsInState[] {
  return resources
    .filter((resource) => resource.type === "terraform_data")
    .flatMap((resource) => {
      const parsed = licenseManagerSettingsSchema.safeParse(resource.values.input);
      return parsed.success ? [{ address: resource.address, settings: parsed.data }] : [];
    });
}
