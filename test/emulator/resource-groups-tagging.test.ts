import { CreateLicenseConfigurationCommand } from "@aws-sdk/client-license-manager";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import ResourceGroupsTaggingAPI from "aws-sdk/clients/resourcegroupstaggingapi";
import { checkCall } from "../../sandbox/emulator/conformance/check";
import type { RunningEmulator } from "../../sandbox/emulator/server";
import {
  allow,
  callLog,
  clientsFor,
  errorCodeOf,
  managementCredentials,
  sessionOf,
  useEmulator,
  type Credentials,
} from "./emulator-clients";

/** The SDK's own client for the Resource Groups Tagging API (v2: no v3 client among the dependencies). */
const tagging = (
  emulator: RunningEmulator,
  credentials: Credentials = managementCredentials,
  region = "us-east-1",
) => new ResourceGroupsTaggingAPI({ endpoint: emulator.url, region, credentials, maxRetries: 0 });

const tagList = (tags: Record<string, string>) =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const project = { "license-manager-org:project": "license-manager-org", "license-manager-org:stack": "lm" };

describe("the Resource Groups Tagging API's GetResources", () => {
  const emulator = useEmulator({ capture: true, iamMode: "enforce" });
  const configuration = async (name: string, tags: Record<string, string>, region = "us-east-1") =>
    (
      await clientsFor(emulator(), managementCredentials, region).licenseManager.send(
        new CreateLicenseConfigurationCommand({
          Name: name,
          LicenseCountingType: "vCPU",
          Tags: tagList(tags),
        }),
      )
    ).LicenseConfigurationArn!;

  it("filters by resource type and tags (AND across keys, OR within values, any value without values)", async () => {
    const own = await configuration("a", { ...project, "license-manager-org:name": "a" });
    const otherStack = await configuration("a", { ...project, "license-manager-org:stack": "other" });
    const untagged = await configuration("b", {});
    await configuration("c", project, "eu-west-1");
    const sns = new SNSClient({
      endpoint: emulator().url,
      region: "us-east-1",
      credentials: managementCredentials,
    });
    const { TopicArn: topic } = await sns.send(new CreateTopicCommand({ Name: "t", Tags: tagList(project) }));

    const arns = async (params: ResourceGroupsTaggingAPI.GetResourcesInput) =>
      ((await tagging(emulator()).getResources(params).promise()).ResourceTagMappingList ?? [])
        .map((mapping) => mapping.ResourceARN)
        .sort();

    const configurations = { ResourceTypeFilters: ["license-manager:license-configuration"] };
    expect(await arns(configurations)).toEqual([own, otherStack, untagged].sort());
    expect(
      await arns({
        ...configurations,
        TagFilters: [
          { Key: "license-manager-org:project", Values: ["license-manager-org"] },
          { Key: "license-manager-org:stack", Values: ["lm", "nope"] },
        ],
      }),
    ).toEqual([own]);
    expect(await arns({ TagFilters: [{ Key: "license-manager-org:stack" }] })).toEqual(
      [own, otherStack, topic!].sort(),
    );
    expect(await arns({ ResourceTypeFilters: ["sns"] })).toEqual([topic]);
    expect(await arns({ ResourceTypeFilters: ["sns:topic"], TagFilters: [{ Key: "missing" }] })).toEqual([]);
    // Regional: the eu-west-1 configuration only in eu-west-1.
    const eu = await tagging(emulator(), managementCredentials, "eu-west-1")
      .getResources(configurations)
      .promise();
    expect(eu.ResourceTagMappingList).toHaveLength(1);
    expect(eu.ResourceTagMappingList![0]!.Tags).toEqual(tagList(project));
  });

  it("pages with PaginationToken and ResourcesPerPage, every resource once, an empty token at the end", async () => {
    const created: string[] = [];
    for (let index = 0; index < 7; index++) created.push(await configuration(`p${index}`, project));
    const seen: string[] = [];
    const tokens: string[] = [];
    let token: string | undefined;
    do {
      const page = await tagging(emulator())
        .getResources({ ResourcesPerPage: 3, PaginationToken: token })
        .promise();
      expect(page.ResourceTagMappingList!.length).toBeLessThanOrEqual(3);
      seen.push(...page.ResourceTagMappingList!.map((mapping) => mapping.ResourceARN!));
      token = page.PaginationToken;
      tokens.push(token ?? "(none)");
    } while (token);
    expect(seen.sort()).toEqual(created.sort());
    expect(tokens).toHaveLength(3);
    expect(tokens[2]).toBe("");
  });

  it("rejects malformed input with InvalidParameterException, as documented", async () => {
    const client = tagging(emulator());
    for (const params of [
      { ResourcesPerPage: 0 },
      { ResourcesPerPage: 101 },
      { ResourceTypeFilters: ["license manager"] },
      { PaginationToken: "not-a-token" },
      { ResourceARNList: ["arn:aws:sns:us-east-1:111111111111:t"], TagFilters: [{ Key: "k" }] },
      { TagFilters: [{ Key: "k", Values: Array.from({ length: 21 }, (_, i) => `v${i}`) }] },
    ]) {
      expect([params, await errorCodeOf(client.getResources(params).promise())]).toEqual([
        params,
        "InvalidParameterException",
      ]);
    }
  });

  it("is authorized as tag:GetResources, and its calls conform to the API model", async () => {
    await configuration("a", project);
    const denied = await sessionOf(emulator(), "no-tag", allow([["license-manager:List*"], ["*"]]));
    expect(await errorCodeOf(tagging(emulator(), denied).getResources({}).promise())).toBe(
      "AccessDeniedException",
    );
    const allowed = await sessionOf(emulator(), "tag-reader", allow([["tag:GetResources"], ["*"]]));
    const page = await tagging(emulator(), allowed).getResources({}).promise();
    expect(page.ResourceTagMappingList).toHaveLength(1);

    const calls = (await callLog(emulator())).filter((entry) => entry.service === "tag");
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.flatMap(checkCall)).toEqual([]);
  });
});
