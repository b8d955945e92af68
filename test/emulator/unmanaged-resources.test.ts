import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateLicenseConfigurationCommand } from "@aws-sdk/client-license-manager";
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { liveNamedResources, listLicenseConfigurations } from "../../lib/drift/live-resources";
import { stackTargets, unmanagedResources } from "../../lib/drift/unmanaged";
import { projectTags } from "../../lib/names/project-tags";
import type { StateJson } from "../../lib/terraform/plan-json";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import type { RunningStorageFront } from "../../sandbox/emulator/storage-front";
import { callLog, clientsFor, managementCredentials, useEmulator } from "./emulator-clients";

const tags = projectTags("sandbox", "license-manager");
const tagList = (tagged: Record<string, string>) =>
  Object.entries(tagged).map(([Key, Value]) => ({ Key, Value }));

describe("unmanaged resources, read from the emulator like npm run drift and npm run adopt do", () => {
  const emulator = useEmulator();
  const licenseManager = () => clientsFor(emulator()).licenseManager;
  const create = async (name: string, tagged: Record<string, string>) =>
    (
      await licenseManager().send(
        new CreateLicenseConfigurationCommand({
          Name: name,
          LicenseCountingType: "vCPU",
          Tags: tagList(tagged),
        }),
      )
    ).LicenseConfigurationArn!;

  it("lists every configuration with its tags across pages and adopts only the project's own", async () => {
    const own = await create("windows", tags);
    const otherStack = await create("windows", { ...tags, "license-manager-org:stack": "access" });
    const untagged = await create("windows", {});
    const duplicate = await create("windows", tags);

    const live = await listLicenseConfigurations(licenseManager(), "us-east-1");
    expect(live.map((configuration) => configuration.id)).toEqual([own, otherStack, untagged, duplicate]);
    expect(live[0]!.tags).toEqual(tags);

    const targets = stackTargets({
      provider: { aws: [{ region: "us-east-1", default_tags: [{ tags }] }] },
      resource: { aws_licensemanager_license_configuration: { windows_A: { name: "windows" } } },
    });
    const found = unmanagedResources(targets, {}, live, "cdktf.out/stacks/license-manager");
    expect(found.map((resource) => [resource.id, resource.address])).toEqual([
      [own, "aws_licensemanager_license_configuration.windows_A"],
      [duplicate, undefined],
    ]);
  });

  describe("with the storage front for S3", () => {
    let dir: string;
    let storage: RunningStorageFront;
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "unmanaged-"));
      storage = await startStorageBackends({ s3Directory: join(dir, "s3") });
    });
    afterEach(async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const regions = ["us-east-1", "eu-west-1"];
    const synthesized = {
      provider: {
        aws: regions.map((region) => ({ alias: region, region, default_tags: [{ tags }] })),
      },
      resource: {
        aws_sns_topic: Object.fromEntries(
          regions.map((region) => [`topic_${region}`, { name: "notifications", provider: `aws.${region}` }]),
        ),
        aws_s3_bucket: Object.fromEntries(
          regions.map((region) => [
            `bucket_${region}`,
            { bucket: `reports-${region}`, provider: `aws.${region}` },
          ]),
        ),
      },
    };
    const endpoints = () => {
      process.env.AWS_ENDPOINT_URL_STS = emulator().url;
      process.env.AWS_ENDPOINT_URL_SNS = emulator().url;
      process.env.AWS_ENDPOINT_URL_LICENSE_MANAGER = emulator().url;
      process.env.AWS_ENDPOINT_URL_S3 = storage.url;
    };
    afterEach(() => {
      for (const service of ["STS", "SNS", "LICENSE_MANAGER", "S3"])
        delete process.env[`AWS_ENDPOINT_URL_${service}`];
    });
    const lookup = {
      sessionFor: (region: string) => ({ region, credentials: async () => managementCredentials }),
      s3UsePathStyle: true,
      listLicenseConfigurations: true,
    };

    it("finds the declared topic and bucket an interrupted apply left in no state, tagged; none that are absent", async () => {
      endpoints();
      const sns = new SNSClient({
        endpoint: emulator().url,
        region: "eu-west-1",
        credentials: managementCredentials,
      });
      const s3 = new S3Client({
        endpoint: storage.url,
        region: "eu-west-1",
        credentials: managementCredentials,
        forcePathStyle: true,
      });
      const { TopicArn } = await sns.send(
        new CreateTopicCommand({ Name: "notifications", Tags: tagList(tags) }),
      );
      await s3.send(
        new CreateBucketCommand({
          Bucket: "reports-eu-west-1",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      );
      await s3.send(
        new PutBucketTaggingCommand({ Bucket: "reports-eu-west-1", Tagging: { TagSet: tagList(tags) } }),
      );
      // An untagged bucket of the declared name is somebody else's: found, never adopted.
      await s3.send(new CreateBucketCommand({ Bucket: "reports-us-east-1" }));

      const targets = stackTargets(synthesized);
      const live = await liveNamedResources(targets, {}, lookup);
      expect(
        live.map(({ type, region, id, tags: found }) => [type, region, id, Object.keys(found).length]),
      ).toEqual([
        ["aws_s3_bucket", "us-east-1", "reports-us-east-1", 0],
        ["aws_sns_topic", "eu-west-1", TopicArn, 3],
        ["aws_s3_bucket", "eu-west-1", "reports-eu-west-1", 3],
      ]);
      const found = unmanagedResources(targets, {}, live, "cdktf.out/stacks/license-manager");
      expect(found.map((resource) => [resource.address, resource.id])).toEqual([
        ["aws_sns_topic.topic_eu-west-1", TopicArn],
        ["aws_s3_bucket.bucket_eu-west-1", "reports-eu-west-1"],
      ]);
    });

    it("does not look up what the state already holds", async () => {
      endpoints();
      const state: StateJson = {
        values: {
          root_module: {
            resources: regions.flatMap((region) => [
              {
                address: `aws_sns_topic.topic_${region}`,
                mode: "managed" as const,
                type: "aws_sns_topic",
                name: "t",
              },
              {
                address: `aws_s3_bucket.bucket_${region}`,
                mode: "managed",
                type: "aws_s3_bucket",
                name: "b",
              },
            ]),
          },
        },
      };
      await liveNamedResources(stackTargets(synthesized), state, lookup);
      const operations = (await callLog(emulator())).map((entry) => entry.action);
      expect(operations).toEqual(["ListLicenseConfigurations", "ListLicenseConfigurations"]);
    });
  });
});
