/**
 * npm run sandbox:scale: `npm run plan` and `npm run drift` against many deployed license configurations —
 * how long they take and which calls they make — to show that neither they nor the emulator do work that
 * grows faster than the number of resources.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { deployBench, renderDeployBench, type DeployRun } from "../lib/bench/deploy";
import { callsBetween, renderScaleRuns, type ScaleRun, type ToolRun } from "../lib/bench/plan-and-drift";
import { scaleConfigYaml } from "../lib/bench/scale-config";
import { runCommand } from "../lib/process/run-command";
import { readCallLog } from "./role-summary";
import { deployAllStacks, startSandboxSession, type SandboxSession } from "./session";
import { runSandboxCli } from "./run-cli";

const usage = `Usage: npm run sandbox:scale [-- --sizes 100,200] [--amis N] [--deploy-only] [--json]

For each size N: writes a scale config (config/sandbox.yaml with its license configurations replaced by N vCPU
configurations of N×--amis AMI associations in one region, into .sandbox/scale/), starts the sandbox afresh
with it, deploys every stack with the real cdktf CLI, then runs npm run plan and npm run drift (the plan role,
as CI runs them) and reads from the call log which calls each made. Prints per size the resources the
license-manager stack holds, the deploy, plan and drift times, the calls of plan and drift by operation, and
seconds and calls per resource (flat from one size to the next = linear); writes .sandbox/scale-runs.json (.sandbox/scale-deploys.json with --deploy-only).
A size of 200 takes several minutes on 2 cores. With --deploy-only, stops after the deploy and prints
the license-manager stack's deploy time per resource instead (what npm run bench -- --deploy runs).

Options:
  --sizes LIST   license configurations per run, comma-separated (default 100,200)
  --amis N       AMI associations per configuration (default 10)
  --deploy-only  time the license-manager stack's deploy only (no plan, no drift); JSON {"runs": [...]}
                 of deploy runs
  --json         also print the JSON on stdout
  -h, --help     show this help

Exit codes: 0 measured, 1 error (bad option, a deploy, plan or drift that failed).`;

const projectRoot = path.resolve(__dirname, "..");
const outputDirectory = path.join(projectRoot, ".sandbox");

/** A fresh sandbox with `size` configurations deployed; `measure` runs in it before it closes. */
async function withDeployedScale<T>(
  size: number,
  amis: number,
  measure: (session: SandboxSession, deployed: DeployRun) => Promise<T>,
): Promise<T> {
  const scaleDirectory = path.join(outputDirectory, "scale");
  mkdirSync(scaleDirectory, { recursive: true });
  const configFile = path.relative(projectRoot, path.join(scaleDirectory, `scale-${size}.yaml`));
  const base = readFileSync(path.join(projectRoot, "config", "sandbox.yaml"), "utf8");
  writeFileSync(
    path.join(projectRoot, configFile),
    scaleConfigYaml(base, { count: size, amisPerConfiguration: amis }),
  );
  const session = await startSandboxSession({
    projectRoot,
    dataDirectory: path.join(outputDirectory, "scale-runs", String(size)),
    configFile,
  });
  try {
    let seconds = 0;
    await deployAllStacks(session, (stack, _index, durationMs) => {
      if (durationMs === undefined) console.error(`  ${size}: deploying ${stack} ...`);
      else if (stack === "license-manager") seconds = durationMs / 1000;
    });
    const state = await runCommand("terraform", ["state", "list"], {
      cwd: path.join(projectRoot, "cdktf.out", "stacks", "license-manager"),
      env: session.environment,
    });
    if (state.exitCode !== 0)
      throw new Error(`terraform state list exited ${state.exitCode}:\n${state.stderr}`);
    const resources = state.stdout
      .split("\n")
      .filter((line) => line.trim() && !line.startsWith("data.")).length;
    console.error(`  ${size}: license-manager deployed in ${seconds.toFixed(1)} s, ${resources} resources`);
    return await measure(session, {
      licenseConfigurations: size,
      associations: size * amis,
      resources,
      seconds,
    });
  } finally {
    await session.close();
  }
}

/** Plan and drift, timed and their calls counted, against `size` deployed configurations. */
function scaleRun(size: number, amis: number): Promise<ScaleRun> {
  return withDeployedScale(size, amis, async (session, deployed) => {
    const tool = async (name: string, args: string[]): Promise<ToolRun> => {
      console.error(`  ${size}: npm run ${name} ...`);
      const from = Date.now();
      const result = await runCommand(
        path.join(projectRoot, "node_modules/.bin/tsx"),
        [`tools/${name}.ts`, ...args],
        {
          cwd: projectRoot,
          env: session.environment,
          logFile: path.join(session.logDirectory, `${name}.log`),
        },
      );
      const to = Date.now();
      if (result.exitCode !== 0)
        throw new Error(`npm run ${name} exited ${result.exitCode}:\n${result.stderr}`);
      return {
        seconds: (to - from) / 1000,
        exitCode: result.exitCode,
        ...callsBetween(readCallLog(session.services.callLogFile), from, to),
      };
    };
    const plan = await tool("plan", ["--out", path.join(session.logDirectory, "plans")]);
    const drift = await tool("drift", []);
    return {
      licenseConfigurations: deployed.licenseConfigurations,
      associations: deployed.associations,
      resources: deployed.resources,
      deployLicenseManagerSeconds: deployed.seconds,
      plan,
      drift,
    };
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100,200" },
      amis: { type: "string", default: "10" },
      "deploy-only": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const sizes = values.sizes.split(",").map(Number);
  const amis = Number(values.amis);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(amis) || amis < 1) {
    console.error(`sandbox:scale: --sizes and --amis expect whole numbers from 1\n\n${usage}`);
    return 1;
  }
  mkdirSync(outputDirectory, { recursive: true });
  if (values["deploy-only"]) {
    const runs: DeployRun[] = [];
    for (const size of sizes) runs.push(await withDeployedScale(size, amis, async (_session, run) => run));
    writeFileSync(path.join(outputDirectory, "scale-deploys.json"), `${JSON.stringify({ runs }, null, 2)}\n`);
    console.error(renderDeployBench(deployBench(runs)));
    if (values.json) console.log(JSON.stringify({ runs }, null, 2));
    return 0;
  }
  const runs: ScaleRun[] = [];
  for (const size of sizes) runs.push(await scaleRun(size, amis));
  writeFileSync(path.join(outputDirectory, "scale-runs.json"), `${JSON.stringify({ runs }, null, 2)}\n`);
  console.error(renderScaleRuns(runs));
  if (values.json) console.log(JSON.stringify({ runs }, null, 2));
  return 0;
}

runSandboxCli(module, "sandbox:scale", main);
