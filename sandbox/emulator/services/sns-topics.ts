import { AwsError } from "../errors";
import type { SnsTopicState } from "../state";
import type { CallContext } from "./types";

export const notFound = (): AwsError => new AwsError("NotFound", "Topic does not exist", 404);
export const invalidParameter = (detail: string): AwsError =>
  new AwsError("InvalidParameter", `Invalid parameter: ${detail}`);

/** Attributes SetTopicAttributes accepts; FifoTopic only at creation. */
export const SETTABLE_ATTRIBUTES = new Set([
  "ArchivePolicy",
  "ContentBasedDeduplication",
  "DeliveryPolicy",
  "DisplayName",
  "FifoThroughputScope",
  "KmsMasterKeyId",
  "Policy",
  "SignatureVersion",
  "TracingConfig",
  ...["Application", "Firehose", "HTTP", "Lambda", "SQS"].flatMap((protocol) => [
    `${protocol}FailureFeedbackRoleArn`,
    `${protocol}SuccessFeedbackRoleArn`,
    `${protocol}SuccessFeedbackSampleRate`,
  ]),
]);

/** What a standard topic reports for HTTP delivery when no DeliveryPolicy is set. */
const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: "linear",
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
  },
});

export function regionTopics(call: CallContext, accountId = call.caller.accountId) {
  const sns = (call.state.sns ??= {});
  return (sns[`${accountId}/${call.region}`] ??= {});
}

export const topicArn = (call: CallContext, name: string): string =>
  `arn:aws:sns:${call.region}:${call.caller.accountId}:${name}`;

/** Resolves a topic ARN; `missing` is the error AWS gives for a well-formed ARN with no topic behind it. */
export function findTopic(call: CallContext, arn: string, missing = notFound): SnsTopicState {
  const match = /^arn:aws[\w-]*:sns:([\w-]+):(\d{12}):([\w.-]+)$/.exec(arn);
  if (!match) throw invalidParameter("TopicArn");
  const [, region, accountId, name] = match;
  if (region !== call.region) throw invalidParameter("TopicArn");
  const topic = regionTopics(call, accountId)[name];
  if (!topic) throw missing();
  if (accountId !== call.caller.accountId) {
    throw new AwsError(
      "AuthorizationError",
      `User: ${call.caller.arn} is not authorized to perform: SNS:GetTopicAttributes on resource: ${arn}`,
      403,
    );
  }
  return topic;
}

/** The policy SNS attaches to a new topic: every action for principals of the owning account. */
export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": accountId } },
      },
    ],
  });
}

type PolicyStatement = { Effect?: unknown; Principal?: { AWS?: unknown } | string };

/**
 * SNS stores policies compacted and rewrites bare account ids in `Principal.AWS` to root ARNs.
 * A topic always has a policy: an empty one is rejected like any other invalid document.
 */
export function normalizePolicy(document: string): string {
  let policy: { Statement?: PolicyStatement | PolicyStatement[] };
  try {
    policy = JSON.parse(document) as typeof policy;
  } catch {
    throw invalidParameter("Policy Error: null");
  }
  const statements = Array.isArray(policy?.Statement) ? policy.Statement : [policy?.Statement];
  for (const statement of statements) {
    if (!statement || (statement.Effect !== "Allow" && statement.Effect !== "Deny"))
      throw invalidParameter("Policy Error: null");
    const principal = statement.Principal;
    if (typeof principal === "object" && principal.AWS !== undefined) {
      const toArn = (id: unknown) =>
        typeof id === "string" && /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id;
      principal.AWS = Array.isArray(principal.AWS) ? principal.AWS.map(toArn) : toArn(principal.AWS);
    }
  }
  return JSON.stringify(policy);
}

export function validateAttribute(name: string, value: string): string {
  if (!SETTABLE_ATTRIBUTES.has(name)) throw invalidParameter("AttributeName");
  if (name === "Policy") return normalizePolicy(value);
  if ((name === "DeliveryPolicy" || name === "ArchivePolicy") && value !== "") {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`${name}: failed to parse JSON`);
    }
  }
  return value;
}

/** GetTopicAttributes: the stored attributes plus what SNS computes (owner, counters, effective delivery policy). */
export function topicAttributes(topic: SnsTopicState, accountId: string): Record<string, string> {
  const effectiveDeliveryPolicy = topic.attributes.DeliveryPolicy || DEFAULT_EFFECTIVE_DELIVERY_POLICY;
  return {
    DisplayName: "",
    ...topic.attributes,
    Owner: accountId,
    TopicArn: topic.arn,
    SubscriptionsConfirmed: "0",
    SubscriptionsPending: "0",
    SubscriptionsDeleted: "0",
    EffectiveDeliveryPolicy: effectiveDeliveryPolicy,
  };
}
