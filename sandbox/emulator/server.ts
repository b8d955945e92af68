import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Authorizer } from "./authorization/authorizer";
import { resolveIamMode, type IamMode, type StorageAuthorization } from "./authorization/types";
import { authorizationFields, CallLog } from "./call-log";
import { parseSigningScope } from "./identity";
import { faultProfileFromEnvironment, FaultInjector, type FaultProfile } from "./faults/profile";
import { rateLimitsFromEnvironment, RateLimiter, type RateLimits } from "./faults/rate-limits";
import { jsonFault, queryFault } from "./faults/responses";
import { StaleReads } from "./faults/stale-reads";
import {
  handleJson,
  handleQuery,
  isJsonRequest,
  routeOf,
  type ApiResponse,
  type EmulatorContext,
} from "./protocols";
import { defaultSeed, type SandboxSeed } from "./seed";
import { loadState, saveState, stateFromSeed, type EmulatorState } from "./state";

export interface EmulatorOptions {
  port?: number /* 0 = random */;
  host?: string /* default 127.0.0.1 */;
  seed?: SandboxSeed;
  stateFile?: string /* load at start if present, save after every mutating call */;
  logFile?: string /* JSON lines, one per call */;
  /** @default SANDBOX_IAM, else "enforce" */
  iamMode?: IamMode;
  /**
   * Record each call's request and response bodies in the call log, for `npm run sandbox:conformance`.
   * @default SANDBOX_CAPTURE=1, else off
   */
  capture?: boolean;
  /**
   * Throttling, 5xx, latency and stale reads (never on /_sandbox/ routes); `false` for none.
   * @default SANDBOX_FAULTS with SANDBOX_FAULTS_SEED, else none
   */
  faults?: FaultProfile | false;
  /**
   * Throttling by rate: a token bucket per account, Region and API family (faults/rate-limits.ts); `false` for none.
   * @default SANDBOX_RATE_LIMITS, else none
   */
  rateLimits?: RateLimits | false;
}

export interface RunningEmulator {
  url: string;
  /** The fault profile in effect, for the storage front started next to it. */
  faults?: FaultProfile;
  port: number;
  iamMode: IamMode;
  /** For the storage front: resolves its callers' keys and decides their requests against this emulator's IAM. */
  storageAuthorization: StorageAuthorization;
  close(): Promise<void>;
}

const READ_ONLY_ACTION = /^(Get|List|Describe)/;
const STATE_SAVE_DELAY_MS = 200;

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
  const iamMode = resolveIamMode(options.iamMode);
  let state: EmulatorState = loadState(options.stateFile, seed);
  const log = new CallLog(options.logFile);
  const capture = options.capture ?? process.env.SANDBOX_CAPTURE === "1";
  const context: EmulatorContext = { state: () => state, authorizer: new Authorizer(() => state, iamMode) };
  const faults = options.faults === undefined ? faultProfileFromEnvironment() : options.faults || undefined;
  const injector = faults ? new FaultInjector(faults) : undefined;
  const staleReads = faults && faults.staleMs > 0 ? new StaleReads(faults.staleMs) : undefined;
  const rateLimits =
    options.rateLimits === undefined ? rateLimitsFromEnvironment() : options.rateLimits || undefined;
  const rateLimiter = rateLimits ? new RateLimiter(rateLimits) : undefined;

  // The state file is written at most every STATE_SAVE_DELAY_MS, and on close: writing the whole state after
  // every mutating call made a deploy of n resources write O(n²) bytes (2,218 resources: 126 s).
  let saveTimer: NodeJS.Timeout | undefined;
  const flushState = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    saveState(options.stateFile, state);
  };
  const scheduleSave = () => {
    if (options.stateFile && !saveTimer) saveTimer = setTimeout(flushState, STATE_SAVE_DELAY_MS);
  };

  const sandboxRoutes: Record<string, (response: ServerResponse) => void> = {
    "GET /_sandbox/health": (response) => sendJson(response, 200, { status: "ok", iamMode }),
    "GET /_sandbox/log": (response) => sendJson(response, 200, log.entries),
    "GET /_sandbox/state": (response) => sendJson(response, 200, state),
    "POST /_sandbox/reset": (response) => {
      state = stateFromSeed(seed);
      flushState();
      sendJson(response, 200, { status: "reset" });
    },
  };

  const server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? "/").split("?")[0];
      const sandboxRoute = sandboxRoutes[`${request.method} ${path}`];
      if (sandboxRoute) return sandboxRoute(response);
      if (path.startsWith("/_sandbox/")) return sendJson(response, 404, { error: `No route ${path}` });

      const apiRequest = { headers: request.headers, body: await readBody(request) };
      const route = routeOf(apiRequest);
      const scope = parseSigningScope(apiRequest.headers.authorization);
      const region = scope?.region ?? "us-east-1";
      const credential = scope ? state.credentials[scope.accessKeyId] : undefined;
      const accountId = credential?.accountId;
      const randomFault = await injector?.next(route.service);
      // Rate limits count the calls that reach the service, as AWS's do: a call the random profile failed took no token.
      const fault =
        randomFault ??
        (rateLimiter &&
        !rateLimiter.admit({
          accountId: accountId ?? scope?.accessKeyId ?? "anonymous",
          region,
          service: route.service,
          action: route.action,
        })
          ? "rate"
          : undefined);
      if (fault) {
        const kind = fault === "rate" ? "throttle" : fault;
        const answer = route.json
          ? jsonFault(route.service, kind)
          : queryFault(route.service, route.xmlns, kind);
        log.record({
          service: route.service,
          action: route.action,
          ...(accountId ? { accountId } : {}),
          ...(credential ? { principal: credential.principalArn } : {}),
          region,
          status: answer.status,
          errorCode: answer.code,
          fault,
          ...(capture ? { capture: { request: apiRequest.body, response: answer.body } } : {}),
        });
        response.writeHead(answer.status, {
          ...answer.headers,
          "content-length": Buffer.byteLength(answer.body),
        });
        return response.end(answer.body);
      }
      const read = READ_ONLY_ACTION.test(route.action);
      const previous = read ? undefined : staleReads?.snapshot(route.service, state);
      const handlerContext: EmulatorContext =
        read && staleReads ? { ...context, state: () => staleReads.view(route.service, state) } : context;
      const result: ApiResponse = isJsonRequest(apiRequest)
        ? await handleJson(handlerContext, apiRequest)
        : await handleQuery(handlerContext, apiRequest);
      if (result.status < 300 && !read) staleReads?.wrote(route.service, previous);
      if (result.status < 300 && !READ_ONLY_ACTION.test(result.action)) scheduleSave();
      log.record({
        service: result.service,
        action: result.action,
        accountId: result.accountId,
        principal: result.principal,
        region: result.region,
        status: result.status,
        errorCode: result.errorCode,
        ...authorizationFields(result.authorization),
        ...(capture ? { capture: { request: apiRequest.body, response: result.body } } : {}),
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

  const storageAuthorization: StorageAuthorization = {
    mode: iamMode,
    authorize: async (accessKeyId, region, checksFor) => {
      const credential = state.credentials[accessKeyId];
      if (!credential) return { kind: "unknown-key" };
      if (credential.expiresAt !== undefined && credential.expiresAt * 1000 < Date.now())
        return { kind: "expired" };
      const checks = await checksFor(credential.accountId);
      const outcome = await context.authorizer.authorize(credential, region, checks);
      return {
        kind: "resolved",
        accountId: credential.accountId,
        principalArn: credential.principalArn,
        outcome,
      };
    },
    record: (entry) => log.record(entry),
  };

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    iamMode,
    faults,
    storageAuthorization,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (saveTimer) flushState();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
