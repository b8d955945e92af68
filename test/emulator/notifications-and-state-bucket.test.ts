import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import type { RunningStorageFront } from "../../sandbox/emulator/storage-front";
import { useEmulator } from "./emulator-clients";

const run = promisify(execFile);

/**
 * provider 5.100.0 waits 10 s after PutBucketLifecycleConfiguration, then wants 10 equal reads 5 s apart
 * (bucket_lifecycle_configuration.go, waitLifecycleConfigEquals): 55 s against any endpoint, AWS included.
 * Each read the front answered differently from what was put would add 5 s, or time out after 3 minutes.
 */
const LIFECYCLE_WAITER_FLOOR_SECONDS = 55;

const creationSeconds = (stdout: string): Record<string, number> =>
  Object.fromEntries(
    [...stdout.matchAll(/^(\S+): Creation complete after (?:(\d+)m)?(\d+)s/gm)].map(([, address, m, s]) => [
      address,
      Number(m ?? 0) * 60 + Number(s),
    ]),
  );

describe("SNS topic and state bucket with hashicorp/aws 5.100.0", () => {
  const emulator = useEmulator();
  let dir: string;
  let front: RunningStorageFront;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "emulator-notifications-"));
    front = await startStorageBackends({ s3Directory: join(dir, "s3") });
    mkdirSync(join(dir, "tf"));
    copyFileSync(
      join(__dirname, "fixtures", "notifications-and-state-bucket.tf"),
      join(dir, "tf", "main.tf"),
    );
  });
  afterEach(async () => {
    await front.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const terraform = (...args: string[]) =>
    run("terraform", [...args, "-input=false", "-no-color"], {
      cwd: join(dir, "tf"),
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        AWS_ENDPOINT_URL_SNS: emulator().url,
        AWS_ENDPOINT_URL_STS: emulator().url,
        AWS_ENDPOINT_URL_S3: front.url,
        AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
        AWS_SECRET_ACCESS_KEY: "sandbox-secret",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });

  it("applies at the provider's own pace and then plans no changes", async () => {
    await terraform("init");
    const apply = await terraform("apply", "-auto-approve");
    expect(apply.stdout).toContain("Apply complete! Resources: 9 added, 0 changed, 0 destroyed.");

    const seconds = creationSeconds(apply.stdout);
    const lifecycle = "aws_s3_bucket_lifecycle_configuration.state";
    expect(seconds[lifecycle]).toBeGreaterThanOrEqual(LIFECYCLE_WAITER_FLOOR_SECONDS);
    expect(seconds[lifecycle]).toBeLessThanOrEqual(LIFECYCLE_WAITER_FLOOR_SECONDS + 4);
    const others = Object.entries(seconds).filter(([address]) => address !== lifecycle);
    expect(others).toHaveLength(8);
    for (const [, elapsed] of others) expect(elapsed).toBeLessThanOrEqual(2);

    const plan = await terraform("plan", "-detailed-exitcode");
    expect(plan.stdout).toContain("No changes.");

    const log = (await (await fetch(`${emulator().url}/_sandbox/log`)).json()) as CallLogEntry[];
    const snsCalls = log.filter((entry) => entry.service === "sns");
    expect(snsCalls.filter((entry) => entry.status !== 200)).toEqual([]);
    expect(new Set(snsCalls.map((entry) => entry.action))).toEqual(
      new Set(["CreateTopic", "SetTopicAttributes", "GetTopicAttributes", "ListTagsForResource"]),
    );
  }, 480_000);
});
