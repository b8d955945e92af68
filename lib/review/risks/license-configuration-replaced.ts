import { changeKind } from "../changes";
import type { RiskRule } from "./rule";

/**
 * A replaced license configuration gets a new ARN: its associations (AMIs, instances, hosts) are
 * dropped until they are made again, and tracked usage starts over.
 */
export const licenseConfigurationReplaced: RiskRule = {
  id: "license-configuration-replaced",
  check: ({ change }) => {
    if (change.type !== "aws_licensemanager_license_configuration" || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    const replacedBy = (change.change.replace_paths ?? []).map((path) => path.join(".")).sort();
    if (kind === "replace") {
      const cause = replacedBy.length > 0 ? ` (${replacedBy.join(", ")} cannot be updated in place)` : "";
      return [
        `the license configuration is replaced${cause}: its associations are dropped and usage tracking starts over`,
      ];
    }
    if (kind === "destroy") {
      return ["the license configuration is destroyed: its associations and usage tracking are lost"];
    }
    return [];
  },
};
