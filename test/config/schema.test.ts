import { readdirSync, readFileSync } from "node:fs";
import { describeField, parseFieldDoc } from "../../lib/config/field-docs";
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

  it("reads back the parts of a description", () => {
    const doc = {
      meaning: "Region of the bucket (e.g. us-east-1)",
      requiredWith: "`x: y`",
      default: "`homeRegion`",
    };
    expect(parseFieldDoc(describeField(doc))).toEqual(doc);
    expect(parseFieldDoc(describeField({ meaning: "A.b" }))).toEqual({ meaning: "A.b" });
  });
});
