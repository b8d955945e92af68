import { AwsError } from "../errors";
import type { SnsTopicState, Tag } from "../state";
import { toXml } from "../xml";
import {
  defaultTopicPolicy,
  findTopic,
  invalidParameter,
  regionTopics,
  topicArn,
  topicAttributes,
  validateAttribute,
} from "./sns-topics";
import type { CallContext, QueryHandler } from "./types";

const MAX_TAGS = 50;
const TOPICS_PER_PAGE = 100;

const resourceNotFound = (): AwsError => new AwsError("ResourceNotFound", "Resource does not exist", 404);

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = [...existing.filter((t) => !added.some((a) => a.Key === t.Key)), ...added];
  if (merged.length > MAX_TAGS) {
    throw new AwsError("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
  }
  return merged;
}

const sameTags = (a: Tag[], b: Tag[]): boolean =>
  a.length === b.length && a.every((t) => b.some((u) => u.Key === t.Key && u.Value === t.Value));

const entriesXml = (attributes: Record<string, string>): string =>
  Object.entries(attributes)
    .map(([key, value]) => `<entry>${toXml({ key, value })}</entry>`)
    .join("");

function createTopic(call: CallContext, name: string, requested: Record<string, string>, tags: Tag[]) {
  const fifo = requested.FifoTopic === "true";
  const namePattern = fifo ? /^[\w-]{1,251}\.fifo$/ : /^[\w-]{1,256}$/;
  if (!namePattern.test(name)) {
    throw invalidParameter(fifo ? "Fifo Topic names must end with .fifo" : "Topic Name");
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(requested)) {
    if (key !== "FifoTopic") attributes[key] = validateAttribute(key, value);
  }
  if (fifo) Object.assign(attributes, { FifoTopic: "true", ContentBasedDeduplication: "false" });

  const topics = regionTopics(call);
  const existing = topics[name];
  // CreateTopic is idempotent, but only for the same attributes and tags.
  if (existing) {
    const differs = Object.entries(attributes).some(([k, v]) => existing.attributes[k] !== v);
    if (differs) throw invalidParameter("Attributes Reason: Topic already exists with different attributes");
    if (tags.length > 0 && !sameTags(tags, existing.tags))
      throw invalidParameter("Tags Reason: Topic already exists with different tags");
    return existing;
  }
  const arn = topicArn(call, name);
  attributes.Policy ??= defaultTopicPolicy(arn, call.caller.accountId);
  const topic: SnsTopicState = { arn, name, attributes, tags: mergeTags([], tags) };
  topics[name] = topic;
  return topic;
}

export const snsActions: Record<string, QueryHandler> = {
  CreateTopic: (call, params) => {
    const topic = createTopic(call, params.require("Name"), params.entries("Attributes"), params.tags());
    return `<TopicArn>${topic.arn}</TopicArn>`;
  },

  GetTopicAttributes: (call, params) => {
    const topic = findTopic(call, params.require("TopicArn"));
    return `<Attributes>${entriesXml(topicAttributes(topic, call.caller.accountId))}</Attributes>`;
  },

  SetTopicAttributes: (call, params) => {
    const topic = findTopic(call, params.require("TopicArn"));
    const name = params.require("AttributeName");
    topic.attributes[name] = validateAttribute(name, params.get("AttributeValue") ?? "");
    return undefined;
  },

  // Deleting a topic that does not exist is not an error.
  DeleteTopic: (call, params) => {
    try {
      delete regionTopics(call)[findTopic(call, params.require("TopicArn")).name];
    } catch (error) {
      if (!(error instanceof AwsError && error.code === "NotFound")) throw error;
    }
    return undefined;
  },

  ListTopics: (call, params) => {
    const arns = Object.values(regionTopics(call))
      .map((topic) => topic.arn)
      .sort();
    const start = Number(params.get("NextToken") ?? "0");
    if (!Number.isInteger(start) || start < 0) throw invalidParameter("NextToken");
    const page = arns.slice(start, start + TOPICS_PER_PAGE);
    const next = start + TOPICS_PER_PAGE < arns.length ? String(start + TOPICS_PER_PAGE) : undefined;
    return toXml({ Topics: page.map((TopicArn) => ({ TopicArn })), NextToken: next });
  },

  ListTagsForResource: (call, params) => {
    const topic = findTopic(call, params.require("ResourceArn"), resourceNotFound);
    return toXml({ Tags: topic.tags });
  },

  TagResource: (call, params) => {
    const topic = findTopic(call, params.require("ResourceArn"), resourceNotFound);
    topic.tags = mergeTags(topic.tags, params.tags());
    return "";
  },

  UntagResource: (call, params) => {
    const topic = findTopic(call, params.require("ResourceArn"), resourceNotFound);
    const removed = params.list("TagKeys");
    topic.tags = topic.tags.filter((t) => !removed.includes(t.Key));
    return "";
  },
};
