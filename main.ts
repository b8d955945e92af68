import { App } from "cdktf";
import { ConfigError, configFileFromEnvironment, loadConfig } from "./lib/config/load";
import { AccessRoleError, parseAccessRole, stackRoleArn, type AccessRole } from "./lib/access/stack-roles";
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

/**
 * cdktf captures a full stack trace for every token it creates, and tsx turns source maps on, so Node mapped
 * every frame of every trace through source maps (parsing the inline maps of cdktf's own files to do so):
 * most of what those traces cost, and ~15 MB even for the shipped config. Token creation stacks, shown only
 * in token resolution errors, are unmapped as a result. An error thrown in between still gets a mapped
 * stack: V8 formats it when it is printed, after the reset.
 */
function withoutSourceMappedStackTraces(run: () => void): void {
  const sourceMapsEnabled = process.sourceMapsEnabled ?? true; // undefined before Node 20.7; tsx turns them on
  process.setSourceMapsEnabled(false);
  try {
    run();
  } finally {
    process.setSourceMapsEnabled(sourceMapsEnabled);
  }
}

main();
