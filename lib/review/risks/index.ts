import { accessStackBehind } from "./access-stack-behind";
import { delegatedAdministratorRemoved } from "./delegated-administrator-removed";
import { licenseConfigurationReplaced } from "./license-configuration-replaced";
import { licenseGrantNarrowed } from "./license-grant-narrowed";
import { licenseLimitLowered } from "./license-limit-lowered";
import { organizationReplacedOrDestroyed } from "./organization-replaced-or-destroyed";
import type { RiskRule } from "./rule";
import { outOfBandChangeReverted, reconciledRiskRules } from "./reconciled";
import { servicePrincipalEnabled } from "./service-access-principal-enabled";
import { servicePrincipalRemoved } from "./service-access-principal-removed";
import { stateBackendChanged } from "./state-backend-changed";

/** Every rule the review applies, in the order its flags are listed for one resource. */
export const riskRules: readonly RiskRule[] = [
  accessStackBehind,
  organizationReplacedOrDestroyed,
  servicePrincipalRemoved,
  servicePrincipalEnabled,
  delegatedAdministratorRemoved,
  licenseConfigurationReplaced,
  licenseLimitLowered,
  licenseGrantNarrowed,
  // Each kind of what Terraform cannot manage brings its own checks (lib/reconcile/registry.ts).
  ...reconciledRiskRules,
  outOfBandChangeReverted,
  stateBackendChanged,
];

export { flagsOf, type RiskContext, type RiskRule } from "./rule";
