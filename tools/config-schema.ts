/**
 * npm run schema: writes what is generated from the config schema (lib/config/schema.ts): the JSON Schema
 * that editors check config files with (config/schema.json) and the configuration reference (docs/configuration.md).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { configJsonSchema, configJsonSchemaFile } from "../lib/config/json-schema";
import { configReferenceFile, configReferenceMarkers, renderConfigReference } from "../lib/config/reference";
import { readGeneratedSection, replaceGeneratedSection } from "../lib/markdown/generated-section";
import { parseToolOptions, printLine, runCli } from "./cli";

const toolName = "schema";

const usage = `Usage: npm run schema [-- --check]

Writes, from the config schema in lib/config/ (each field's zod description, format and default):
  ${configJsonSchemaFile.padEnd(23)}the JSON Schema; each config file's first line names it for YAML-aware
  ${"".padEnd(23)}editors: # yaml-language-server: $schema=./schema.json
  ${configReferenceFile.padEnd(23)}the configuration reference table

Options:
  --check      Write nothing; report what is out of date
  -h, --help   Show this help

Exit codes: 0 written or up to date, 1 error, 2 out of date (--check).`;

const options = {
  check: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;

  const schemaFile = path.join(projectRoot, configJsonSchemaFile);
  const referenceFile = path.join(projectRoot, configReferenceFile);
  const schema = configJsonSchema();
  const reference = renderConfigReference();
  const page = readFileSync(referenceFile, "utf8");
  const stale = [
    ...(existsSync(schemaFile) && readFileSync(schemaFile, "utf8") === schema ? [] : [configJsonSchemaFile]),
    ...(readGeneratedSection(page, configReferenceMarkers) === reference ? [] : [configReferenceFile]),
  ];
  if (values.check) {
    printLine(stale.length === 0 ? "Up to date." : `Out of date: ${stale.join(", ")} (run npm run schema).`);
    return stale.length === 0 ? 0 : 2;
  }
  writeFileSync(schemaFile, schema);
  writeFileSync(referenceFile, replaceGeneratedSection(page, configReferenceMarkers, reference));
  printLine(stale.length === 0 ? "Up to date." : `Wrote ${stale.join(", ")}.`);
  return 0;
}

runCli(toolName, main);
