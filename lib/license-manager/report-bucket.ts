import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { licenseManagerPrincipal, reportBucketName } from "../names/license-manager";
import { hardenBucket } from "../s3/hardened-bucket";

interface ReportBucketProps {
  readonly provider: TerraformProvider;
  readonly managementAccountId: string;
  readonly region: string;
  /** Resource data syncs of the organization's accounts write here for cross-account discovery. */
  readonly organizationId: string;
}

/**
 * License Manager's bucket in one region: hardened like every bucket here, and open to License Manager
 * (from the management account) and to Systems Manager resource data syncs (from the organization's
 * accounts), which cross-account discovery relies on.
 */
export class ReportBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: ReportBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      provider: props.provider,
      bucket: reportBucketName(props.managementAccountId, props.region),
    });
    const bucketArn = this.bucket.arn;
    const fromManagementAccount = { StringEquals: { "aws:SourceAccount": props.managementAccountId } };
    const fromOrganization = { StringEquals: { "aws:SourceOrgID": props.organizationId } };

    this.policy = hardenBucket(this, this.bucket, {
      policyStatements: [
        {
          Sid: "LicenseManagerBucketCheck",
          Effect: "Allow",
          Principal: { Service: licenseManagerPrincipal },
          Action: ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:ListBucket"],
          Resource: bucketArn,
          Condition: fromManagementAccount,
        },
        {
          Sid: "LicenseManagerDelivery",
          Effect: "Allow",
          Principal: { Service: licenseManagerPrincipal },
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: `${bucketArn}/*`,
          Condition: fromManagementAccount,
        },
        {
          Sid: "ResourceDataSyncBucketCheck",
          Effect: "Allow",
          Principal: { Service: "ssm.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: bucketArn,
          Condition: fromOrganization,
        },
        {
          Sid: "ResourceDataSyncDelivery",
          Effect: "Allow",
          Principal: { Service: "ssm.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${bucketArn}/*`,
          Condition: fromOrganization,
        },
      ],
    }).policy;
  }
}
