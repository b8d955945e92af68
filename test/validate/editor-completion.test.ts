// What an editor does with config/*.yaml: the YAML language server behind VS Code's YAML extension (and
// other LSP editors) reads the `# yaml-language-server: $schema=./schema.json` line, loads the committed
// JSON Schema, and completes and checks keys while typing. Driven here over stdio as an editor would.
// (tsconfig.json maps vscode-languageserver-protocol/node and vscode-jsonrpc/node to their typings: the packages
// map subpaths with "exports", which "moduleResolution": "node" does not read; Node and jest do.)
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type ConfigurationParams,
  type PublishDiagnosticsParams,
  type Diagnostic,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";

const root = join(__dirname, "..", "..");
const configDir = join(root, "config");
const settings = { yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false } } };

let server: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
const diagnostics = new Map<string, (d: Diagnostic[]) => void>();
let nextDocument = 0;

beforeAll(async () => {
  server = spawn(
    process.execPath,
    [require.resolve("yaml-language-server/bin/yaml-language-server"), "--stdio"],
    { stdio: "pipe" },
  );
  connection = createProtocolConnection(
    new StreamMessageReader(server.stdout),
    new StreamMessageWriter(server.stdin),
  );
  connection.onRequest(ConfigurationRequest.type, (params: ConfigurationParams) =>
    params.items.map(() => settings.yaml),
  );
  connection.onNotification(
    PublishDiagnosticsNotification.type,
    ({ uri, diagnostics: found }: PublishDiagnosticsParams) => diagnostics.get(uri)?.(found),
  );
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: null,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: true } } },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
}, 30_000);

afterAll(() => {
  connection?.dispose();
  server?.kill();
});

/** Opens `text` as an unsaved config/<name>.yaml (so ./schema.json resolves) and waits for its checks. */
async function open(text: string): Promise<{ uri: string; problems: Diagnostic[] }> {
  const uri = pathToFileURL(join(configDir, `editor-test-${nextDocument++}.yaml`)).href;
  // The server publishes once on open, before the schema is loaded, and again once it is: wait for a quiet spell.
  const problems = new Promise<Diagnostic[]>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    diagnostics.set(uri, (found) => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve(found), 400);
    });
  });
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "yaml", version: 1, text },
  });
  return { uri, problems: await problems };
}

async function complete(uri: string, line: number, character: number): Promise<string[]> {
  const result = await connection.sendRequest(CompletionRequest.type, {
    textDocument: { uri },
    position: { line, character },
  });
  const items: CompletionItem[] = Array.isArray(result)
    ? result
    : ((result as CompletionList | null)?.items ?? []);
  return items.map((item) => item.label);
}

const modeline = readFileSync(join(configDir, "sandbox.yaml"), "utf8").split("\n")[0];

test("every shipped config names the committed schema on its first line", () => {
  expect(modeline).toBe("# yaml-language-server: $schema=./schema.json");
  expect(readFileSync(join(configDir, "production.example.yaml"), "utf8").split("\n")[0]).toBe(modeline);
});

test("completes top-level keys from the schema, leaving out those already written", async () => {
  const { uri } = await open(`${modeline}\nmanagementAccountId: "111111111111"\n\n`);
  const labels = await complete(uri, 2, 0);
  const schema = JSON.parse(readFileSync(join(configDir, "schema.json"), "utf8")) as {
    properties: Record<string, unknown>;
  };
  const expected = Object.keys(schema.properties).filter((key) => key !== "managementAccountId");
  expect(labels).toEqual(expect.arrayContaining(expected));
  expect(labels).not.toContain("managementAccountId");
}, 30_000);

test("completes nested keys and enum values", async () => {
  const { uri } = await open(`${modeline}\norganization:\n  source: \n  \n`);
  expect(await complete(uri, 3, 2)).toEqual(expect.arrayContaining(["id", "serviceAccessPrincipals"]));
  expect(await complete(uri, 2, 10)).toEqual(expect.arrayContaining(["create", "import"]));
}, 30_000);

test("flags an unknown key and a wrong type while typing, with the schema as the source", async () => {
  const { problems } = await open(`${modeline}\nmanagementAccountId: 111111111111\nhomeRegoin: us-east-1\n`);
  const byLine = new Map(problems.map((problem) => [problem.range.start.line, problem.message]));
  expect(byLine.get(1)).toMatch(/Incorrect type\. Expected "string"/);
  expect(byLine.get(2)).toMatch(/Property homeRegoin is not allowed/);
}, 30_000);
