import type { IamCheck } from "./authorization/types";
import type { StoredSubresource } from "./storage-s3-subresources";

/**
 * SSE-KMS in the storage front: which KMS key an object is written with, and the KMS authorization S3 asks of
 * the caller for it.
 *
 * S3 encrypts an SSE-KMS object by calling kms:GenerateDataKey and decrypts it with kms:Decrypt, both on the
 * caller's behalf, and answers 403 AccessDenied when the caller may not use the key (S3 User Guide, "Using
 * server-side encryption with AWS KMS keys (SSE-KMS)", https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html:
 * "To upload an object encrypted with an AWS KMS key to Amazon S3, you need kms:GenerateDataKey permissions on
 * the key. To download an object encrypted with an AWS KMS key, you need kms:Decrypt permissions"). Those KMS
 * requests carry kms:ViaService = s3.<region>.amazonaws.com (KMS Developer Guide, "kms:ViaService") and the
 * encryption context `aws:s3:arn`: the object's ARN, or the bucket's ARN when the object uses an S3 Bucket Key
 * (same page, "Encryption context"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
 *
 * Which key: `x-amz-server-side-encryption: aws:kms` with `x-amz-server-side-encryption-aws-kms-key-id`, or,
 * without the key id, the AWS managed key aws/s3 (PutObject, "x-amz-server-side-encryption-aws-kms-key-id");
 * without the header, the bucket's default encryption. A request's
 * `x-amz-server-side-encryption-bucket-key-enabled` overrides the bucket's BucketKeyEnabled.
 *
 * The sandbox models no KMS keys and no key policies: every customer managed key behaves as one with the
 * default key policy (the account's root may use it, so the caller's IAM policies alone decide: KMS Developer
 * Guide, "Default key policy"), in any account and region its ARN names. The AWS managed key aws/s3 lets every
 * principal of the account use it through S3 (its key policy's kms:CallerAccount and kms:ViaService
 * conditions), so it needs no IAM permission. HeadObject needs no KMS permission (it decrypts nothing; AWS's
 * pages do not say otherwise). Multipart uploads, which also need kms:Decrypt for their parts, are checked
 * when created only. The key of each object lives in memory, as the front's bucket settings do.
 */

export interface ObjectKmsKey {
  /** The key's ARN (or alias ARN, as the request named it). */
  readonly keyArn: string;
  /** The AWS managed key aws/s3: no IAM permission needed. */
  readonly awsManaged: boolean;
  /** Written with an S3 Bucket Key: KMS sees the bucket's ARN as `aws:s3:arn`. */
  readonly bucketKey: boolean;
}

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const tag = (xml: string, name: string): string | undefined =>
  new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];

/** A key id, key ARN, alias name or alias ARN, as the ARN KMS authorizes (key ids in the caller's account). */
function keyArnOf(keyId: string, region: string, accountId: string): string {
  if (keyId.startsWith("arn:")) return keyId;
  return keyId.startsWith("alias/")
    ? `arn:aws:kms:${region}:${accountId}:${keyId}`
    : `arn:aws:kms:${region}:${accountId}:key/${keyId}`;
}

const isKms = (algorithm: string | undefined): boolean =>
  algorithm === "aws:kms" || algorithm === "aws:kms:dsse";

/**
 * The KMS key a write (PutObject, CopyObject, CreateMultipartUpload) encrypts the object with; undefined for
 * SSE-S3.
 */
export function writeKey(
  headers: Headers,
  bucketEncryption: StoredSubresource | null | undefined,
  region: string,
  accountId: string,
): ObjectKmsKey | undefined {
  const defaults = bucketEncryption?.body ?? "";
  const requested = header(headers, "x-amz-server-side-encryption");
  const algorithm = requested ?? tag(defaults, "SSEAlgorithm");
  if (!isKms(algorithm)) return undefined;
  const keyId = requested
    ? header(headers, "x-amz-server-side-encryption-aws-kms-key-id")
    : tag(defaults, "KMSMasterKeyID");
  const bucketKeyHeader = header(headers, "x-amz-server-side-encryption-bucket-key-enabled");
  const bucketKey = (bucketKeyHeader ?? tag(defaults, "BucketKeyEnabled")) === "true";
  return keyId
    ? { keyArn: keyArnOf(keyId, region, accountId), awsManaged: false, bucketKey }
    : { keyArn: `arn:aws:kms:${region}:${accountId}:alias/aws/s3`, awsManaged: true, bucketKey };
}

/** PutObject's `x-amz-server-side-encryption` values (Amazon S3 API Reference, PutObject). */
const SSE_ALGORITHMS = ["AES256", "aws:fsx", "aws:kms", "aws:kms:dsse"];

/**
 * S3's InvalidArgument (400) for a write whose SSE headers do not fit together: an algorithm outside PutObject's
 * valid values, or a KMS key id without `x-amz-server-side-encryption: aws:kms` (S3's message as clients report it,
 * e.g. aws/aws-cli#1431; the API reference names the rule, not the text). Undefined when they fit.
 */
export function sseHeaderProblem(
  headers: Headers,
): { message: string; argument: string; value: string } | undefined {
  const algorithm = header(headers, "x-amz-server-side-encryption");
  if (algorithm !== undefined && !SSE_ALGORITHMS.includes(algorithm)) {
    return {
      message: "The encryption method specified is not supported",
      argument: "x-amz-server-side-encryption",
      value: algorithm,
    };
  }
  const keyId = header(headers, "x-amz-server-side-encryption-aws-kms-key-id");
  if (keyId !== undefined && !isKms(algorithm)) {
    return {
      message:
        "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
      argument: "x-amz-server-side-encryption-aws-kms-key-id",
      value: keyId,
    };
  }
  return undefined;
}

/**
 * The default key policy: the account's root may do anything with the key, so IAM policies decide (KMS
 * Developer Guide, "Default key policy", https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 * A KMS key needs its key policy to allow, IAM policies alone never do (same guide, "Key policies").
 */
function defaultKeyPolicy(accountId: string): unknown {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  };
}

/** One KMS authorization S3 asks for on the caller's behalf; none for the AWS managed key. */
export function kmsCheck(
  action: "kms:GenerateDataKey" | "kms:Decrypt",
  key: ObjectKmsKey,
  bucket: string,
  objectKey: string,
  region: string,
  accountId: string,
): IamCheck[] {
  if (key.awsManaged) return [];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const keyAccount = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(key.keyArn)?.[1] ?? accountId;
  return [
    {
      action,
      resources: [key.keyArn],
      resourcePolicy: { document: defaultKeyPolicy(keyAccount), accountId: keyAccount, kind: "key" },
      unlistedContext: true,
      context: {
        "kms:ViaService": `s3.${region}.amazonaws.com`,
        "kms:CallerAccount": accountId,
        "kms:EncryptionContext:aws:s3:arn": key.bucketKey ? bucketArn : `${bucketArn}/${objectKey}`,
        "kms:EncryptionContextKeys": ["aws:s3:arn"],
      },
    },
  ];
}

/** The S3 response headers of an SSE-KMS object (PutObject, GetObject, HeadObject). */
export function encryptionHeaders(key: ObjectKmsKey): Record<string, string> {
  return {
    "x-amz-server-side-encryption": "aws:kms",
    "x-amz-server-side-encryption-aws-kms-key-id": key.keyArn,
    ...(key.bucketKey ? { "x-amz-server-side-encryption-bucket-key-enabled": "true" } : {}),
  };
}

/** Path-style `/<bucket>/<key>` of a request, undefined for bucket-level requests. */
export function objectOf(url: string): { bucket: string; key: string } | undefined {
  const [bucket, ...key] = new URL(url, "http://s3").pathname.split("/").slice(1);
  if (!bucket || key.length === 0 || key.join("/") === "") return undefined;
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key.join("/")) };
}

/** The KMS key of every SSE-KMS object written through the front, by `<bucket>/<key>`. */
export class ObjectKeys {
  private readonly keys = new Map<string, ObjectKmsKey>();

  get(bucket: string, key: string): ObjectKmsKey | undefined {
    return this.keys.get(`${bucket}/${key}`);
  }

  /** After a successful write: the object's key now, or none (SSE-S3) replacing an earlier one. */
  set(bucket: string, key: string, kmsKey: ObjectKmsKey | undefined): void {
    if (kmsKey) this.keys.set(`${bucket}/${key}`, kmsKey);
    else this.keys.delete(`${bucket}/${key}`);
  }

  forgetBucket(bucket: string): void {
    for (const name of this.keys.keys()) if (name.startsWith(`${bucket}/`)) this.keys.delete(name);
  }
}

/**
 * The KMS checks of an object operation, after its S3 checks: the write's key for PutObject, CopyObject and
 * CreateMultipartUpload (a multipart upload also needs kms:Decrypt, S3 User Guide, "Multipart upload API and
 * permissions"); the stored object's key for GetObject and a copy's source.
 */
export function objectKmsChecks(
  operation: string,
  request: { url: string; headers: Headers },
  objects: ObjectKeys,
  bucketEncryption: (bucket: string) => StoredSubresource | null | undefined,
  region: string,
  accountId: string,
): IamCheck[] {
  const target = objectOf(request.url);
  if (!target) return [];
  const { bucket, key } = target;
  const stored = objects.get(bucket, key);
  switch (operation) {
    case "GetObject":
      return stored ? kmsCheck("kms:Decrypt", stored, bucket, key, region, accountId) : [];
    case "PutObject":
    case "CopyObject":
    case "CreateMultipartUpload": {
      const checks: IamCheck[] = [];
      const source = header(request.headers, "x-amz-copy-source");
      if (operation === "CopyObject" && source) {
        const [sourceBucket, ...sourcePath] = decodeURIComponent(source)
          .replace(/^\//, "")
          .split("?")[0]
          .split("/");
        const sourceKey = objects.get(sourceBucket, sourcePath.join("/"));
        if (sourceKey)
          checks.push(
            ...kmsCheck("kms:Decrypt", sourceKey, sourceBucket, sourcePath.join("/"), region, accountId),
          );
      }
      const written = writeKey(request.headers, bucketEncryption(bucket), region, accountId);
      if (written) {
        checks.push(...kmsCheck("kms:GenerateDataKey", written, bucket, key, region, accountId));
        if (operation === "CreateMultipartUpload")
          checks.push(...kmsCheck("kms:Decrypt", written, bucket, key, region, accountId));
      }
      return checks;
    }
    default:
      return [];
  }
}
