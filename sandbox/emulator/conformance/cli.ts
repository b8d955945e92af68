import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CallLogEntry } from "../call-log";
import { coverage } from "./check";

const usage = `Usage: npm run sandbox:conformance -- [--json] <calls.jsonl>

Checks every captured call of an emulator call log (run the emulator or the sandbox with SANDBOX_CAPTURE=1)
against AWS's API models (aws-sdk v2's apis/*.min.json) and the SDK v3 clients' error schemas, and prints per
operation: served by the emulator, calls seen, calls checked, violations; then each violation.

Exit codes: 0 no violation, 1 violations found, 2 usage error.`;

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(usage);
    return 2;
  }
  const entries = readFileSync(positionals[0], "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CallLogEntry);
  const { operations, violations } = coverage(entries);
  if (values.json) {
    console.log(JSON.stringify({ operations, violations }, null, 2));
    return violations.length > 0 ? 1 : 0;
  }
  console.log("| service | operation | served | seen | checked | violations |");
  console.log("| ------- | --------- | ------ | ---- | ------- | ---------- |");
  for (const o of operations)
    console.log(
      `| ${o.service} | ${o.action} | ${o.served ? "yes" : "no"} | ${o.seen} | ${o.checked} | ${o.violations} |`,
    );
  const served = operations.filter((o) => o.served);
  console.log(
    `\n${served.filter((o) => o.checked > 0).length} of ${served.length} served operations checked, ${violations.length} violations`,
  );
  for (const v of violations) console.log(`  ${v.service} ${v.action} ${v.part}: ${v.path}: ${v.problem}`);
  return violations.length > 0 ? 1 : 0;
}

process.exitCode = main();
