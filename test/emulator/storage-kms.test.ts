import { allow, callLog, managementCredentials, sessionOf, type Credentials } from "./emulator-clients";
import { useStorageFront } from "./storage-front-clients";

const ACCOUNT = "111111111111";
const BUCKET = "sandbox-kms-state";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const OBJECT = "states/a.tfstate";
const viaS3 = { "kms:ViaService": "s3.us-east-1.amazonaws.com" };

const sseKms = (key: string) => ({
  "x-amz-server-side-encryption": "aws:kms",
  "x-amz-server-side-encryption-aws-kms-key-id": key,
});
const bucketDefault = (key: string, bucketKey: boolean) =>
  `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>${key}</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${bucketKey}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`;
const objectStatement = (actions: string[]): [string[], string[]] => [actions, [`${BUCKET_ARN}/states/*`]];

describe("SSE-KMS in the storage front: S3 asks for the caller's KMS permissions", () => {
  const storage = useStorageFront(BUCKET);
  const s3 = storage.s3;

  const put = (credentials: Credentials, headers: Record<string, string> = sseKms(KEY), path = OBJECT) =>
    s3(credentials, `/${BUCKET}/${path}`, { method: "PUT", body: "{}", headers });

  it("refuses an SSE-KMS write without kms:GenerateDataKey and a read without kms:Decrypt, with S3's AccessDenied naming the KMS action", async () => {
    const noKms = await sessionOf(
      storage.emulator(),
      "NoKms",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"])),
    );
    const refusedWrite = await put(noKms);
    expect(refusedWrite.status).toBe(403);
    const body = await refusedWrite.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain(
      `is not authorized to perform: kms:GenerateDataKey on resource: &quot;${KEY}&quot;`,
    );
    // Refused before s3rver: nothing written.
    expect((await s3(managementCredentials, `/${BUCKET}/${OBJECT}`)).status).toBe(404);

    // SSE-S3 needs no KMS permission.
    expect((await put(noKms, { "x-amz-server-side-encryption": "AES256" })).status).toBe(200);
    expect((await s3(noKms, `/${BUCKET}/${OBJECT}`)).status).toBe(200);

    // Written with the key by the administrator: the same role can no longer read it.
    expect((await put(managementCredentials)).status).toBe(200);
    const refusedRead = await s3(noKms, `/${BUCKET}/${OBJECT}`);
    expect(refusedRead.status).toBe(403);
    expect(await refusedRead.text()).toContain(
      `is not authorized to perform: kms:Decrypt on resource: &quot;${KEY}&quot;`,
    );
    // HeadObject decrypts nothing.
    expect((await s3(noKms, `/${BUCKET}/${OBJECT}`, { method: "HEAD" })).status).toBe(200);

    const denied = (await callLog(storage.emulator())).filter((entry) => entry.decision === "denied");
    expect(denied.map((entry) => [entry.action, entry.status, entry.errorCode])).toEqual([
      ["PutObject", 403, "AccessDenied"],
      ["GetObject", 403, "AccessDenied"],
    ]);
  });

  it("allows a role whose key statement carries kms:ViaService and the object's encryption context, and no other key or object", async () => {
    const decryptOnly = await sessionOf(
      storage.emulator(),
      "Reader",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"]), [
        ["kms:Decrypt"],
        [KEY],
        { StringEquals: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": `${BUCKET_ARN}/${OBJECT}` } },
      ]),
    );
    const writer = await sessionOf(
      storage.emulator(),
      "Writer",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"]), [
        ["kms:Decrypt", "kms:GenerateDataKey"],
        [KEY],
        { StringEquals: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": `${BUCKET_ARN}/${OBJECT}` } },
      ]),
    );
    const written = await put(writer);
    expect(written.status).toBe(200);
    expect(written.headers.get("x-amz-server-side-encryption")).toBe("aws:kms");
    expect(written.headers.get("x-amz-server-side-encryption-aws-kms-key-id")).toBe(KEY);
    const read = await s3(decryptOnly, `/${BUCKET}/${OBJECT}`);
    expect(read.status).toBe(200);
    expect(await read.text()).toBe("{}");
    expect(read.headers.get("x-amz-server-side-encryption-aws-kms-key-id")).toBe(KEY);

    // The plan role's kind: Decrypt only, so it cannot write.
    expect((await put(decryptOnly)).status).toBe(403);
    // Another key, or another object's encryption context: refused.
    expect((await put(writer, sseKms(OTHER_KEY))).status).toBe(403);
    expect((await put(writer, sseKms(KEY), "states/b.tfstate")).status).toBe(403);
  });

  it("takes the key from the bucket's default encryption, with the bucket's ARN as encryption context under an S3 Bucket Key", async () => {
    const encryption = await s3(managementCredentials, `/${BUCKET}?encryption`, {
      method: "PUT",
      body: bucketDefault(KEY, true),
    });
    expect(encryption.status).toBe(200);
    const objectContext = await sessionOf(
      storage.emulator(),
      "ObjectContext",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"]), [
        ["kms:GenerateDataKey"],
        [KEY],
        { StringEquals: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": `${BUCKET_ARN}/${OBJECT}` } },
      ]),
    );
    const bucketContext = await sessionOf(
      storage.emulator(),
      "BucketContext",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"]), [
        ["kms:GenerateDataKey"],
        [KEY],
        { StringEquals: { ...viaS3, "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN } },
      ]),
    );
    const notViaS3 = await sessionOf(
      storage.emulator(),
      "NotViaS3",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"]), [
        ["kms:GenerateDataKey"],
        [KEY],
        { StringEquals: { "kms:ViaService": "ec2.us-east-1.amazonaws.com" } },
      ]),
    );
    // No SSE header: the bucket default (aws:kms with the key and a Bucket Key) applies.
    expect((await put(objectContext, {})).status).toBe(403);
    expect((await put(notViaS3, {})).status).toBe(403);
    const written = await put(bucketContext, {});
    expect(written.status).toBe(200);
    expect(written.headers.get("x-amz-server-side-encryption-bucket-key-enabled")).toBe("true");
    // The request turns the Bucket Key off: the object's ARN is the context again.
    expect(
      (await put(objectContext, { "x-amz-server-side-encryption-bucket-key-enabled": "false" })).status,
    ).toBe(200);

    const checks = (await callLog(storage.emulator()))
      .filter((entry) => entry.principal?.includes("BucketContext") && entry.action === "PutObject")
      .flatMap((entry) => entry.additionalChecks ?? []);
    expect(checks).toEqual([
      expect.objectContaining({
        iamAction: "kms:GenerateDataKey",
        resources: [KEY],
        decision: "allowed",
        conditionKeys: expect.objectContaining({ ...viaS3, "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN }),
      }),
    ]);
  });

  it.each([
    [
      "an algorithm S3 does not know",
      { "x-amz-server-side-encryption": "aws:kms:v2" },
      "The encryption method specified is not supported",
      "x-amz-server-side-encryption",
      "aws:kms:v2",
    ],
    [
      "a KMS key without aws:kms",
      { "x-amz-server-side-encryption-aws-kms-key-id": KEY },
      "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id",
      KEY,
    ],
    [
      "a KMS key with AES256",
      { "x-amz-server-side-encryption": "AES256", "x-amz-server-side-encryption-aws-kms-key-id": KEY },
      "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
      "x-amz-server-side-encryption-aws-kms-key-id",
      KEY,
    ],
  ])(
    "answers S3's InvalidArgument for %s, and writes nothing",
    async (_name, headers, message, argument, value) => {
      const refused = await put(managementCredentials, headers);
      expect(refused.status).toBe(400);
      const body = await refused.text();
      expect(body).toContain("<Code>InvalidArgument</Code>");
      expect(body).toContain(`<Message>${message}</Message>`);
      expect(body).toContain(
        `<ArgumentName>${argument}</ArgumentName><ArgumentValue>${value}</ArgumentValue>`,
      );
      expect((await s3(managementCredentials, `/${BUCKET}/${OBJECT}`)).status).toBe(404);
    },
  );

  it("asks nothing of the AWS managed key aws/s3", async () => {
    const noKms = await sessionOf(
      storage.emulator(),
      "NoKms",
      allow(objectStatement(["s3:GetObject", "s3:PutObject"])),
    );
    expect((await put(noKms, { "x-amz-server-side-encryption": "aws:kms" })).status).toBe(200);
    const read = await s3(noKms, `/${BUCKET}/${OBJECT}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("x-amz-server-side-encryption-aws-kms-key-id")).toBe(
      `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/s3`,
    );
  });
});
