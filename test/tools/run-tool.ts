import { execFile } from "node:child_process";
import { join } from "node:path";

const tsx = join(__dirname, "../../node_modules/.bin/tsx");

export const sandboxCredentials = { accessKeyId: "AKIASANDBOXMANAGEMENT", secretAccessKey: "sandbox-secret" };

export interface ToolResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tsx tools/<tool>.ts …` against the emulator with the sandbox's keys and no other AWS config:
 * HOME is a fresh directory, so no profile or credentials file of the machine can leak in.
 */
export function runTool(
  tool: string,
  emulatorUrl: string,
  homeDirectory: string,
  args: readonly string[],
  extraEnvironment: Record<string, string> = {},
): Promise<ToolResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: homeDirectory,
    AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_ORGANIZATIONS: emulatorUrl,
    AWS_ENDPOINT_URL_LICENSE_MANAGER: emulatorUrl,
    AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: emulatorUrl,
    AWS_ENDPOINT_URL_IAM: emulatorUrl,
    AWS_ENDPOINT_URL_STS: emulatorUrl,
    AWS_CONFIG_FILE: join(homeDirectory, "no-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(homeDirectory, "no-credentials"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extraEnvironment,
  };
  return new Promise((resolve) => {
    execFile(
      tsx,
      [join(__dirname, "../../tools", `${tool}.ts`), ...args],
      { env },
      (error, stdout, stderr) => {
        resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
