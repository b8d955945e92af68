import { App } from "cdktf";
import { ConfigError, configFileFromEnvironment, loadConfig } from "./lib/config/load";
import { addStacks } from "./stacks/app";

function main(): void {
  const configFile = configFileFromEnvironment();
  let config;
  try {
    config = loadConfig(configFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = new App();
  addStacks(app, config);
  app.synth();
}

main();
