import { delegatedAdministratorRemoved } from "./delegated-administrator-removed";
import { discoveryRuleRemoved } from "./discovery-rule-removed";
import { licenseConfigurationReplaced } from "./license-configuration-replaced";
import { licenseLimitLowered } from "./license-limit-lowered";
import { licenseManagerSettingsTurnedOff } from "./license-manager-settings-turned-off";
import { organizationReplacedOrDestroyed } from "./organization-replaced-or-destroyed";
import type { RiskRule } from "./rule";
import { reportGeneratorDeleted } from "./report-generator-deleted";
import { servicePrincipalRemoved } from "./service-access-principal-removed";
import { stateBackendChanged } from "./state-backend-changed";

/** Every rule the review applies, in the order its flags are listed for one resource. */
export const riskRules: readonly RiskRule[] = [
  organizationReplacedOrDestroyed,
  servicePrincipalRemoved,
  delegatedAdministratorRemoved,
  licenseManagerSettingsTurnedOff,
  licenseConfigurationReplaced,
  licenseLimitLowered,
  discoveryRuleRemoved,
  reportGeneratorDeleted,
  stateBackendChanged,
];

export { flagsOf, type RiskContext, type RiskRule } from "./rule";
