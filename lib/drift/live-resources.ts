/**
 * The live resources of the named types (./unmanaged.ts) that `npm run drift` and `npm run adopt` compare with
 * the state. License configurations are listed (the services' own list call), because a re-run duplicates
 * them whatever their name; the topic and the bucket are looked up by the names the stack declares and the
 * state does not hold (the only names an interrupted apply can have left behind), which keeps the roles'
 * read permissions on those ARNs rather than on every topic and bucket of the account.
 */
import {
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
} from "@aws-sdk/client-license-manager";
import { GetBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListTagsForResourceCommand, SNSClient } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { arnParts } from "../aws/arn";
import { clientConfig } from "../aws/client-config";
import type { AwsSession } from "../aws/credentials";
import type { StateJson } from "../terraform/plan-json";
import { AwsCallError, awsCall, awsCallOrAbsent, awsErrorCode } from "../aws/errors";
import {
  bucketType,
  licenseConfigurationType,
  targetsNotInState,
  topicType,
  type LiveResource,
  type NamedTarget,
  type StackTargets,
} from "./unmanaged";

const tagMap = (tags: readonly { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));

/**
 * Every license configuration of one region with its tags. ListLicenseConfigurations returns no tags, so
 * each configuration's tags come from GetLicenseConfiguration (which the roles may already call on
 * license-configuration ARNs; ListTagsForResource would need one more action).
 */
export async function listLicenseConfigurations(
  client: LicenseManagerClient,
  region: string,
): Promise<LiveResource[]> {
  const found: LiveResource[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(`ListLicenseConfigurations in ${region}`, () =>
      client.send(new ListLicenseConfigurationsCommand({ NextToken: nextToken })),
    );
    for (const summary of page.LicenseConfigurations ?? []) {
      const arn = summary.LicenseConfigurationArn;
      if (!arn) continue;
      const detail = await awsCall(`GetLicenseConfiguration ${arn}`, () =>
        client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      );
      found.push({
        type: licenseConfigurationType,
        region,
        id: arn,
        name: summary.Name ?? "",
        tags: tagMap(detail.Tags),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/** Where the topics live: the account and partition of the caller the stack deploys with. */
interface TopicScope {
  readonly partition: string;
  readonly accountId: string;
}

/** The declared topics that exist live, with their tags (GetTopicAttributes answers NotFound for the others). */
async function findTopics(
  client: SNSClient,
  scope: TopicScope,
  targets: readonly NamedTarget[],
): Promise<LiveResource[]> {
  const found: LiveResource[] = [];
  for (const target of targets.filter((candidate) => candidate.type === topicType)) {
    const arn = `arn:${scope.partition}:sns:${target.region}:${scope.accountId}:${target.name}`;
    // SNS's query-protocol code NotFound, which the SDK v3 names NotFoundException.
    const exists = await awsCallOrAbsent(
      `GetTopicAttributes ${arn} in ${target.region}`,
      ["NotFound", "NotFoundException"],
      () => client.send(new GetTopicAttributesCommand({ TopicArn: arn })),
    );
    if (!exists) continue;
    const { Tags } = await awsCall(`ListTagsForResource ${arn} in ${target.region}`, () =>
      client.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
    );
    found.push({ type: topicType, region: target.region, id: arn, name: target.name, tags: tagMap(Tags) });
  }
  return found;
}

/** The declared buckets that exist live, with their tags (NoSuchBucket: absent; NoSuchTagSet: no tags). */
async function findBuckets(client: S3Client, targets: readonly NamedTarget[]): Promise<LiveResource[]> {
  const found: LiveResource[] = [];
  for (const target of targets.filter((candidate) => candidate.type === bucketType)) {
    const action = `GetBucketTagging ${target.name} in ${target.region}`;
    // NoSuchTagSet: the bucket exists without tags; NoSuchBucket: it does not exist.
    const tagging = await awsCallOrAbsent(action, ["NoSuchTagSet"], () =>
      client.send(new GetBucketTaggingCommand({ Bucket: target.name })),
    ).catch((error: unknown) => {
      if (error instanceof AwsCallError && awsErrorCode(error.cause) === "NoSuchBucket") return null;
      throw error;
    });
    if (tagging === null) continue;
    found.push({
      type: bucketType,
      region: target.region,
      id: target.name,
      name: target.name,
      tags: tagMap(tagging?.TagSet),
    });
  }
  return found;
}

/** How to reach each region the stack deploys to, with the stack's role. */
interface LiveLookup {
  readonly sessionFor: (region: string) => AwsSession;
  /** Path-style S3 requests (the config's s3Compatibility.usePathStyle). */
  readonly s3UsePathStyle?: boolean;
  /** List every license configuration of each region, not only look up declared names: the license-manager stack. */
  readonly listLicenseConfigurations: boolean;
}

/**
 * The live resources a stack's unmanaged check compares with its state: in each region of the stack, every
 * license configuration (when asked), and the declared topics and buckets that the state does not hold.
 */
export async function liveNamedResources(
  targets: StackTargets,
  state: StateJson,
  lookup: LiveLookup,
): Promise<LiveResource[]> {
  const live: LiveResource[] = [];
  const topics = targetsNotInState(targets, state, topicType);
  const buckets = targetsNotInState(targets, state, bucketType);
  let topicScope: TopicScope | undefined;
  for (const region of targets.regions.keys()) {
    const session = lookup.sessionFor(region);
    const config = clientConfig(region, session.credentials);
    if (lookup.listLicenseConfigurations) {
      live.push(...(await listLicenseConfigurations(new LicenseManagerClient(config), region)));
    }
    const regionTopics = topics.filter((target) => target.region === region);
    if (regionTopics.length > 0) {
      topicScope ??= await callerScope(new STSClient(config), region);
      live.push(...(await findTopics(new SNSClient(config), topicScope, regionTopics)));
    }
    const regionBuckets = buckets.filter((target) => target.region === region);
    if (regionBuckets.length > 0) {
      const client = new S3Client({ ...config, forcePathStyle: lookup.s3UsePathStyle ?? false });
      live.push(...(await findBuckets(client, regionBuckets)));
    }
  }
  return live;
}

async function callerScope(client: STSClient, region: string): Promise<TopicScope> {
  const { Arn } = await awsCall(`GetCallerIdentity in ${region}`, () =>
    client.send(new GetCallerIdentityCommand({})),
  );
  const { partition, accountId } = arnParts(Arn ?? "");
  return { partition, accountId };
}
