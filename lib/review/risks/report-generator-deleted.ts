import type { RiskRule } from "./rule";
import { discoveryInputs } from "./discovery-inputs";

/** A report generator deleted: the usage reports that auditors are handed stop arriving in the report bucket. */
export const reportGeneratorDeleted: RiskRule = {
  id: "report-generator-deleted",
  check: (context) => {
    const inputs = discoveryInputs(context);
    if (!inputs) return [];
    return inputs.before.reports
      .filter((before) => !inputs.after.reports.some((after) => after.name === before.name))
      .map((before) =>
        inputs.destroyed
          ? `the report generator "${before.name}" is no longer managed: its resource is destroyed`
          : `deletes the report generator "${before.name}" (${before.types.join(", ")}, ${before.period}): its reports stop arriving in the report bucket`,
      );
  },
};
