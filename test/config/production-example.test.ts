/**
 * config/production.example.yaml is what a new user copies: it must load through the real loader, synthesize every
 * stack, show every feature of the schema, mark each value to replace, and start with the README's first commands.
 */
import { readFileSync } from "node:fs";
import { loadConfig } from "../../lib/config/load";
import { productionExampleFile } from "../helpers/config";
import { synthesizeStacks } from "../helpers/synth";

const text = readFileSync(productionExampleFile, "utf8");

interface JsonSchemaNode {
  readonly properties?: Record<string, JsonSchemaNode>;
  readonly items?: JsonSchemaNode;
  readonly additionalProperties?: JsonSchemaNode | boolean;
}

/** Every key the JSON Schema (generated from lib/config/) names, as dotted paths. */
function schemaKeys(node: JsonSchemaNode, prefix = ""): string[] {
  const children = node.items ?? node;
  return Object.entries(children.properties ?? {}).flatMap(([name, child]) => [
    `${prefix}${name}`,
    ...schemaKeys(child, `${prefix}${name}.`),
  ]);
}

/** The shell commands of a text's lines, without prompts' comments: what a new user types. */
const commands = (lines: readonly string[]) =>
  lines
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => /^(npm|npx|cp|export) /.test(line));

describe("config/production.example.yaml", () => {
  const config = loadConfig(productionExampleFile);

  it("synthesizes every stack through the real loader, discovery rules and reports included", () => {
    const stacks = synthesizeStacks(config);
    expect(Object.keys(stacks)).toEqual(["bootstrap", "access", "organization", "license-manager"]);
    const recorded = Object.values(stacks["license-manager"]?.resource.terraform_data ?? {}) as {
      input: { kind: string; region: string; desired: any };
    }[];
    const discoveryAndReports = recorded.find(
      ({ input }) => input.kind === "license-manager-discovery-and-reports" && input.region === "us-east-1",
    )?.input.desired;
    expect(
      discoveryAndReports.discovery
        .filter((entry: any) => entry.productInformationList.length > 0)
        .map((entry: any) => entry.name),
    ).toEqual(["sql-server-enterprise", "oracle-instance"]);
    expect(discoveryAndReports.reports.map((report: any) => report.name)).toEqual([
      "weekly-sql-server-usage",
      "monthly-license-summary",
    ]);
  });

  it("shows every key of the schema, set or commented out (s3Compatibility aside: never needed on AWS)", () => {
    const schema = JSON.parse(readFileSync("config/schema.json", "utf8")) as JsonSchemaNode;
    const keys = schemaKeys(schema).filter((key) => key.split(".")[0] !== "s3Compatibility");
    expect(keys.length).toBeGreaterThan(50);
    const missing = keys.filter((key) => {
      const name = key.split(".").pop() ?? key;
      return !new RegExp(`(^|[\\s{,#-])${name}:`, "m").test(text);
    });
    expect(missing).toEqual([]);
  });

  it("marks every example value (account ids, the organization, ARNs, names) to be replaced", () => {
    const placeholders = ["123456789012", "210987654321", "345678901234", "o-a1b2c3d4e5", "acme", "ami-0"];
    const unmarked = text
      .split("\n")
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => !line.trimStart().startsWith("#"))
      .filter(({ line }) => placeholders.some((placeholder) => line.includes(placeholder)))
      .filter(({ line }) => !/# REPLACE\b/.test(line))
      .map(({ line, number }) => `${number}: ${line}`);
    expect(unmarked).toEqual([]);
    expect(text).toMatch(/^# .*"# REPLACE"/m);
  });

  it("starts with the README's first commands, in the same order", () => {
    const readme = readFileSync("README.md", "utf8");
    const deploySection = readme.slice(readme.indexOf("## A first real deploy"));
    const readmeBlock = /```sh\n([\s\S]*?)```/.exec(deploySection)?.[1] ?? "";
    const header = text
      .split("\n")
      .filter((line) => line.startsWith("#   "))
      .map((line) => line.slice(1));
    const fromReadme = commands(readmeBlock.split("\n"));
    expect(fromReadme.length).toBeGreaterThan(8);
    expect(commands(header)).toEqual(fromReadme);
    // The bootstrap and access stacks exist before the first plan of the organization stack.
    const order = (command: string) => fromReadme.findIndex((line) => line.startsWith(command));
    expect(order("npx cdktf deploy bootstrap")).toBeLessThan(order("npx cdktf diff organization"));
    expect(order("npx cdktf deploy access")).toBeLessThan(order("npx cdktf diff organization"));
  });
});
