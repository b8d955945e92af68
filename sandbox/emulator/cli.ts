import { parseArgs } from "node:util";
import { resolveIamMode } from "./authorization/types";
import { parseFaultProfile } from "./faults/profile";
import { parseRateLimits } from "./faults/rate-limits";
import { seedWithMemberAccounts } from "./seed";
import { startEmulator } from "./server";

const usage = `Usage: tsx sandbox/emulator/cli.ts [--port 4566] [--host 127.0.0.1] [--state-file F] [--log-file F] [--iam MODE]

Emulates the AWS Organizations, License Manager, IAM, STS, SNS and Resource Groups Tagging (GetResources)
APIs for the sandbox. Point clients at it with AWS_ENDPOINT_URL_ORGANIZATIONS, AWS_ENDPOINT_URL_LICENSE_MANAGER,
AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SNS and AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API,
and the seeded keys
AWS_ACCESS_KEY_ID=AKIASANDBOXMANAGEMENT AWS_SECRET_ACCESS_KEY=sandbox-secret.

  --port        port to listen on (default 4566, 0 picks a free one)
  --host        address to bind (default 127.0.0.1)
  --state-file  JSON file loaded at start if present and saved after every mutating call
  --log-file    JSON-lines file receiving one line per API call
  --iam         enforce (default; also SANDBOX_IAM): role sessions get only what their policies allow;
                audit: evaluate and log, never deny; off: evaluate nothing
  --capture     record request and response bodies in the call log (also SANDBOX_CAPTURE=1), for
                npm run sandbox:conformance -- <log file>
  --faults      fault profile, e.g. throttle=0.2,5xx=0.02,latency=50ms,stale=2s (also SANDBOX_FAULTS;
                SANDBOX_FAULTS_SEED seeds it)
  --rate-limits throttling by rate, a token bucket per account, Region and API family: on (the defaults), off,
                or <family>=<per second>/<burst>,... e.g. license-manager-read=0.5/12,sns=1/20
                (also SANDBOX_RATE_LIMITS; families and defaults in sandbox/emulator/faults/rate-limits.ts)
  --member-accounts N
                grow the seeded organization to N member accounts (3 to 9999), each with the member read
                role, e.g. 999 for an organization of 1,000 accounts whose ListAccounts pages
  --help        show this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
      host: { type: "string", default: "127.0.0.1" },
      "state-file": { type: "string" },
      "log-file": { type: "string" },
      iam: { type: "string" },
      capture: { type: "boolean" },
      faults: { type: "string" },
      "rate-limits": { type: "string" },
      "member-accounts": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  const memberAccounts =
    values["member-accounts"] === undefined ? undefined : Number(values["member-accounts"]);
  if (
    memberAccounts !== undefined &&
    !(Number.isInteger(memberAccounts) && memberAccounts >= 3 && memberAccounts <= 9999)
  )
    throw new Error(
      `Invalid --member-accounts: ${values["member-accounts"]} (expected a whole number from 3 to 9999)`,
    );
  const emulator = await startEmulator({
    port,
    ...(memberAccounts !== undefined && { seed: seedWithMemberAccounts(memberAccounts) }),
    host: values.host,
    stateFile: values["state-file"],
    logFile: values["log-file"],
    iamMode: resolveIamMode(values.iam),
    capture: values.capture,
    faults:
      values.faults === undefined
        ? undefined
        : (parseFaultProfile(values.faults, process.env.SANDBOX_FAULTS_SEED) ?? false),
    rateLimits:
      values["rate-limits"] === undefined ? undefined : (parseRateLimits(values["rate-limits"]) ?? false),
  });
  console.log(emulator.url);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(usage);
  process.exit(2);
});
