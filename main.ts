import { App } from "cdktf";
import { ConfigError, configFileFromEnvironment, loadConfig } from "./lib/config/load";
import { AccessRoleError, parseAccessRole, stackRoleArn, type AccessRole } from "./lib/access/stack-roles";
import { sourceMapsDuringSynthesis } from "./lib/tuning";
import { addStacks } from "./stacks/app";

function main(): void {
  const configFile = configFileFromEnvironment();
  let config;
  let role: AccessRole;
  try {
    config = loadConfig(configFile);
    role = parseAccessRole(process.env.LM_ROLE);
    stackRoleArn(config, "organization", role); // a mode the config cannot serve fails here, before synthesis
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AccessRoleError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  withoutSourceMappedStackTraces(() => {
    const app = new App();
    addStacks(app, config, role);
    app.synth();
  });
}

/** Source maps off while the stacks are built: what that buys is in lib/tuning.ts (sourceMapsDuringSynthesis). */
function withoutSourceMappedStackTraces(run: () => void): void {
  const sourceMapsEnabled = process.sourceMapsEnabled ?? true; // undefined before Node 20.7; tsx turns them on
  process.setSourceMapsEnabled(sourceMapsDuringSynthesis);
  try {
    run();
  } finally {
    process.setSourceMapsEnabled(sourceMapsEnabled);
  }
}

main();
