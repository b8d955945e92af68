import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import type { RunningStorageFront } from "../../sandbox/emulator/storage-front";

const run = promisify(execFile);
const AUTH =
  "AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";

describe("storage front over s3rver and dynalite", () => {
  let dir: string;
  let front: RunningStorageFront;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "storage-front-"));
    front = await startStorageBackends({ s3Directory: join(dir, "s3") });
  });
  afterEach(async () => {
    await front.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const s3 = (path: string, init: RequestInit = {}) =>
    fetch(`${front.url}${path}`, {
      ...init,
      headers: {
        authorization: AUTH,
        "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""),
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        ...init.headers,
      },
    });

  it("stores bucket lifecycle rules and reports AWS's defaults and not-found codes", async () => {
    expect((await s3("/bucket-one", { method: "PUT" })).status).toBe(200);
    expect(await (await s3("/bucket-one?ownershipControls")).text()).toContain("BucketOwnerEnforced");
    expect(await (await s3("/bucket-one?lifecycle")).text()).toContain("NoSuchLifecycleConfiguration");
    const rules =
      "<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status></Rule></LifecycleConfiguration>";
    await s3("/bucket-one?lifecycle", { method: "PUT", body: rules });
    const lifecycle = await s3("/bucket-one?lifecycle");
    expect(await lifecycle.text()).toContain("<ID>r</ID>");
    // Put without the header, the configuration still reports AWS's default minimum object size.
    expect(lifecycle.headers.get("x-amz-transition-default-minimum-object-size")).toBe(
      "all_storage_classes_128K",
    );
    expect(await (await s3("/missing-bucket?policy")).text()).toContain("NoSuchBucket");
  });

  it("resets a deleted encryption configuration to SSE-S3, as S3 does", async () => {
    expect((await s3("/bucket-two", { method: "PUT" })).status).toBe(200);
    const kms =
      "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
    await s3("/bucket-two?encryption", { method: "PUT", body: kms });
    expect(await (await s3("/bucket-two?encryption")).text()).toContain("aws:kms");
    expect((await s3("/bucket-two?encryption", { method: "DELETE" })).status).toBe(204);
    const reset = await s3("/bucket-two?encryption");
    expect(reset.status).toBe(200);
    expect(await reset.text()).toContain("<SSEAlgorithm>AES256</SSEAlgorithm>");
  });

  it("lets the real provider create the state bucket and lock table with no diff afterwards", async () => {
    const workDir = join(dir, "tf");
    rmSync(workDir, { recursive: true, force: true });
    await run("mkdir", ["-p", workDir]);
    copyFileSync(join(__dirname, "fixtures", "state-backend.tf"), join(workDir, "main.tf"));
    const terraform = (...args: string[]) =>
      run("terraform", [...args, "-input=false", "-no-color"], {
        cwd: workDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          CHECKPOINT_DISABLE: "1",
          AWS_ENDPOINT_URL_S3: front.url,
          AWS_ENDPOINT_URL_DYNAMODB: front.url,
          AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
          AWS_SECRET_ACCESS_KEY: "sandbox-secret",
          AWS_REGION: "us-east-1",
          AWS_EC2_METADATA_DISABLED: "true",
        },
      });
    await terraform("init");
    const apply = await terraform("apply", "-auto-approve");
    expect(apply.stdout).toContain("Apply complete! Resources: 7 added");
    const plan = await terraform("plan", "-detailed-exitcode");
    expect(plan.stdout).toContain("No changes.");
  });
});
