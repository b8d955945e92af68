import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import S3rver from "s3rver";
import type { StorageAuthorization } from "./authorization/types";
import type { FaultProfile } from "./faults/profile";
import { startStorageFront, type RunningStorageFront } from "./storage-front";

export interface StorageBackendOptions {
  /** s3rver's data directory. */
  s3Directory: string;
  /** dynalite's LevelDB directory; in memory when left out. */
  dynamoPath?: string;
  /** Port of the front that clients use for both S3 and DynamoDB (0 = random). */
  port?: number;
  host?: string;
  /** The emulator's IAM (RunningEmulator.storageAuthorization); without it nothing is enforced or logged. */
  authorization?: StorageAuthorization;
  /** The fault profile (RunningEmulator.faults); none when left out. */
  faults?: FaultProfile;
}

/** s3rver and dynalite on random local ports, behind one storage front. */
export async function startStorageBackends(options: StorageBackendOptions): Promise<RunningStorageFront> {
  const host = options.host ?? "127.0.0.1";
  const s3 = new S3rver({
    port: 0,
    address: "127.0.0.1",
    directory: options.s3Directory,
    silent: true,
    allowMismatchedSignatures: true,
  });
  const s3Address = await s3.run();
  const dynamo = dynalite({ path: options.dynamoPath, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", resolve));
  const dynamoPort = (dynamo.address() as AddressInfo).port;
  const front = await startStorageFront({
    s3Upstream: `http://127.0.0.1:${s3Address.port}`,
    dynamoUpstream: `http://127.0.0.1:${dynamoPort}`,
    port: options.port,
    host,
    authorization: options.authorization,
    faults: options.faults,
  });
  return {
    ...front,
    close: async () => {
      await front.close();
      await s3.close();
      dynamo.closeAllConnections();
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
    },
  };
}
