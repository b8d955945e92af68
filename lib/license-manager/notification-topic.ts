import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { licenseManagerPrincipal, notificationTopicName } from "../names/license-manager";

interface NotificationTopicProps {
  readonly provider: TerraformProvider;
  readonly managementAccountId: string;
}

/**
 * The SNS topic License Manager sends its alerts to in one region. Not KMS-encrypted: the AWS managed
 * key alias/aws/sns admits no service principal, so License Manager could not publish.
 */
export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { provider: props.provider, name: notificationTopicName });
    this.policy = new SnsTopicPolicy(this, "policy", {
      provider: props.provider,
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "LicenseManagerPublish",
            Effect: "Allow",
            Principal: { Service: licenseManagerPrincipal },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { StringEquals: { "aws:SourceAccount": props.managementAccountId } },
          },
          {
            Sid: "OwnerManages",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${props.managementAccountId}:root` },
            Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"],
            Resource: this.topic.arn,
          },
        ],
      }),
    });
  }
}
