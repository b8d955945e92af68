import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../sandbox/emulator/server";
import { useEmulator } from "./emulator-clients";

// @aws-sdk/client-sns is not a dependency: these tests speak the query protocol over fetch.
const TOPIC = "aws-license-manager-service-notifications";
const ARN = `arn:aws:sns:us-east-1:111111111111:${TOPIC}`;

interface SnsReply {
  status: number;
  body: string;
}

async function sns(url: string, params: Record<string, string>, region = "us-east-1"): Promise<SnsReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/${region}/sns/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: "2010-03-31", ...params }).toString(),
  });
  return { status: response.status, body: await response.text() };
}

const errorCode = (reply: SnsReply): string | undefined => /<Code>([^<]*)<\/Code>/.exec(reply.body)?.[1];

function attributesOf(reply: SnsReply): Record<string, string> {
  const decode = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  const entries = reply.body.matchAll(/<entry><key>([^<]*)<\/key><value>([^<]*)<\/value><\/entry>/g);
  return Object.fromEntries([...entries].map(([, key, value]) => [key, decode(value)]));
}

describe("SNS topics on the emulator", () => {
  const emulator = useEmulator();
  const call = (params: Record<string, string>, region?: string) => sns(emulator().url, params, region);

  it("creates a topic idempotently with AWS's default policy and computed attributes", async () => {
    const created = await call({ Action: "CreateTopic", Name: TOPIC });
    expect(created.body).toContain(`<CreateTopicResult><TopicArn>${ARN}</TopicArn></CreateTopicResult>`);
    expect(created.body).toContain('xmlns="http://sns.amazonaws.com/doc/2010-03-31/"');
    expect((await call({ Action: "CreateTopic", Name: TOPIC })).body).toContain(ARN);

    const attributes = attributesOf(await call({ Action: "GetTopicAttributes", TopicArn: ARN }));
    expect(attributes).toMatchObject({
      Owner: "111111111111",
      TopicArn: ARN,
      DisplayName: "",
      SubscriptionsConfirmed: "0",
      SubscriptionsPending: "0",
      SubscriptionsDeleted: "0",
    });
    expect(JSON.parse(attributes.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
    expect(JSON.parse(attributes.Policy)).toMatchObject({
      Id: "__default_policy_ID",
      Statement: [{ Resource: ARN, Condition: { StringEquals: { "AWS:SourceOwner": "111111111111" } } }],
    });
    expect(attributes).not.toHaveProperty("FifoTopic");
  });

  it("stores a policy compacted, with account ids as root ARNs, and refuses an empty one", async () => {
    await call({ Action: "CreateTopic", Name: TOPIC });
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "sns:Publish", Resource: ARN },
      ],
    };
    const set = (value: string) =>
      call({ Action: "SetTopicAttributes", TopicArn: ARN, AttributeName: "Policy", AttributeValue: value });
    expect((await set(JSON.stringify(policy, null, 2))).status).toBe(200);
    const stored = attributesOf(await call({ Action: "GetTopicAttributes", TopicArn: ARN })).Policy;
    expect(stored).toBe(
      JSON.stringify({
        ...policy,
        Statement: [{ ...policy.Statement[0], Principal: { AWS: "arn:aws:iam::222222222222:root" } }],
      }),
    );
    const empty = await set("");
    expect([empty.status, errorCode(empty)]).toEqual([400, "InvalidParameter"]);
  });

  it("answers InvalidParameter and NotFound as AWS does", async () => {
    await call({ Action: "CreateTopic", Name: TOPIC });
    const badName = await call({ Action: "CreateTopic", Name: "no spaces" });
    expect([badName.status, errorCode(badName)]).toEqual([400, "InvalidParameter"]);
    const badAttribute = await call({
      Action: "SetTopicAttributes",
      TopicArn: ARN,
      AttributeName: "Colour",
      AttributeValue: "blue",
    });
    expect([badAttribute.status, errorCode(badAttribute)]).toEqual([400, "InvalidParameter"]);
    const badPolicy = await call({
      Action: "SetTopicAttributes",
      TopicArn: ARN,
      AttributeName: "Policy",
      AttributeValue: "{not json",
    });
    expect(errorCode(badPolicy)).toBe("InvalidParameter");
    const missing = await call({ Action: "GetTopicAttributes", TopicArn: `${ARN}-gone` });
    expect([missing.status, errorCode(missing)]).toEqual([404, "NotFound"]);
    expect(missing.body).toContain("<Type>Sender</Type>");
    const malformed = await call({ Action: "GetTopicAttributes", TopicArn: "not-an-arn" });
    expect(errorCode(malformed)).toBe("InvalidParameter");
    const untagged = await call({ Action: "ListTagsForResource", ResourceArn: `${ARN}-gone` });
    expect([untagged.status, errorCode(untagged)]).toEqual([404, "ResourceNotFound"]);
  });

  it("tags, lists and deletes topics per region, deleting a missing topic without error", async () => {
    await call({
      Action: "CreateTopic",
      Name: TOPIC,
      "Tags.member.1.Key": "Team",
      "Tags.member.1.Value": "platform",
    });
    await call({
      Action: "CreateTopic",
      Name: "alerts.fifo",
      "Attributes.entry.1.key": "FifoTopic",
      "Attributes.entry.1.value": "true",
    });
    await call({ Action: "CreateTopic", Name: TOPIC }, "eu-west-1");

    await call({
      Action: "TagResource",
      ResourceArn: ARN,
      "Tags.member.1.Key": "Owner",
      "Tags.member.1.Value": "ops",
    });
    await call({ Action: "UntagResource", ResourceArn: ARN, "TagKeys.member.1": "Team" });
    const tags = await call({ Action: "ListTagsForResource", ResourceArn: ARN });
    expect(tags.body).toContain("<Tags><member><Key>Owner</Key><Value>ops</Value></member></Tags>");

    const fifo = attributesOf(
      await call({
        Action: "GetTopicAttributes",
        TopicArn: "arn:aws:sns:us-east-1:111111111111:alerts.fifo",
      }),
    );
    expect(fifo).toMatchObject({ FifoTopic: "true", ContentBasedDeduplication: "false" });

    const listed = await call({ Action: "ListTopics" });
    expect([...listed.body.matchAll(/<TopicArn>([^<]*)<\/TopicArn>/g)].map((m) => m[1])).toEqual(
      [ARN, "arn:aws:sns:us-east-1:111111111111:alerts.fifo"].sort(),
    );

    expect((await call({ Action: "DeleteTopic", TopicArn: ARN })).status).toBe(200);
    expect((await call({ Action: "DeleteTopic", TopicArn: ARN })).status).toBe(200);
    expect(errorCode(await call({ Action: "GetTopicAttributes", TopicArn: ARN }))).toBe("NotFound");
    const otherRegion = `arn:aws:sns:eu-west-1:111111111111:${TOPIC}`;
    expect((await call({ Action: "GetTopicAttributes", TopicArn: otherRegion }, "eu-west-1")).status).toBe(
      200,
    );
  });
});

describe("SNS state persistence", () => {
  it("keeps topics across restarts through the state file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emulator-sns-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ port: 0, stateFile });
      await sns(first.url, { Action: "CreateTopic", Name: TOPIC });
      await first.close();
      const second = await startEmulator({ port: 0, stateFile });
      const reply = await sns(second.url, { Action: "GetTopicAttributes", TopicArn: ARN });
      await second.close();
      expect(attributesOf(reply).TopicArn).toBe(ARN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
