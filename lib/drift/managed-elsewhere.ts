/**
 * Attributes that a resource still reads back but that another resource type manages since the AWS
 * provider split them out (aws_s3_bucket's policy, versioning, ... in v4; aws_sns_topic's policy with
 * aws_sns_topic_policy). Refreshing the owner shows the other resource's writes as a change "outside
 * Terraform"; it is not drift when the stack manages them with the split resource (or with a reconcile kind).
 */
const attributesManagedElsewhere: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_s3_bucket: {
    policy: "aws_s3_bucket_policy",
    versioning: "aws_s3_bucket_versioning",
    lifecycle_rule: "aws_s3_bucket_lifecycle_configuration",
    server_side_encryption_configuration: "aws_s3_bucket_server_side_encryption_configuration",
    acl: "aws_s3_bucket_acl",
    grant: "aws_s3_bucket_acl",
    logging: "aws_s3_bucket_logging",
    cors_rule: "aws_s3_bucket_cors_configuration",
    website: "aws_s3_bucket_website_configuration",
    replication_configuration: "aws_s3_bucket_replication_configuration",
    object_lock_configuration: "aws_s3_bucket_object_lock_configuration",
    request_payer: "aws_s3_bucket_request_payment_configuration",
    acceleration_status: "aws_s3_bucket_accelerate_configuration",
  },
  aws_sns_topic: { policy: "aws_sns_topic_policy" },
  // The role reads its inline policies back; the access stack manages each with aws_iam_role_policy.
  aws_iam_role: { inline_policy: "aws_iam_role_policy" },
  // A grant's status (and the version each status change makes) belongs to its activation, a reconcile kind
  // recorded in a terraform_data resource (lib/license-manager/grant-activation.ts), whose own drift names it.
  aws_licensemanager_grant: { status: "terraform_data", version: "terraform_data" },
};

/** Whether a changed attribute path of `type` belongs to a split resource type present in the stack. */
export function isManagedElsewhere(
  type: string,
  attributePath: string,
  typesInStack: ReadonlySet<string>,
): boolean {
  const owner = attributesManagedElsewhere[type]?.[attributePath.split(".")[0]];
  return owner !== undefined && typesInStack.has(owner);
}
