import { stackTargets, unmanagedResources, type LiveResource } from "../../lib/drift/unmanaged";
import { projectTags } from "../../lib/names/project-tags";
import { stateWithout, type StateJson } from "../../lib/terraform/plan-json";

const tags = projectTags("production", "license-manager");
const synthesized = {
  provider: {
    aws: [
      { region: "us-east-1", default_tags: [{ tags: { Team: "licensing", ...tags } }] },
      { alias: "us-east-1", region: "us-east-1", default_tags: [{ tags }] },
      { alias: "eu-west-1", region: "eu-west-1", default_tags: [{ tags }] },
    ],
  },
  resource: {
    aws_licensemanager_license_configuration: {
      "us-east-1_windows_A": { name: "windows", provider: "aws.us-east-1" },
      "eu-west-1_windows_B": { name: "windows", provider: "aws.eu-west-1" },
      "us-east-1_sql_C": { name: "sql", provider: "aws.us-east-1" },
    },
    aws_sns_topic: { topic_eu: { name: "notifications", provider: "aws.eu-west-1" } },
    aws_s3_bucket: { bucket_eu: { bucket: "reports-eu-west-1", provider: "aws.eu-west-1" } },
  },
};
const arn = (region: string, id: string) =>
  `arn:aws:license-manager:${region}:111111111111:license-configuration:lic-${id}`;
const configuration = (
  region: string,
  id: string,
  name: string,
  tagged: Record<string, string> = tags,
): LiveResource => ({ type: "aws_licensemanager_license_configuration", region, id, name, tags: tagged });
/** A state holding `held` (name → id) of `type`. */
const state = (
  held: Record<string, string>,
  type = "aws_licensemanager_license_configuration",
): StateJson => ({
  values: {
    root_module: {
      resources: Object.entries(held).map(([name, id]) => ({
        address: `${type}.${name}`,
        mode: "managed",
        type,
        name,
        values: { id, arn: id },
      })),
    },
  },
});
const directory = "cdktf.out/stacks/license-manager";

describe("unmanaged resources", () => {
  const targets = stackTargets(synthesized);

  it("reads the regions, their default tags and the declared named resources from the synthesis", () => {
    expect([...targets.regions.keys()]).toEqual(["us-east-1", "eu-west-1"]);
    const type = "aws_licensemanager_license_configuration";
    expect(targets.resources).toEqual([
      { type, address: `${type}.us-east-1_windows_A`, name: "windows", region: "us-east-1" },
      { type, address: `${type}.eu-west-1_windows_B`, name: "windows", region: "eu-west-1" },
      { type, address: `${type}.us-east-1_sql_C`, name: "sql", region: "us-east-1" },
      {
        type: "aws_sns_topic",
        address: "aws_sns_topic.topic_eu",
        name: "notifications",
        region: "eu-west-1",
      },
      {
        type: "aws_s3_bucket",
        address: "aws_s3_bucket.bucket_eu",
        name: "reports-eu-west-1",
        region: "eu-west-1",
      },
    ]);
  });

  it("are none when the state holds every tagged configuration", () => {
    const live = [
      configuration("us-east-1", arn("us-east-1", "1"), "windows"),
      configuration("eu-west-1", arn("eu-west-1", "2"), "windows"),
    ];
    const held = state({
      "us-east-1_windows_A": arn("us-east-1", "1"),
      "eu-west-1_windows_B": arn("eu-west-1", "2"),
    });
    expect(unmanagedResources(targets, held, live, directory)).toEqual([]);
  });

  it("name a tagged configuration no state holds, with the address to adopt it into and how to remove it", () => {
    const live = [configuration("us-east-1", arn("us-east-1", "9"), "sql")];
    expect(unmanagedResources(targets, state({}), live, directory)).toEqual([
      {
        type: "aws_licensemanager_license_configuration",
        region: "us-east-1",
        id: arn("us-east-1", "9"),
        name: "sql",
        address: "aws_licensemanager_license_configuration.us-east-1_sql_C",
        adoptCommand: `(cd ${directory} && terraform import 'aws_licensemanager_license_configuration.us-east-1_sql_C' '${arn("us-east-1", "9")}')`,
        removeCommand: `aws license-manager delete-license-configuration --region us-east-1 --license-configuration-arn '${arn("us-east-1", "9")}'`,
      },
    ]);
  });

  it("still name a configuration the plan imports: a plan's prior_state holds it, no state does until the apply", () => {
    const live = [
      configuration("us-east-1", arn("us-east-1", "9"), "sql"),
      configuration("us-east-1", arn("us-east-1", "1"), "windows"),
    ];
    // As `terraform show -json <plan>` gives it when an import block adopts sql: the import target is read.
    const priorState = state({
      "us-east-1_sql_C": arn("us-east-1", "9"),
      "us-east-1_windows_A": arn("us-east-1", "1"),
    });
    expect(unmanagedResources(targets, priorState, live, directory)).toEqual([]);
    const adopting = new Set(["aws_licensemanager_license_configuration.us-east-1_sql_C"]);
    expect(
      unmanagedResources(targets, stateWithout(priorState, adopting), live, directory).map((resource) => [
        resource.name,
        resource.id,
        resource.address,
      ]),
    ).toEqual([["sql", arn("us-east-1", "9"), "aws_licensemanager_license_configuration.us-east-1_sql_C"]]);
  });

  it("never match a configuration without all three of this project's tags for this environment and stack", () => {
    const live = [
      configuration("us-east-1", arn("us-east-1", "1"), "sql", {}),
      configuration("us-east-1", arn("us-east-1", "2"), "sql", {
        ...tags,
        "license-manager-org:stack": "access",
      }),
      configuration("us-east-1", arn("us-east-1", "3"), "sql", {
        ...tags,
        "license-manager-org:environment": "staging",
      }),
      configuration("us-east-1", arn("us-east-1", "4"), "sql", { Project: "license-manager-org" }),
      // a region the stack does not deploy to
      configuration("ap-south-1", arn("ap-south-1", "5"), "sql"),
    ];
    expect(unmanagedResources(targets, state({}), live, directory)).toEqual([]);
  });

  it("adopt a duplicate only once and an address the state holds never; the rest can only be removed", () => {
    const live = [
      configuration("us-east-1", arn("us-east-1", "1"), "sql"),
      configuration("us-east-1", arn("us-east-1", "2"), "sql"),
      configuration("us-east-1", arn("us-east-1", "3"), "windows"),
      configuration("us-east-1", arn("us-east-1", "4"), "retired"),
    ];
    const held = state({ "us-east-1_windows_A": arn("us-east-1", "0") });
    const found = unmanagedResources(targets, held, live, directory);
    expect(found.map((resource) => [resource.id, resource.address])).toEqual([
      [arn("us-east-1", "1"), "aws_licensemanager_license_configuration.us-east-1_sql_C"],
      [arn("us-east-1", "2"), undefined],
      [arn("us-east-1", "3"), undefined],
      [arn("us-east-1", "4"), undefined],
    ]);
    expect(found.filter((resource) => resource.adoptCommand)).toHaveLength(1);
  });

  describe("topics and buckets", () => {
    const topicArn = "arn:aws:sns:eu-west-1:111111111111:notifications";
    const topic: LiveResource = {
      type: "aws_sns_topic",
      region: "eu-west-1",
      id: topicArn,
      name: "notifications",
      tags,
    };
    const bucket: LiveResource = {
      type: "aws_s3_bucket",
      region: "eu-west-1",
      id: "reports-eu-west-1",
      name: "reports-eu-west-1",
      tags,
    };

    it("name a tagged topic and bucket no state holds, adopted by ARN and by name", () => {
      expect(unmanagedResources(targets, state({}), [topic, bucket], directory)).toEqual([
        {
          type: "aws_sns_topic",
          region: "eu-west-1",
          id: topicArn,
          name: "notifications",
          address: "aws_sns_topic.topic_eu",
          adoptCommand: `(cd ${directory} && terraform import 'aws_sns_topic.topic_eu' '${topicArn}')`,
          removeCommand: `aws sns delete-topic --region eu-west-1 --topic-arn '${topicArn}'`,
        },
        {
          type: "aws_s3_bucket",
          region: "eu-west-1",
          id: "reports-eu-west-1",
          name: "reports-eu-west-1",
          address: "aws_s3_bucket.bucket_eu",
          adoptCommand: `(cd ${directory} && terraform import 'aws_s3_bucket.bucket_eu' 'reports-eu-west-1')`,
          removeCommand: "aws s3api delete-bucket --region eu-west-1 --bucket 'reports-eu-west-1'",
        },
      ]);
    });

    it("are managed when the state holds them, and never adopted without the stack's tags", () => {
      expect(
        unmanagedResources(targets, state({ topic_eu: topicArn }, "aws_sns_topic"), [topic], directory),
      ).toEqual([]);
      const otherStack = { ...tags, "license-manager-org:stack": "bootstrap" };
      expect(unmanagedResources(targets, state({}), [{ ...bucket, tags: otherStack }], directory)).toEqual(
        [],
      );
    });

    it("match by type as well as name: a topic never takes a configuration's address", () => {
      const named = {
        ...topic,
        name: "sql",
        region: "us-east-1",
        id: topicArn.replace("eu-west-1", "us-east-1"),
      };
      const [found] = unmanagedResources(targets, state({}), [named], directory);
      expect(found?.address).toBeUndefined();
      expect(found?.removeCommand).toMatch(/^aws sns delete-topic /);
    });
  });
});
