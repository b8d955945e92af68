/** Every kind on the reconcile contract (contract.ts). Add a kind here and nowhere else. */
import { discoveryAndReports } from "../license-manager/discovery-and-reports";
import { grantActivation } from "../license-manager/grant-activation";
import { licenseManagerSettings } from "../license-manager/settings";
import { trustedAccess } from "../organization/trusted-access";
import type { AnyKind } from "./contract";

export const reconcileKinds: readonly AnyKind[] = [
  trustedAccess,
  licenseManagerSettings,
  discoveryAndReports,
  grantActivation,
];

export function kindNamed(name: string): AnyKind | undefined {
  return reconcileKinds.find((kind) => kind.kind === name);
}
