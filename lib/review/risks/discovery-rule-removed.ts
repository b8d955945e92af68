import type { RiskRule } from "./rule";
import { discoveryInputs } from "./discovery-inputs";

/**
 * Automated discovery rules removed from a license configuration: License Manager stops finding the resources
 * that run the licensed software but were launched from an unassociated AMI, so they are no longer counted.
 */
export const discoveryRuleRemoved: RiskRule = {
  id: "discovery-rule-removed",
  check: (context) => {
    const inputs = discoveryInputs(context);
    if (!inputs) return [];
    const reasons: string[] = [];
    for (const before of inputs.before.discovery) {
      if (before.productInformationList.length === 0) continue;
      const after = inputs.after.discovery.find((entry) => entry.name === before.name);
      if (inputs.destroyed) {
        reasons.push(
          `the automated discovery rules of license configuration "${before.name}" are no longer managed: their resource is destroyed`,
        );
      } else if (!after || after.productInformationList.length === 0) {
        reasons.push(
          `removes the automated discovery rules of license configuration "${before.name}" (${before.productInformationList.length} rule(s)): resources running the software from unassociated AMIs are no longer counted`,
        );
      } else if (after.productInformationList.length < before.productInformationList.length) {
        reasons.push(
          `removes ${before.productInformationList.length - after.productInformationList.length} of the ${before.productInformationList.length} automated discovery rules of license configuration "${before.name}"`,
        );
      }
    }
    return reasons;
  },
};
