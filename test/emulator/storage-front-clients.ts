import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import type { RunningStorageFront } from "../../sandbox/emulator/storage-front";
import { managementCredentials, type Credentials } from "./emulator-clients";

/** The headers that name the caller to the storage front: signatures are not verified, the key id is read. */
export const callerHeaders = (credentials: Credentials, service: "s3" | "dynamodb") => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""),
});

/**
 * A fresh emulator and storage front (S3 and DynamoDB, deciding by the emulator's IAM) for each test of the calling
 * describe block, with `bucket` created by the management account, in a temporary directory of its own (removed
 * after each test). `s3` sends a request to the front as a caller.
 */
export function useStorageFront(bucket: string) {
  let directory: string;
  let emulator: RunningEmulator;
  let front: RunningStorageFront;
  const s3 = (credentials: Credentials, path: string, init: RequestInit = {}) =>
    fetch(`${front.url}${path}`, {
      ...init,
      headers: {
        ...callerHeaders(credentials, "s3"),
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        ...init.headers,
      },
    });
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), "storage-front-"));
    emulator = await startEmulator({ port: 0 });
    front = await startStorageBackends({
      s3Directory: join(directory, "s3"),
      authorization: emulator.storageAuthorization,
    });
    expect((await s3(managementCredentials, `/${bucket}`, { method: "PUT" })).status).toBe(200);
  });
  afterEach(async () => {
    await front.close();
    await emulator.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return { emulator: () => emulator, front: () => front, directory: () => directory, s3 };
}
