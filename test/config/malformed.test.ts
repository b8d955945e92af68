import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { ConfigError, parseConfig } from "../../lib/config/load";
import { sandboxConfigFile, sandboxDocument } from "../helpers/config";

/**
 * Every problem is one line: the file (with line and column for YAML-level problems), then either
 * "not valid YAML: …" or the path, what was expected and what it got.
 */
const problemForm = (file: string) => {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^${escaped}(?::\\d+:\\d+)?: (?:not valid YAML: .+|.+?: (?:.+; )?(?:expected|required) .+ \\(got .+\\))$`,
    "s",
  );
};

const sandboxText = readFileSync(sandboxConfigFile, "utf8");
const withLine = (find: string, replace: string) => {
  if (!sandboxText.includes(find)) throw new Error(`the sandbox config has no ${find}`);
  return sandboxText.replace(find, replace);
};
const nested = (depth: number) => `a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;

/** Inputs the YAML parser rejects or refuses to expand, and documents of the wrong shape. */
const malformedInputs: [string, string][] = [
  ["an empty file", ""],
  ["only comments", "# nothing here\n"],
  ["a top-level scalar", "42\n"],
  ["a top-level list", "- managementAccountId\n- homeRegion\n"],
  ["a top-level null", "~\n"],
  ["a syntax error", "managementAccountId: [1, 2\nhomeRegion: us-east-1\n"],
  ["duplicate keys", withLine("homeRegion: us-east-1", "homeRegion: us-east-1\nhomeRegion: eu-west-1")],
  ["two documents", `${sandboxText}\n---\n${sandboxText}`],
  ["tabs as indentation", "backend:\n\tbucket: x\n"],
  [
    "an alias bomb",
    [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
    ].join("\n"),
  ],
  ["an alias to an undefined anchor", withLine("homeRegion: us-east-1", "homeRegion: *region")],
  ["a !!binary value", withLine("homeRegion: us-east-1", "homeRegion: !!binary dXMtZWFzdC0x")],
  [
    "a !!set value",
    withLine("enabledPolicyTypes: [SERVICE_CONTROL_POLICY]", "enabledPolicyTypes: !!set {a, b}"),
  ],
  ["a custom tag", withLine("homeRegion: us-east-1", "homeRegion: !Ref Region")],
  ["a list as a key", withLine("defaultTags:\n", "defaultTags:\n  ? [a, b]\n  : c\n")],
  [
    "number, boolean and null keys",
    withLine("defaultTags:\n", "defaultTags:\n  1: one\n  true: yes\n  ~: none\n"),
  ],
  ["a merge key", withLine("backend:\n", "backend:\n  <<: { bucket: other-bucket }\n")],
  ["flow nesting 100,000 deep", nested(100000)],
  [
    "block nesting 2,000 deep",
    Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " v\n",
  ],
  ["control characters", "\u0000\u0001\u0002 ::: [[ }}"],
  [
    "a YAML 1.1 directive with yes/no booleans",
    `%YAML 1.1\n---\n${withLine("usePathStyle: true", "usePathStyle: yes")}`,
  ],
  [
    "__proto__ and constructor keys",
    withLine("defaultTags:\n", "__proto__: { polluted: true }\nconstructor: 1\ndefaultTags:\n"),
  ],
  [
    "NaN and infinite counts",
    withLine("licenseCount: 96", "licenseCount: .nan").replace("licenseCount: 64", "licenseCount: .inf"),
  ],
  ["a huge number", withLine("licenseCount: 96", `licenseCount: 1${"0".repeat(400)}`)],
  ["a 100 kB string", withLine("homeRegion: us-east-1", `homeRegion: ${"x".repeat(100000)}`)],
];

describe("malformed files are reported, never thrown as anything but a ConfigError", () => {
  const file = "config/malformed.yaml";
  it.each(malformedInputs)("%s", (_name, text) => {
    let error: unknown;
    try {
      parseConfig(text, file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem).toMatch(problemForm(file));
    expect(new Set(problems).size).toBe(problems.length);
    expect(problems.length).toBeLessThan(10);
  });
});

describe("any type in any place", () => {
  const replacements: unknown[] = [null, 0, -1.5, "", "text", true, [], {}, [null], { unexpected: 1 }];
  const file = "config/fuzz.yaml";

  /** Every path of the sandbox document, objects and lists included. */
  function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    const children = Array.isArray(value)
      ? value.map((item, index) => [index, item] as const)
      : value !== null && typeof value === "object"
        ? Object.entries(value)
        : [];
    return [prefix, ...children.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
  }

  function setAt(document: any, at: (string | number)[], value: unknown): any {
    if (at.length === 0) return value;
    let parent = document;
    for (const part of at.slice(0, -1)) parent = parent[part];
    parent[at[at.length - 1]!] = value;
    return document;
  }

  it("reports a wrong value anywhere as lines of the same form, each once, and never throws anything else", () => {
    const paths = pathsOf(sandboxDocument());
    expect(paths.length).toBeGreaterThan(70);
    let rejected = 0;
    for (const at of paths) {
      for (const replacement of replacements) {
        const document = setAt(sandboxDocument(), at, structuredClone(replacement));
        try {
          parseConfig(stringify(document), file);
        } catch (error) {
          if (!(error instanceof ConfigError)) {
            throw new Error(`${JSON.stringify(at)} = ${JSON.stringify(replacement)} threw ${String(error)}`);
          }
          rejected++;
          for (const problem of error.problems) expect(problem).toMatch(problemForm(file));
          expect(new Set(error.problems).size).toBe(error.problems.length);
        }
      }
    }
    expect(rejected).toBeGreaterThan(paths.length * 5);
  });
});

describe("the app with malformed files", () => {
  const directory = mkdtempSync(path.join(tmpdir(), "lm-malformed-"));

  // The command cdktf runs (cdktf.json's "app"), e.g. `npx tsx main.ts`.
  const appCommand: string = JSON.parse(readFileSync("cdktf.json", "utf8")).app;

  /** Runs the app as cdktf would, on one config file. */
  function runApp(configFile: string): Promise<{ status: number | null; stderr: string; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(appCommand, {
        shell: true,
        env: { ...process.env, LM_CONFIG: configFile, CDKTF_OUTDIR: path.join(directory, "cdktf.out") },
      });
      let stderr = "";
      let stdout = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("close", (status) => resolve({ status, stderr, stdout }));
    });
  }

  it("exits 1 on each, naming the file and every problem, with no stack trace and nothing synthesized", async () => {
    const files = malformedInputs.map(([name, text], index) => {
      const configFile = path.join(directory, `malformed-${index}.yaml`);
      writeFileSync(configFile, text);
      return { name, configFile };
    });
    files.push({ name: "a directory", configFile: directory });
    const results: {
      name: string;
      configFile: string;
      status: number | null;
      stderr: string;
      stdout: string;
    }[] = [];
    // Two at a time: each run starts Node and tsx (under half a second).
    for (let index = 0; index < files.length; index += 2) {
      const batch = files.slice(index, index + 2);
      results.push(
        ...(await Promise.all(
          batch.map(async (entry) => ({ ...entry, ...(await runApp(entry.configFile)) })),
        )),
      );
    }
    for (const { name, configFile, status, stderr, stdout } of results) {
      const context = `${name}:\n${stderr}`;
      expect([context, status]).toEqual([context, 1]);
      expect(stderr).toContain(`Invalid configuration in ${configFile} (`);
      expect(stderr).toContain("Nothing was synthesized.");
      expect([context, /^\s+at .+:\d+:\d+\)?$/m.test(stderr)]).toEqual([context, false]);
      expect(stdout).toBe("");
    }
    expect(existsSync(path.join(directory, "cdktf.out"))).toBe(false);
  });
});
