import { asRecord, changeKind } from "../changes";
import { synthesizedResource } from "../../cdktf/synthesized-stack";
import type { RiskRule } from "./rule";

const switches = {
  enableIntegration: "License Manager's integration with Organizations",
  enableCrossAccountsDiscovery: "cross-account discovery",
} as const;

/**
 * License Manager's settings are a terraform_data resource whose input holds the desired settings
 * (lib/license-manager/settings-resource.ts). Its replacement with a switch false, or its destruction,
 * turns the feature off (destroying it only stops managing the settings, but the intent is the same).
 */
export const licenseManagerSettingsTurnedOff: RiskRule = {
  id: "license-manager-settings-turned-off",
  check: ({ change, synthesized }) => {
    if (change.type !== "terraform_data" || change.mode !== "managed") return [];
    const before = asRecord(asRecord(change.change.before).input);
    const kind = changeKind(change.change.actions);
    const afterInput = asRecord(asRecord(change.change.after).input);
    const unknownInput = asRecord(change.change.after_unknown).input;
    // An input with unknown parts (ARNs of resources still to be created) hides the literals: read them
    // from the synthesized configuration instead.
    const configured = asRecord(synthesizedResource(synthesized, change.type, change.name)?.input);
    const reasons: string[] = [];
    for (const [field, feature] of Object.entries(switches)) {
      if (before[field] !== true) continue;
      if (kind === "destroy") {
        reasons.push(`${feature} (${field}) is no longer managed: its settings resource is destroyed`);
        continue;
      }
      const after = field in afterInput || unknownInput === undefined ? afterInput[field] : configured[field];
      if (after === false || after === undefined || after === null) {
        reasons.push(`turns off ${feature} (${field}: true -> ${JSON.stringify(after ?? null)})`);
      }
    }
    return reasons;
  },
};
