import { mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import { readStacksInOrder } from "../lib/cdktf/manifest";
import { explainStateLock, parseStateLockError } from "../lib/terraform/state-lock";
import { loadConfig } from "../lib/config/load";
import type { EnvironmentConfig } from "../lib/config/model";
import { bootstrapLocalStateFile } from "../lib/names/stacks";
import { CdktfCli } from "./cdktf-cli";
import { externallyOwnedSeed, MANAGEMENT_ACCOUNT_ID } from "./emulator/seed";
import { startSandboxServices, withSandboxEnvironment, type SandboxServices } from "./services";

interface SandboxSessionOptions {
  readonly projectRoot: string;
  /** Emptied first: s3rver's objects, the emulator's state and call log, and the command logs. */
  readonly dataDirectory: string;
  /** Relative to the project root. */
  readonly configFile: string;
  /** @default 0 (a free port) */
  readonly emulatorPort?: number;
  /** @default 0 (a free port) */
  readonly storagePort?: number;
}

/** A started sandbox with the app synthesized for it: what the sandbox command and the end-to-end tests share. */
export interface SandboxSession {
  readonly services: SandboxServices;
  readonly config: EnvironmentConfig;
  /** The caller's environment pointed at the sandbox, with LM_CONFIG set to the session's config. */
  readonly environment: NodeJS.ProcessEnv;
  readonly cli: CdktfCli;
  /** Stack names in dependency order (from cdktf.out/manifest.json). */
  readonly stacks: readonly string[];
  readonly logDirectory: string;
  close(): Promise<void>;
}

export class SandboxStepError extends Error {
  constructor(
    readonly step: string,
    readonly logFile: string,
    /** The step's output: a held state lock in it is explained in the message. */
    output = "",
    stackDirectory?: string,
  ) {
    const lock = parseStateLockError(output);
    super(lock ? `${step} failed: ${explainStateLock(lock, stackDirectory)}` : `${step} failed`);
  }
}

/**
 * Starts afresh: removes the previous data, the config's local bootstrap state and cdktf.out, starts the
 * services, and synthesizes the app once.
 */
export async function startSandboxSession(options: SandboxSessionOptions): Promise<SandboxSession> {
  const config = loadConfig(path.resolve(options.projectRoot, options.configFile));
  // A fresh start removes the config's local bootstrap state: never that of a real account's config.
  if (config.managementAccountId !== MANAGEMENT_ACCOUNT_ID || !config.s3Compatibility.usePathStyle) {
    throw new Error(
      `${options.configFile} is not a sandbox config (managementAccountId ${config.managementAccountId}, expected the sandbox's ` +
        `${MANAGEMENT_ACCOUNT_ID} with s3Compatibility.usePathStyle: true): the sandbox starts afresh and would remove its ` +
        `local bootstrap state. Use config/sandbox.yaml or config/sandbox-external.yaml (unset LM_CONFIG for the first).`,
    );
  }
  rmSync(options.dataDirectory, { recursive: true, force: true });
  rmSync(path.join(options.projectRoot, bootstrapLocalStateFile(config)), { force: true });
  // Terraform keeps each stack's last backend in cdktf.out/stacks/<stack>/.terraform and refuses to
  // init against another one (e.g. the previous environment's); the sandbox's backends are new.
  rmSync(path.join(options.projectRoot, "cdktf.out"), { recursive: true, force: true });
  const logDirectory = path.join(options.dataDirectory, "logs");
  mkdirSync(logDirectory, { recursive: true });

  const services = await startSandboxServices({
    // An organization owned elsewhere comes with another owner's principals already enabled.
    ...(config.organization.source === "external" && { seed: externallyOwnedSeed }),
    dataDirectory: options.dataDirectory,
    emulatorPort: options.emulatorPort,
    storagePort: options.storagePort,
  });
  const environment = { ...withSandboxEnvironment(services.environment), LM_CONFIG: options.configFile };
  const cli = new CdktfCli({ projectRoot: options.projectRoot, environment, logDirectory });
  const synth = await cli.synth();
  if (synth.exitCode !== 0) {
    await services.close();
    throw new SandboxStepError("cdktf synth", path.join(logDirectory, "synth.log"));
  }
  const stacks = readStacksInOrder(path.join(options.projectRoot, "cdktf.out")).map((stack) => stack.name);
  return { services, config, environment, cli, stacks, logDirectory, close: () => services.close() };
}

/** Deploys every stack in dependency order; stops at the first failure. */
export async function deployAllStacks(
  session: SandboxSession,
  onStack: (stack: string, index: number, durationMs?: number) => void = () => undefined,
): Promise<void> {
  for (const [index, stack] of session.stacks.entries()) {
    onStack(stack, index);
    const result = await session.cli.deploy(stack);
    if (result.exitCode !== 0) {
      throw new SandboxStepError(
        `cdktf deploy ${stack}`,
        path.join(session.logDirectory, `deploy-${stack}.log`),
        result.stdout + result.stderr,
        `cdktf.out/stacks/${stack}`,
      );
    }
    onStack(stack, index, result.durationMs);
  }
}
