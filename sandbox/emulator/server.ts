import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallLog } from "./call-log";
import { handleJson, handleQuery, isJsonRequest, type ApiResponse } from "./protocols";
import { defaultSeed, type SandboxSeed } from "./seed";
import { loadState, saveState, stateFromSeed, type EmulatorState } from "./state";

export interface EmulatorOptions {
  port?: number /* 0 = random */;
  host?: string /* default 127.0.0.1 */;
  seed?: SandboxSeed;
  stateFile?: string /* load at start if present, save after every mutating call */;
  logFile?: string /* JSON lines, one per call */;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

const READ_ONLY_ACTION = /^(Get|List|Describe)/;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value, null, 2));
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = options.seed ?? defaultSeed;
  let state: EmulatorState = loadState(options.stateFile, seed);
  const log = new CallLog(options.logFile);

  const sandboxRoutes: Record<string, (response: ServerResponse) => void> = {
    "GET /_sandbox/health": (response) => sendJson(response, 200, { status: "ok" }),
    "GET /_sandbox/log": (response) => sendJson(response, 200, log.entries),
    "GET /_sandbox/state": (response) => sendJson(response, 200, state),
    "POST /_sandbox/reset": (response) => {
      state = stateFromSeed(seed);
      saveState(options.stateFile, state);
      sendJson(response, 200, { status: "reset" });
    },
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? "/").split("?")[0];
      const route = sandboxRoutes[`${request.method} ${path}`];
      if (route) return route(response);
      if (path.startsWith("/_sandbox/")) return sendJson(response, 404, { error: `No route ${path}` });

      const apiRequest = { headers: request.headers, body: await readBody(request) };
      const result: ApiResponse = isJsonRequest(apiRequest)
        ? handleJson(state, apiRequest)
        : handleQuery(state, apiRequest);
      if (result.status < 300 && !READ_ONLY_ACTION.test(result.action)) saveState(options.stateFile, state);
      log.record({
        service: result.service,
        action: result.action,
        accountId: result.accountId,
        principal: result.principal,
        region: result.region,
        status: result.status,
        errorCode: result.errorCode,
      });
      response.writeHead(result.status, {
        ...result.headers,
        "content-length": Buffer.byteLength(result.body),
      });
      response.end(result.body);
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: String(error) });
      else response.end();
    });
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
