/**
 * S3 subresources and the IAM action of each method on them (Service Authorization Reference, Amazon S3).
 */
export type Method = "GET" | "PUT" | "DELETE" | "POST" | "HEAD";
export type Mapping = [operation: string, action: string];

/**
 * Bucket subresources: operation and IAM action per method, as the Service Authorization Reference maps
 * them. S3's DELETE of a configuration is authorized as its Put action, except policies and websites.
 */
export const BUCKET_SUBRESOURCES: Record<string, Partial<Record<Method, Mapping>>> = {
  versioning: {
    GET: ["GetBucketVersioning", "s3:GetBucketVersioning"],
    PUT: ["PutBucketVersioning", "s3:PutBucketVersioning"],
  },
  encryption: {
    GET: ["GetBucketEncryption", "s3:GetEncryptionConfiguration"],
    PUT: ["PutBucketEncryption", "s3:PutEncryptionConfiguration"],
    DELETE: ["DeleteBucketEncryption", "s3:PutEncryptionConfiguration"],
  },
  publicAccessBlock: {
    GET: ["GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
    PUT: ["PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"],
    DELETE: ["DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"],
  },
  ownershipControls: {
    GET: ["GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"],
    PUT: ["PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"],
    DELETE: ["DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"],
  },
  policy: {
    GET: ["GetBucketPolicy", "s3:GetBucketPolicy"],
    PUT: ["PutBucketPolicy", "s3:PutBucketPolicy"],
    DELETE: ["DeleteBucketPolicy", "s3:DeleteBucketPolicy"],
  },
  policyStatus: { GET: ["GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"] },
  lifecycle: {
    GET: ["GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"],
    PUT: ["PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"],
    DELETE: ["DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"],
  },
  tagging: {
    GET: ["GetBucketTagging", "s3:GetBucketTagging"],
    PUT: ["PutBucketTagging", "s3:PutBucketTagging"],
    DELETE: ["DeleteBucketTagging", "s3:PutBucketTagging"],
  },
  acl: { GET: ["GetBucketAcl", "s3:GetBucketAcl"], PUT: ["PutBucketAcl", "s3:PutBucketAcl"] },
  cors: {
    GET: ["GetBucketCors", "s3:GetBucketCORS"],
    PUT: ["PutBucketCors", "s3:PutBucketCORS"],
    DELETE: ["DeleteBucketCors", "s3:PutBucketCORS"],
  },
  website: {
    GET: ["GetBucketWebsite", "s3:GetBucketWebsite"],
    PUT: ["PutBucketWebsite", "s3:PutBucketWebsite"],
    DELETE: ["DeleteBucketWebsite", "s3:DeleteBucketWebsite"],
  },
  location: { GET: ["GetBucketLocation", "s3:GetBucketLocation"] },
  logging: {
    GET: ["GetBucketLogging", "s3:GetBucketLogging"],
    PUT: ["PutBucketLogging", "s3:PutBucketLogging"],
  },
  accelerate: {
    GET: ["GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"],
    PUT: ["PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"],
  },
  requestPayment: {
    GET: ["GetBucketRequestPayment", "s3:GetBucketRequestPayment"],
    PUT: ["PutBucketRequestPayment", "s3:PutBucketRequestPayment"],
  },
  replication: {
    GET: ["GetBucketReplication", "s3:GetReplicationConfiguration"],
    PUT: ["PutBucketReplication", "s3:PutReplicationConfiguration"],
    DELETE: ["DeleteBucketReplication", "s3:PutReplicationConfiguration"],
  },
  "object-lock": {
    GET: ["GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"],
    PUT: ["PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"],
  },
  notification: {
    GET: ["GetBucketNotificationConfiguration", "s3:GetBucketNotification"],
    PUT: ["PutBucketNotificationConfiguration", "s3:PutBucketNotification"],
  },
  analytics: {
    GET: ["GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"],
    PUT: ["PutBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"],
    DELETE: ["DeleteBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"],
  },
  metrics: {
    GET: ["GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration"],
    PUT: ["PutBucketMetricsConfiguration", "s3:PutMetricsConfiguration"],
    DELETE: ["DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"],
  },
  inventory: {
    GET: ["GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"],
    PUT: ["PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"],
    DELETE: ["DeleteBucketInventoryConfiguration", "s3:PutInventoryConfiguration"],
  },
  "intelligent-tiering": {
    GET: ["GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration"],
    PUT: ["PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"],
    DELETE: ["DeleteBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"],
  },
  versions: { GET: ["ListObjectVersions", "s3:ListBucketVersions"] },
  uploads: { GET: ["ListMultipartUploads", "s3:ListBucketMultipartUploads"] },
};

/** Object subresources: [operation, action, action on a version (with versionId)] per method. */
export const OBJECT_SUBRESOURCES: Record<string, Partial<Record<Method, [string, string, string]>>> = {
  tagging: {
    GET: ["GetObjectTagging", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"],
    PUT: ["PutObjectTagging", "s3:PutObjectTagging", "s3:PutObjectVersionTagging"],
    DELETE: ["DeleteObjectTagging", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"],
  },
  acl: {
    GET: ["GetObjectAcl", "s3:GetObjectAcl", "s3:GetObjectVersionAcl"],
    PUT: ["PutObjectAcl", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
  },
  retention: {
    GET: ["GetObjectRetention", "s3:GetObjectRetention", "s3:GetObjectRetention"],
    PUT: ["PutObjectRetention", "s3:PutObjectRetention", "s3:PutObjectRetention"],
  },
  "legal-hold": {
    GET: ["GetObjectLegalHold", "s3:GetObjectLegalHold", "s3:GetObjectLegalHold"],
    PUT: ["PutObjectLegalHold", "s3:PutObjectLegalHold", "s3:PutObjectLegalHold"],
  },
};
