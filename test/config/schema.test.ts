import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { field, fieldDoc } from "../../lib/config/field-docs";
import { configJsonSchema, configJsonSchemaFile, schemaComment } from "../../lib/config/json-schema";
import {
  configReferenceFile,
  configReferenceMarkers,
  configReferenceRows,
  renderConfigReference,
} from "../../lib/config/reference";
import { readGeneratedSection } from "../../lib/markdown/generated-section";

describe("what is generated from the config schema", () => {
  it("config/schema.json is current (npm run schema writes it)", () => {
    expect(readFileSync(configJsonSchemaFile, "utf8")).toBe(configJsonSchema());
  });

  it("docs/configuration.md's generated reference is current (npm run schema writes it)", () => {
    expect(configReferenceFile).toBe("docs/configuration.md");
    expect(readGeneratedSection(readFileSync(configReferenceFile, "utf8"), configReferenceMarkers)).toBe(
      renderConfigReference(),
    );
  });

  it("every config file names the JSON Schema in its first line, for editors", () => {
    const files = readdirSync("config").filter((name) => /\.ya?ml$/.test(name));
    expect(files.length).toBeGreaterThan(1);
    for (const name of files) {
      expect([name, readFileSync(`config/${name}`, "utf8").split("\n")[0]]).toEqual([name, schemaComment]);
    }
  });

  it("documents every field once, with a meaning, and marks the required ones as the JSON Schema does", () => {
    const rows = configReferenceRows();
    expect(rows.length).toBeGreaterThan(50);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    for (const row of rows) expect(row.meaning).not.toBe("");
    const schema = JSON.parse(configJsonSchema());
    const topLevelRequired = rows.filter((row) => !row.key.includes(".") && row.required === "yes");
    expect(topLevelRequired.map((row) => row.key)).toEqual(schema.required);
    expect(Object.keys(schema.properties)).toEqual(
      rows.filter((row) => !row.key.includes(".")).map((row) => row.key),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it("gives the JSON Schema each field's doc as its description, and the reference the same doc as data", () => {
    const documented = field(z.string().default("us-east-1"), {
      meaning: "Region of the bucket (e.g. us-east-1)",
      requiredWith: "`x: y`",
    });
    expect(fieldDoc(documented)).toEqual({
      meaning: "Region of the bucket (e.g. us-east-1)",
      requiredWith: "`x: y`",
      default: "`us-east-1`",
    });
    expect(documented.description).toBe(
      "Region of the bucket (e.g. us-east-1). Required with `x: y`. Default: `us-east-1`.",
    );
    expect(fieldDoc(documented.optional())).toBeUndefined();
    const rows = configReferenceRows(
      z.object({ region: documented, "plain.name": field(z.string(), { meaning: "A.b" }) }),
    );
    expect(rows).toEqual([
      {
        key: "region",
        required: "with `x: y`",
        default: "`us-east-1`",
        meaning: "Region of the bucket (e.g. us-east-1)",
      },
      { key: "plain.name", required: "yes", default: "", meaning: "A.b" },
    ]);
  });
});
