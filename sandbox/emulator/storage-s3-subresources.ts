import type { IncomingMessage } from "node:http";

/** Bucket settings s3rver 3.7 lacks (it answers NotImplemented, or takes the PUT for CreateBucket). */
export const EMULATED_SUBRESOURCES = [
  "versioning",
  "encryption",
  "publicAccessBlock",
  "ownershipControls",
  "policy",
  "lifecycle",
  "tagging",
] as const;
export type Subresource = (typeof EMULATED_SUBRESOURCES)[number];

export interface StoredSubresource {
  body: string;
  headers: Record<string, string>;
}

/** Per bucket: a stored document, null once deleted, absent while AWS's default applies. */
export type BucketSettings = Partial<Record<Subresource, StoredSubresource | null>>;

export interface S3Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const xml = (body: string, status = 200, headers: Record<string, string> = {}): S3Reply => ({
  status,
  headers: { "content-type": "application/xml", ...headers },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
});
const s3Error = (status: number, code: string, message: string, bucket: string): S3Reply =>
  xml(
    `<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName></Error>`,
    status,
  );

/**
 * Buckets created since April 2023 come with SSE-S3 encryption, Block Public Access and
 * BucketOwnerEnforced ownership; versioning reads back an empty configuration until first set.
 */
function defaultReply(subresource: Subresource, bucket: string): S3Reply {
  switch (subresource) {
    case "versioning":
      return xml(`<VersioningConfiguration ${XMLNS}/>`);
    case "encryption":
      return xml(
        `<ServerSideEncryptionConfiguration ${XMLNS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
      );
    case "publicAccessBlock":
      return xml(
        `<PublicAccessBlockConfiguration ${XMLNS}><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
      );
    case "ownershipControls":
      return xml(
        `<OwnershipControls ${XMLNS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`,
      );
    case "policy":
      return missingReply(subresource, bucket);
    case "lifecycle":
      return missingReply(subresource, bucket);
    case "tagging":
      return missingReply(subresource, bucket);
  }
}

function missingReply(subresource: Subresource, bucket: string): S3Reply {
  const missing: Record<Subresource, [string, string]> = {
    versioning: ["NoSuchBucket", "The specified bucket does not exist"],
    encryption: [
      "ServerSideEncryptionConfigurationNotFoundError",
      "The server side encryption configuration was not found",
    ],
    publicAccessBlock: [
      "NoSuchPublicAccessBlockConfiguration",
      "The public access block configuration was not found",
    ],
    ownershipControls: ["OwnershipControlsNotFoundError", "The bucket ownership controls were not found"],
    policy: ["NoSuchBucketPolicy", "The bucket policy does not exist"],
    lifecycle: ["NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"],
    tagging: ["NoSuchTagSet", "The TagSet does not exist"],
  };
  const [code, message] = missing[subresource];
  return s3Error(404, code, message, bucket);
}

/** Request headers that belong to the setting and come back on GET (e.g. lifecycle's minimum object size). */
const KEPT_HEADERS = ["x-amz-transition-default-minimum-object-size"];

/**
 * Since September 2024 a lifecycle configuration put without the header gets the 128 KB minimum,
 * and GetBucketLifecycleConfiguration reports it; the provider compares it on every poll.
 */
const DEFAULT_HEADERS: Partial<Record<Subresource, Record<string, string>>> = {
  lifecycle: { "x-amz-transition-default-minimum-object-size": "all_storage_classes_128K" },
};

/** GetBucketEncryption always reports BucketKeyEnabled, false when it was not set. */
function normalized(subresource: Subresource, body: string): string {
  if (subresource !== "encryption") return body;
  return body.replace(/<Rule>((?:(?!<\/Rule>)[\s\S])*?)<\/Rule>/g, (rule, inner: string) =>
    inner.includes("<BucketKeyEnabled>")
      ? rule
      : `<Rule>${inner}<BucketKeyEnabled>false</BucketKeyEnabled></Rule>`,
  );
}

export function subresourceOf(query: URLSearchParams): Subresource | undefined {
  return EMULATED_SUBRESOURCES.find((name) => query.has(name));
}

export function answerSubresource(
  settings: BucketSettings,
  subresource: Subresource,
  bucket: string,
  request: IncomingMessage,
  body: string,
): S3Reply {
  const stored = settings[subresource];
  switch (request.method) {
    case "GET":
      if (stored === undefined) return defaultReply(subresource, bucket);
      if (stored === null) return missingReply(subresource, bucket);
      return subresource === "policy"
        ? {
            status: 200,
            headers: { "content-type": "application/json", ...stored.headers },
            body: stored.body,
          }
        : xml(normalized(subresource, stored.body), 200, stored.headers);
    case "PUT": {
      const headers = {
        ...DEFAULT_HEADERS[subresource],
        ...Object.fromEntries(
          KEPT_HEADERS.filter((h) => typeof request.headers[h] === "string").map((h) => [
            h,
            request.headers[h] as string,
          ]),
        ),
      };
      settings[subresource] = { body: body.replace(/^<\?xml[^>]*>\s*/, ""), headers };
      return { status: subresource === "policy" || subresource === "tagging" ? 204 : 200, headers, body: "" };
    }
    case "DELETE":
      // DeleteBucketEncryption "resets the default encryption for the bucket as server-side encryption with
      // Amazon S3 managed keys (SSE-S3)" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html):
      // GetBucketEncryption answers the default again, never ServerSideEncryptionConfigurationNotFoundError;
      // the provider's delete relies on it ("the bucket now always has one",
      // terraform-provider-aws internal/service/s3/bucket_server_side_encryption_configuration.go).
      if (subresource === "encryption") delete settings[subresource];
      else settings[subresource] = null;
      return { status: 204, headers: {}, body: "" };
    default:
      return s3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        bucket,
      );
  }
}

export const noSuchBucket = (bucket: string): S3Reply =>
  s3Error(404, "NoSuchBucket", "The specified bucket does not exist", bucket);
