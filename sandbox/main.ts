/**
 * npm run sandbox: a local AWS organization, every stack deployed into it with the real cdktf CLI,
 * Terraform and AWS provider, and a read-back of what now exists.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatSandboxReport, readReconciledSummaries, readSandboxReport } from "./report";
import { formatIdentities, readCallLog, summarizeIdentities } from "./role-summary";
import { stackRoleArn } from "../lib/access/stack-roles";
import { deployAllStacks, SandboxStepError, startSandboxSession, type SandboxSession } from "./session";

const usage = `Usage: [LM_CONFIG=config/sandbox-external.yaml] npm run sandbox [-- --exit] [-- --port 4566]

Starts a local AWS sandbox on 127.0.0.1 — an emulated organization (management account 111111111111, three
members, SSO and CloudTrail already trusted) with Organizations, License Manager, IAM, STS and SNS, and
s3rver + dynalite as the state bucket and lock table — then synthesizes the config (LM_CONFIG, default
config/sandbox.yaml) and deploys
every stack in dependency order with the real cdktf CLI, Terraform and AWS provider, and prints what exists.
The sandbox enforces IAM (SANDBOX_IAM=enforce|audit|off): the bootstrap and access stacks are deployed with
the sandbox's administrator keys, the organization and License Manager stacks with the least-privilege deploy
role the access stack creates; the report says which identity made which calls.

Every run starts afresh: .sandbox/ and the sandbox's bootstrap state are removed first.
The services stay up until Ctrl-C, so you can run cdktf diff, the drift check or a destroy against them
(source .sandbox/env first). Ctrl-C leaves nothing running.

  --exit        stop the services and exit after the deploy and the report (for scripts and CI)
  --port N      emulator port (default 4566); the S3/DynamoDB front listens on N+1
  -h, --help    show this help

Exit codes: 0 deployed (and, without --exit, stopped by Ctrl-C), 1 a step failed (its log is named).`;

const projectRoot = path.resolve(__dirname, "..");
const dataDirectory = path.join(projectRoot, ".sandbox");
/**
 * config/sandbox.yaml imports the organization; config/sandbox-external.yaml leaves it to another owner, whose
 * principals (Control Tower's) the seeded organization then already has.
 */
const configFile = process.env.LM_CONFIG || "config/sandbox.yaml";
/** The seeded administrator whose keys the sandbox environment carries (sandbox/emulator/seed.ts). */
const sandboxAdministratorArn = "arn:aws:iam::111111111111:user/sandbox-admin";

let session: SandboxSession | undefined;

async function stop(exitCode: number): Promise<never> {
  await session?.close();
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { exit: { type: "boolean" }, port: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const emulatorPort = Number(values.port ?? 4566);
  if (!Number.isInteger(emulatorPort) || emulatorPort < 1024 || emulatorPort > 65534) {
    console.error(`sandbox: --port expects a port from 1024 to 65534 (got ${values.port})\n\n${usage}`);
    process.exit(1);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`\nsandbox: ${signal}, stopping the services.`);
      void stop(130);
    });
  }

  console.error(`Starting the sandbox from ${configFile} (previous sandbox state removed) ...`);
  session = await startSandboxSession({
    projectRoot,
    dataDirectory,
    configFile,
    emulatorPort,
    storagePort: emulatorPort + 1,
  });
  const { services, stacks } = session;
  writeEnvironmentFile(session);
  const total = stacks.length + 2;
  console.error(
    `[1/${total}] Services up: AWS APIs at ${services.emulatorUrl}, S3/DynamoDB at ${services.storageUrl}; ` +
      `synthesized ${stacks.join(", ")}`,
  );

  await deployAllStacks(session, (stack, index, durationMs) => {
    if (durationMs === undefined)
      console.error(
        `[${index + 2}/${total}] Deploying ${stack} (cdktf deploy ${stack}) ...${slowStep[stack] ?? ""}`,
      );
    else console.error(`      ${stack} deployed in ${Math.round(durationMs / 1000)} s`);
  });

  console.error(`[${total}/${total}] Reading back what exists ...`);
  // The SDK clients of the report read the endpoints and credentials from the environment.
  Object.assign(process.env, session.environment);
  const report = await readSandboxReport(session.config.homeRegion, session.config.licenseManager.regions);
  // The deploy left each stack initialized in cdktf.out: its state is one `terraform show -json` away.
  const reconciled = await readReconciledSummaries(
    ["organization", "license-manager"]
      .filter((stack) => session!.stacks.includes(stack))
      .map((stack) => path.join(projectRoot, "cdktf.out", "stacks", stack)),
    session.environment,
  );
  console.log(`\n${formatSandboxReport(report, reconciled)}\n`);
  console.log(`${whoDidWhat(session)}\n`);
  if (values.exit) {
    console.error(
      "Every stack was deployed into the sandbox; --exit stops it now. Without --exit it stays up for cdktf diff,\n" +
        `npm run drift and the rest. ${logLocations(session)}`,
    );
    await stop(0);
  }
  console.error(nextSteps(session));
  console.error("\nThe sandbox is running. Press Ctrl-C to stop it.");
}

/** Which identity deployed which stacks, from the call log: the administrator, then the deploy role. */
function whoDidWhat(running: SandboxSession): string {
  const { config } = running;
  const stacksByIdentity = new Map<string, string[]>();
  for (const stack of running.stacks) {
    const roleArn = stackRoleArn(config, stack, "deploy");
    const identity = roleArn ?? sandboxAdministratorArn;
    stacksByIdentity.set(identity, [...(stacksByIdentity.get(identity) ?? []), stack]);
  }
  return formatIdentities(summarizeIdentities(readCallLog(running.services.callLogFile)), stacksByIdentity);
}

function writeEnvironmentFile(running: SandboxSession): void {
  const lines = Object.entries({ ...running.services.environment, LM_CONFIG: configFile }).map(
    ([name, value]) => `export ${name}=${value}`,
  );
  writeFileSync(path.join(dataDirectory, "env"), `# written by npm run sandbox\n${lines.join("\n")}\n`);
}

function nextSteps(running: SandboxSession): string {
  return [
    "Every stack is deployed into the sandbox. In another terminal, from the project root:",
    `  source .sandbox/env                       # endpoints, sandbox credentials, LM_CONFIG=${configFile}`,
    "  npx cdktf diff organization --skip-provider-lock   # plan one stack: expect no changes",
    "  npm run drift                             # drift check of every stack and the settings, with the plan role",
    "  npm run roles                             # service-linked roles per account",
    "  npm run reconcile -- unlink && npx cdktf destroy license-manager --skip-provider-lock",
    "                                            # tear-down; the organization and the state bucket",
    "                                            # refuse destruction (prevent_destroy)",
    logLocations(running),
  ].join("\n");
}

function logLocations(running: SandboxSession): string {
  return (
    `Every AWS call is logged in ${path.relative(process.cwd(), running.services.callLogFile)}; ` +
    "command logs are in .sandbox/logs/."
  );
}

/** What a new user would otherwise take for a hang. */
const slowStep: Record<string, string> = {
  bootstrap:
    "\n      (about a minute: the AWS provider waits 55 s after writing the state bucket's lifecycle rules)",
};

main().catch(async (error: Error) => {
  const where =
    error instanceof SandboxStepError
      ? `; its output is in ${path.relative(process.cwd(), error.logFile)}`
      : "";
  console.error(`sandbox: ${error.message}${where}`);
  await stop(1);
});
