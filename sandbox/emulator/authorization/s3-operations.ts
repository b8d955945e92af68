import { requestTagContext } from "./context-keys";
import { BUCKET_SUBRESOURCES, OBJECT_SUBRESOURCES, type Method } from "./s3-subresource-actions";
import type { ContextValues, IamCheck } from "./types";

export interface S3Request {
  method: string;
  /** Path-style: /<bucket>/<key>?<query>. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3Operation {
  /** The S3 API operation, e.g. GetObject, PutBucketPolicy. */
  operation: string;
  /** Empty when the sandbox maps no IAM action to the request. */
  checks: IamCheck[];
}

const header = (request: S3Request, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Request headers S3 offers as condition keys (s3:x-amz-acl, s3:if-none-match, …) when they are sent. */
function headerContext(request: S3Request, names: string[]): ContextValues {
  const context: ContextValues = {};
  for (const name of names) {
    const value = header(request, name);
    if (value !== undefined) context[`s3:${name}`] = value;
  }
  return context;
}

const unescapeXml = (text: string): string =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

const one = (
  operation: string,
  action: string,
  resource: string,
  context: ContextValues = {},
): S3Operation => ({
  operation,
  checks: [{ action, resources: [resource], ...(Object.keys(context).length > 0 ? { context } : {}) }],
});

/** The S3 API operation of a path-style request and the IAM authorization it needs. */
export function s3Operation(request: S3Request): S3Operation {
  const url = new URL(request.url, "http://s3");
  const method = request.method.toUpperCase() as Method;
  const [bucketSegment, ...keySegments] = url.pathname.split("/").slice(1);
  const bucket = decodeURIComponent(bucketSegment ?? "");
  const key = keySegments.length > 0 ? decodeURIComponent(keySegments.join("/")) : "";
  const query = url.searchParams;
  if (!bucket) {
    return method === "GET"
      ? one("ListBuckets", "s3:ListAllMyBuckets", "*")
      : { operation: method, checks: [] };
  }
  const bucketArn = `arn:aws:s3:::${bucket}`;
  if (!key) return bucketOperation(request, method, query, bucket, bucketArn);

  const objectArn = `${bucketArn}/${key}`;
  const versioned = query.has("versionId");
  for (const [name, methods] of Object.entries(OBJECT_SUBRESOURCES)) {
    const mapping = query.has(name) ? methods[method] : undefined;
    if (mapping) return one(mapping[0], versioned ? mapping[2] : mapping[1], objectArn);
  }
  if (query.has("uploads") && method === "POST")
    return one("CreateMultipartUpload", "s3:PutObject", objectArn);
  if (query.has("uploadId")) {
    if (method === "PUT") return one("UploadPart", "s3:PutObject", objectArn);
    if (method === "POST") return one("CompleteMultipartUpload", "s3:PutObject", objectArn);
    if (method === "DELETE") return one("AbortMultipartUpload", "s3:AbortMultipartUpload", objectArn);
    if (method === "GET") return one("ListParts", "s3:ListMultipartUploadParts", objectArn);
  }
  if (query.has("attributes") && method === "GET") {
    // GetObjectAttributes needs both the attributes action and read access to the object.
    return {
      operation: "GetObjectAttributes",
      checks: [
        {
          action: versioned ? "s3:GetObjectVersionAttributes" : "s3:GetObjectAttributes",
          resources: [objectArn],
        },
        { action: versioned ? "s3:GetObjectVersion" : "s3:GetObject", resources: [objectArn] },
      ],
    };
  }
  switch (method) {
    case "GET":
    case "HEAD":
      return one(
        method === "GET" ? "GetObject" : "HeadObject",
        versioned ? "s3:GetObjectVersion" : "s3:GetObject",
        objectArn,
      );
    case "PUT":
      return putObject(request, objectArn);
    case "DELETE":
      return one("DeleteObject", versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", objectArn);
    default:
      return { operation: `${method} object`, checks: [] };
  }
}

function bucketOperation(
  request: S3Request,
  method: Method,
  query: URLSearchParams,
  bucket: string,
  bucketArn: string,
): S3Operation {
  for (const [name, methods] of Object.entries(BUCKET_SUBRESOURCES)) {
    const mapping = query.has(name) ? methods[method] : undefined;
    if (mapping) return one(mapping[0], mapping[1], bucketArn);
  }
  if (method === "POST" && query.has("delete")) return deleteObjects(request, bucketArn);
  switch (method) {
    case "GET": {
      const context: ContextValues = {};
      for (const name of ["prefix", "delimiter", "max-keys"]) {
        const value = query.get(name);
        if (value !== null) context[`s3:${name}`] = value;
      }
      return one(
        query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects",
        "s3:ListBucket",
        bucketArn,
        context,
      );
    }
    case "HEAD":
      return one("HeadBucket", "s3:ListBucket", bucketArn);
    case "PUT":
      return createBucket(request, bucketArn);
    case "DELETE":
      return one("DeleteBucket", "s3:DeleteBucket", bucketArn);
    default:
      return { operation: `${method} ${bucket}`, checks: [] };
  }
}

const ACL_HEADERS = [
  "x-amz-acl",
  "x-amz-grant-full-control",
  "x-amz-grant-read",
  "x-amz-grant-read-acp",
  "x-amz-grant-write",
  "x-amz-grant-write-acp",
];
const sendsAcl = (request: S3Request): boolean =>
  ACL_HEADERS.some((name) => header(request, name) !== undefined);
/** A private canned ACL (what the AWS provider sends) needs no s3:PutBucketAcl on CreateBucket. */
const grantsBucketAcl = (request: S3Request): boolean =>
  ACL_HEADERS.some(
    (name) =>
      header(request, name) !== undefined && !(name === "x-amz-acl" && header(request, name) === "private"),
  );

/**
 * CreateBucket needs more than s3:CreateBucket for what its headers set (Amazon S3 API Reference,
 * CreateBucket, "Permissions"): ownership controls, an ACL other than `private`, Object Lock (which also turns
 * versioning on).
 */
function createBucket(request: S3Request, bucketArn: string): S3Operation {
  const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(request.body.toString("utf8"));
  const created = one("CreateBucket", "s3:CreateBucket", bucketArn, {
    ...headerContext(request, ["x-amz-acl", "x-amz-object-ownership"]),
    ...(constraint ? { "s3:locationconstraint": constraint[1] } : {}),
  });
  const also = (action: string) => created.checks.push({ action, resources: [bucketArn] });
  if (header(request, "x-amz-object-ownership") !== undefined) also("s3:PutBucketOwnershipControls");
  if (grantsBucketAcl(request)) also("s3:PutBucketAcl");
  if (header(request, "x-amz-bucket-object-lock-enabled") === "true") {
    also("s3:PutBucketObjectLockConfiguration");
    also("s3:PutBucketVersioning");
  }
  return created;
}

/**
 * PutObject, or CopyObject when a source is named: it also reads the source. An ACL needs PutObjectAcl,
 * tags PutObjectTagging.
 */
function putObject(request: S3Request, objectArn: string): S3Operation {
  const context = headerContext(request, [
    "if-none-match",
    "if-match",
    "x-amz-acl",
    "x-amz-server-side-encryption",
    "x-amz-server-side-encryption-aws-kms-key-id",
    "x-amz-storage-class",
    "x-amz-copy-source",
    "x-amz-metadata-directive",
  ]);
  const checks: IamCheck[] = [
    {
      action: "s3:PutObject",
      resources: [objectArn],
      ...(Object.keys(context).length > 0 ? { context } : {}),
    },
  ];
  const source = header(request, "x-amz-copy-source");
  if (source) {
    const [path, sourceQuery = ""] = decodeURIComponent(source).replace(/^\//, "").split("?");
    const action = new URLSearchParams(sourceQuery).has("versionId") ? "s3:GetObjectVersion" : "s3:GetObject";
    checks.push({ action, resources: [`arn:aws:s3:::${path}`] });
  }
  if (sendsAcl(request)) checks.push({ action: "s3:PutObjectAcl", resources: [objectArn] });
  const tagging = header(request, "x-amz-tagging");
  if (tagging) {
    const tags = [...new URLSearchParams(tagging)].map(([Key, Value]) => ({ Key, Value }));
    checks.push({ action: "s3:PutObjectTagging", resources: [objectArn], context: requestTagContext(tags) });
  }
  return { operation: source ? "CopyObject" : "PutObject", checks };
}

/** DeleteObjects is authorized per object, as DeleteObject (DeleteObjectVersion for a version). */
function deleteObjects(request: S3Request, bucketArn: string): S3Operation {
  const body = request.body.toString("utf8");
  const objects = [...body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map(([, inner]) => ({
    key: unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(inner)?.[1] ?? ""),
    versioned: /<VersionId>/.test(inner),
  }));
  const arns = (versioned: boolean) =>
    objects.filter((o) => o.versioned === versioned).map((o) => `${bucketArn}/${o.key}`);
  const checks: IamCheck[] = [];
  if (arns(false).length > 0) checks.push({ action: "s3:DeleteObject", resources: arns(false) });
  if (arns(true).length > 0) checks.push({ action: "s3:DeleteObjectVersion", resources: arns(true) });
  return { operation: "DeleteObjects", checks };
}
