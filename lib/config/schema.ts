/**
 * The config file's one schema: the sections (sections.ts: fields, formats, defaults, documentation), the
 * whole-file rules (validator.ts) and the defaults that depend on other fields. The TypeScript model
 * (model.ts) is inferred from it; the JSON Schema for editors (config/schema.json) is generated from it.
 */
import { z } from "zod";
import { configSections, resolveDefaults } from "./sections";
import { validateConfig } from "./validator";

// Whole-file rules run whenever every field has its type, even if some failed a format check, so one
// run reports as many problems as it can.
export const configSchema = configSections
  .superRefine((config, ctx) => {
    for (const issue of validateConfig(resolveDefaults(config))) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [...issue.path], message: issue.message });
    }
  })
  .transform(resolveDefaults);
