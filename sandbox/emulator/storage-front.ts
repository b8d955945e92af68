import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { StorageAuthorization } from "./authorization/types";
import { FaultInjector, type FaultKind, type FaultProfile } from "./faults/profile";
import { dynamoFault, s3Fault } from "./faults/responses";
import { parseSigningScope } from "./identity";
import { s3Operation } from "./authorization/s3-operations";
import { guardStorageRequest, storageErrorCode } from "./storage-authorization";
import {
  answerDynamo,
  decorateTableDescription,
  onlyDeletionProtection,
  refuseProtectedDelete,
  rememberTableSettings,
  type TableExtras,
} from "./storage-dynamodb";
import {
  encryptionHeaders,
  ObjectKeys,
  objectKmsChecks,
  objectOf,
  sseHeaderProblem,
  writeKey,
} from "./storage-kms";
import { escapeXml } from "./xml";
import {
  answerSubresource,
  noSuchBucket,
  subresourceOf,
  type BucketSettings,
} from "./storage-s3-subresources";

export interface StorageFrontOptions {
  /** s3rver base URL; s3rver must run with `allowMismatchedSignatures: true`. */
  s3Upstream: string;
  /** dynalite base URL. */
  dynamoUpstream: string;
  port?: number;
  host?: string;
  /** Access key s3rver knows; requests are forwarded under it (s3rver's built-in key by default). */
  s3UpstreamAccessKeyId?: string;
  /**
   * The emulator's IAM: resolves each request's access key, evaluates the operation's IAM action for role
   * sessions, and receives one call-log entry per request. Without it every request is forwarded and none
   * is logged.
   */
  authorization?: StorageAuthorization;
  /** Throttling (S3 SlowDown, DynamoDB ThrottlingException), 5xx and latency; none when left out. */
  faults?: FaultProfile;
}

export interface RunningStorageFront {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Forwarded {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

type Headers = IncomingMessage["headers"];

function forward(
  upstream: string,
  method: string,
  path: string,
  headers: Headers,
  body: Buffer,
): Promise<Forwarded> {
  const target = new URL(path, upstream);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      target,
      { method, headers: { ...headers, host: target.host } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** What each response carried, for the call log. */
const sent = new WeakMap<ServerResponse, { status: number; body: Buffer | string; fault?: FaultKind }>();

function reply(
  response: ServerResponse,
  status: number,
  headers: Forwarded["headers"],
  body: Buffer | string,
): void {
  sent.set(response, { status, body });
  const clean = Object.fromEntries(
    Object.entries(headers).filter(
      ([k, v]) => v !== undefined && k !== "content-length" && k !== "transfer-encoding",
    ),
  );
  response.writeHead(status, { ...clean, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/**
 * One endpoint for AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_DYNAMODB (path-style S3 only).
 * It answers the bucket settings and DynamoDB continuous-backup calls that s3rver and dynalite
 * lack, and forwards everything else to them.
 */
export async function startStorageFront(options: StorageFrontOptions): Promise<RunningStorageFront> {
  const buckets: Record<string, BucketSettings> = {};
  const tables: Record<string, TableExtras> = {};
  const upstreamKey = options.s3UpstreamAccessKeyId ?? "S3RVER";
  const injector = options.faults ? new FaultInjector(options.faults) : undefined;
  const objectKeys = new ObjectKeys();
  /** The caller's account, as the guard resolved it: a bare KMS key id names a key of that account. */
  const callerAccount = new WeakMap<IncomingMessage, string>();
  const bucketEncryption = (bucket: string) => buckets[bucket]?.encryption;

  async function handleDynamo(
    request: IncomingMessage,
    body: Buffer,
    response: ServerResponse,
  ): Promise<void> {
    const action = String(request.headers["x-amz-target"]).split(".")[1] ?? "";
    const input = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    const region = parseSigningScope(request.headers.authorization)?.region ?? "us-east-1";
    const callUpstream = (operation: string, payload: unknown): Promise<Forwarded> => {
      const bytes = Buffer.from(JSON.stringify(payload));
      const headers = {
        ...request.headers,
        "x-amz-target": `DynamoDB_20120810.${operation}`,
        "content-length": String(bytes.length),
      };
      return forward(options.dynamoUpstream, "POST", "/", headers, bytes);
    };
    const describeTable = () => callUpstream("DescribeTable", { TableName: input.TableName });
    const replyJson = (status: number, value: unknown) =>
      reply(response, status, { "content-type": "application/x-amz-json-1.0" }, JSON.stringify(value));

    if (action === "UpdateContinuousBackups" || action === "DescribeContinuousBackups") {
      const answer = answerDynamo(tables, action, input, (await describeTable()).status === 200)!;
      return replyJson(answer.status, answer.body);
    }
    const refusal = refuseProtectedDelete(tables, action, input);
    if (refusal) return replyJson(refusal.status, refusal.body);
    if (onlyDeletionProtection(action, input)) {
      const described = await describeTable();
      if (described.status !== 200)
        return reply(response, described.status, described.headers, described.body);
      rememberTableSettings(tables, action, input);
      const { Table } = JSON.parse(described.body.toString("utf8")) as { Table: Record<string, unknown> };
      return replyJson(200, decorateTableDescription(tables, region, { TableDescription: Table }));
    }
    const upstream = await forward(options.dynamoUpstream, "POST", request.url ?? "/", request.headers, body);
    if (upstream.status === 200) rememberTableSettings(tables, action, input);
    if (
      upstream.status === 200 &&
      action === "CreateTable" &&
      Array.isArray(input.Tags) &&
      input.Tags.length > 0
    ) {
      // dynalite drops CreateTable's Tags; AWS tags the table as it creates it.
      const { TableDescription } = JSON.parse(upstream.body.toString("utf8")) as {
        TableDescription: { TableArn: string };
      };
      await callUpstream("TagResource", { ResourceArn: TableDescription.TableArn, Tags: input.Tags });
    }
    if (upstream.status === 200 && ["DescribeTable", "CreateTable", "UpdateTable"].includes(action)) {
      const decorated = decorateTableDescription(tables, region, JSON.parse(upstream.body.toString("utf8")));
      return reply(response, 200, upstream.headers, JSON.stringify(decorated));
    }
    reply(response, upstream.status, upstream.headers, upstream.body);
  }

  async function handleS3(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    // s3rver checks that the key id exists; signatures are not verified on either side.
    const headers = { ...request.headers };
    if (headers.authorization) {
      headers.authorization = headers.authorization.replace(
        /Credential=[^/]+\//,
        `Credential=${upstreamKey}/`,
      );
    }
    const url = new URL(request.url ?? "/", "http://front");
    const segments = url.pathname.split("/").filter(Boolean);
    const subresource = subresourceOf(url.searchParams);
    if (segments.length === 1 && subresource) {
      const bucket = decodeURIComponent(segments[0]);
      const headHeaders = { ...headers };
      for (const name of ["content-length", "content-md5", "content-type"]) delete headHeaders[name];
      const head = await forward(options.s3Upstream, "HEAD", `/${segments[0]}`, headHeaders, Buffer.alloc(0));
      const answer =
        head.status === 200
          ? answerSubresource((buckets[bucket] ??= {}), subresource, bucket, request, body.toString("utf8"))
          : noSuchBucket(bucket);
      return reply(response, answer.status, answer.headers, answer.body);
    }
    const problem =
      segments.length > 1 && writesObject(request, body) ? sseHeaderProblem(request.headers) : undefined;
    if (problem) {
      const { message, argument, value } = problem;
      return reply(
        response,
        400,
        { "content-type": "application/xml" },
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code><Message>${escapeXml(message)}</Message><ArgumentName>${argument}</ArgumentName><ArgumentValue>${escapeXml(value)}</ArgumentValue><RequestId>${randomUUID()}</RequestId></Error>`,
      );
    }
    if (segments.length === 1 && request.method === "DELETE" && url.search === "") {
      delete buckets[decodeURIComponent(segments[0])];
      objectKeys.forgetBucket(decodeURIComponent(segments[0]));
    }
    const upstream = await forward(
      options.s3Upstream,
      request.method ?? "GET",
      request.url ?? "/",
      headers,
      body,
    );
    const extra = upstream.status < 300 ? objectEncryption(request, body) : {};
    reply(response, upstream.status, { ...upstream.headers, ...extra }, upstream.body);
  }

  const writesObject = (request: IncomingMessage, body: Buffer) =>
    ["PutObject", "CopyObject", "CreateMultipartUpload"].includes(
      s3Operation({
        method: request.method ?? "GET",
        url: request.url ?? "/",
        headers: request.headers,
        body,
      }).operation,
    );

  /**
   * After a successful object request: remembers the key a write used (s3rver keeps no SSE-KMS) and answers
   * the SSE-KMS headers S3 sends for the object.
   */
  function objectEncryption(request: IncomingMessage, body: Buffer): Record<string, string> {
    const target = objectOf(request.url ?? "/");
    if (!target) return {};
    const { operation } = s3Operation({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
      body,
    });
    if (operation === "PutObject" || operation === "CopyObject") {
      const region = parseSigningScope(request.headers.authorization)?.region ?? "us-east-1";
      const account = callerAccount.get(request) ?? "";
      const written = writeKey(request.headers, bucketEncryption(target.bucket), region, account);
      objectKeys.set(target.bucket, target.key, written);
      return written ? encryptionHeaders(written) : {};
    }
    if (operation === "DeleteObject") objectKeys.set(target.bucket, target.key, undefined);
    const stored = objectKeys.get(target.bucket, target.key);
    return stored && (operation === "GetObject" || operation === "HeadObject")
      ? encryptionHeaders(stored)
      : {};
  }

  /** The partition key of a table, for dynamodb:LeadingKeys: read from dynalite with the caller's signature. */
  const partitionKeyLookup = (request: IncomingMessage) => async (table: string) => {
    const bytes = Buffer.from(JSON.stringify({ TableName: table }));
    const described = await forward(
      options.dynamoUpstream,
      "POST",
      "/",
      {
        ...request.headers,
        "x-amz-target": "DynamoDB_20120810.DescribeTable",
        "content-length": String(bytes.length),
      },
      bytes,
    );
    if (described.status !== 200) return undefined;
    const { Table } = JSON.parse(described.body.toString("utf8")) as {
      Table?: { KeySchema?: { AttributeName: string; KeyType: string }[] };
    };
    return Table?.KeySchema?.find((key) => key.KeyType === "HASH")?.AttributeName;
  };

  async function handle(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    const service = request.headers["x-amz-target"] ? "dynamodb" : "s3";
    const fault = await injector?.next(service);
    if (fault) {
      const answer = service === "dynamodb" ? dynamoFault(fault) : s3Fault(fault);
      reply(response, answer.status, answer.headers, answer.body);
      sent.set(response, { status: answer.status, body: answer.body, fault });
      return;
    }
    if (request.headers["x-amz-target"]) await handleDynamo(request, body, response);
    else await handleS3(request, body, response);
  }

  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const authorization = options.authorization;
      if (!authorization) return handle(request, body, response);
      const kmsChecks = (operation: string, region: string, accountId: string) => {
        callerAccount.set(request, accountId);
        const target = { url: request.url ?? "/", headers: request.headers };
        return objectKmsChecks(operation, target, objectKeys, bucketEncryption, region, accountId);
      };
      const guarded = await guardStorageRequest(
        authorization,
        request,
        body,
        partitionKeyLookup(request),
        kmsChecks,
      );
      try {
        if (guarded.refusal) {
          const { status, headers, body: refusal } = guarded.refusal;
          reply(response, status, headers, refusal);
        } else {
          await handle(request, body, response);
        }
      } finally {
        const outcome = sent.get(response) ?? { status: 502, body: "" };
        authorization.record({
          ...guarded.entry,
          status: outcome.status,
          errorCode: storageErrorCode(outcome.status, outcome.body),
          ...(outcome.fault ? { fault: outcome.fault } : {}),
        });
      }
    })().catch((error: unknown) => {
      if (!response.headersSent)
        reply(response, 502, { "content-type": "text/plain" }, `storage front: ${String(error)}`);
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
