import {
  CreateLicenseConfigurationCommand,
  type CreateLicenseConfigurationCommandInput,
  DeleteLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListAssociationsForLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  ListLicenseSpecificationsForResourceCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from "@aws-sdk/client-license-manager";
import { clientsFor, errorCodeOf, useEmulator } from "./emulator-clients";

const AMI = "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0";
const INSTANCE = "arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef0";

describe("License Manager license configurations", () => {
  const emulator = useEmulator();
  const licenseManager = () => clientsFor(emulator()).licenseManager;
  const create = async (input: Partial<CreateLicenseConfigurationCommandInput> = {}) =>
    (
      await licenseManager().send(
        new CreateLicenseConfigurationCommand({ Name: "windows", LicenseCountingType: "vCPU", ...input }),
      )
    ).LicenseConfigurationArn!;

  it("creates, reads, lists, updates and deletes a configuration", async () => {
    const arn = await create({
      Description: "Windows Server",
      LicenseCount: 10,
      LicenseCountHardLimit: true,
      LicenseRules: ["#minimumVcpus=2", "#maximumVcpus=8", "#honorVcpuOptimization=True"],
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(arn).toMatch(
      /^arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-[0-9a-f]{32}$/,
    );
    const read = await licenseManager().send(
      new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
    );
    expect(read).toMatchObject({
      Name: "windows",
      LicenseCount: 10,
      LicenseCountHardLimit: true,
      OwnerAccountId: "111111111111",
      Status: "AVAILABLE",
      Tags: [{ Key: "team", Value: "platform" }],
    });

    await licenseManager().send(
      new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 20, Name: "win" }),
    );
    const { LicenseConfigurations } = await licenseManager().send(new ListLicenseConfigurationsCommand({}));
    expect(LicenseConfigurations?.map((c) => [c.Name, c.LicenseCount])).toEqual([["win", 20]]);

    await licenseManager().send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    expect(
      await errorCodeOf(
        licenseManager().send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      ),
    ).toBe("InvalidParameterValueException");
  });

  it.each([
    ["an unsupported counting type", { LicenseCountingType: "Seat" }, "ValidationException"],
    [
      "a rule without the #name=value syntax",
      { LicenseRules: ["minimumVcpus=2"] },
      "InvalidParameterValueException",
    ],
    [
      "a rule of another counting type",
      { LicenseRules: ["#minimumCores=2"] },
      "InvalidParameterValueException",
    ],
    [
      "a minimum above the maximum",
      { LicenseRules: ["#minimumVcpus=8", "#maximumVcpus=2"] },
      "InvalidParameterValueException",
    ],
    [
      "an unknown tenancy",
      { LicenseRules: ["#allowedTenancy=EC2-Shared"] },
      "InvalidParameterValueException",
    ],
    [
      "a host affinity above 180 days",
      { LicenseCountingType: "Core", LicenseRules: ["#licenseAffinityToHost=181"] },
      "InvalidParameterValueException",
    ],
    [
      "host affinity on an Instance configuration",
      { LicenseCountingType: "Instance", LicenseRules: ["#licenseAffinityToHost=30"] },
      "InvalidParameterValueException",
    ],
    [
      "a non-numeric count rule",
      { LicenseCountingType: "Socket", LicenseRules: ["#minimumSockets=two"] },
      "InvalidParameterValueException",
    ],
  ])("rejects %s", async (_name, input, code) => {
    expect(await errorCodeOf(create(input as Partial<CreateLicenseConfigurationCommandInput>))).toBe(code);
  });

  it.each([
    [
      "Core",
      [
        "#minimumCores=2",
        "#maximumCores=16",
        "#allowedTenancy=EC2-DedicatedHost",
        "#licenseAffinityToHost=90",
      ],
    ],
    ["Socket", ["#minimumSockets=1", "#maximumSockets=4", "#licenseAffinityToHost=180"]],
    ["Instance", ["#allowedTenancy=EC2-Default,EC2-DedicatedInstance", "#minimumVcpus=1"]],
  ])("accepts valid %s rules", async (countingType, rules) => {
    const arn = await create({ LicenseCountingType: countingType as "Core", LicenseRules: rules });
    const read = await licenseManager().send(
      new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
    );
    expect(read.LicenseRules).toEqual(rules);
  });

  it("validates rules on update too", async () => {
    const arn = await create();
    const update = new UpdateLicenseConfigurationCommand({
      LicenseConfigurationArn: arn,
      LicenseRules: ["#minimumSockets=2"],
    });
    expect(await errorCodeOf(licenseManager().send(update))).toBe("InvalidParameterValueException");
  });

  it("tags and untags a configuration", async () => {
    const arn = await create({ Tags: [{ Key: "a", Value: "1" }] });
    await licenseManager().send(
      new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "b", Value: "2" }] }),
    );
    await licenseManager().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
    const { Tags } = await licenseManager().send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(Tags).toEqual([{ Key: "b", Value: "2" }]);
  });

  it("associates resources, lists both directions and enforces a hard limit", async () => {
    const arn = await create({ LicenseCount: 1, LicenseCountHardLimit: true });
    const associate = (resourceArn: string) =>
      licenseManager().send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: resourceArn,
          AddLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
        }),
      );
    await associate(AMI);
    const { LicenseSpecifications } = await licenseManager().send(
      new ListLicenseSpecificationsForResourceCommand({ ResourceArn: AMI }),
    );
    expect(LicenseSpecifications).toEqual([{ LicenseConfigurationArn: arn }]);
    const { LicenseConfigurationAssociations } = await licenseManager().send(
      new ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
    );
    expect(LicenseConfigurationAssociations).toEqual([
      expect.objectContaining({ ResourceArn: AMI, ResourceType: "EC2_AMI" }),
    ]);
    expect(await errorCodeOf(associate(INSTANCE))).toBe("LicenseUsageException");

    await licenseManager().send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: AMI,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      }),
    );
    await associate(INSTANCE);
    const after = await licenseManager().send(
      new ListLicenseSpecificationsForResourceCommand({ ResourceArn: AMI }),
    );
    expect(after.LicenseSpecifications).toEqual([]);
  });

  it("lists a resource's configurations as its associations come and go, and drops a deleted configuration", async () => {
    const [first, second, other] = [await create(), await create(), await create()];
    const update = (resourceArn: string, change: "Add" | "Remove", arns: string[]) =>
      licenseManager().send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: resourceArn,
          [`${change}LicenseSpecifications`]: arns.map((LicenseConfigurationArn) => ({
            LicenseConfigurationArn,
          })),
        }),
      );
    const listed = async (resourceArn: string) =>
      (
        (
          await licenseManager().send(
            new ListLicenseSpecificationsForResourceCommand({ ResourceArn: resourceArn }),
          )
        ).LicenseSpecifications ?? []
      )
        .map((specification) => specification.LicenseConfigurationArn)
        .sort();

    expect(await listed(AMI)).toEqual([]);
    await update(AMI, "Add", [first, second]);
    await update(INSTANCE, "Add", [other]);
    expect(await listed(AMI)).toEqual([first, second].sort());
    expect(await listed(INSTANCE)).toEqual([other]);
    await update(AMI, "Remove", [first]);
    expect(await listed(AMI)).toEqual([second]);
    await licenseManager().send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: second }));
    expect(await listed(AMI)).toEqual([]);
    await update(AMI, "Add", [first]);
    expect(await listed(AMI)).toEqual([first]);
    expect(await listed(INSTANCE)).toEqual([other]);
  });

  it("keeps configurations per account and region", async () => {
    await create();
    const west = clientsFor(emulator(), undefined, "eu-west-1").licenseManager;
    const { LicenseConfigurations } = await west.send(new ListLicenseConfigurationsCommand({}));
    expect(LicenseConfigurations).toEqual([]);
  });
});
