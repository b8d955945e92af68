import {
  CreateLicenseConfigurationCommand,
  CreateLicenseManagerReportGeneratorCommand,
  DeleteLicenseConfigurationCommand,
  DeleteLicenseManagerReportGeneratorCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLicenseConfigurationCommand,
  UpdateServiceSettingsCommand,
  type LicenseManagerClient,
  type Tag,
} from "@aws-sdk/client-license-manager";
import { accessPolicyProps } from "../../lib/access/access-scope";
import { deployPolicy } from "../../lib/access/policies";
import { loadConfig } from "../../lib/config/load";
import { projectTags } from "../../lib/names/project-tags";
import { stackNames } from "../../lib/names/stacks";
import { sandboxConfigFile } from "../helpers/config";
import { allow, clientsFor, sessionOf, useEmulator } from "./emulator-clients";

const ACCOUNT = "111111111111";
const denied = (role: string, action: string, resource: string) =>
  `User: arn:aws:sts::${ACCOUNT}:assumed-role/${role}/emulator-test is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const tagList = (tags: Record<string, string>): Tag[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

const createConfiguration = async (client: LicenseManagerClient, tags: Record<string, string>) =>
  (
    await client.send(
      new CreateLicenseConfigurationCommand({
        Name: "windows",
        LicenseCountingType: "vCPU",
        Tags: tagList(tags),
      }),
    )
  ).LicenseConfigurationArn!;

const update = (arn: string) =>
  new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 7 });

describe("aws:ResourceTag, aws:RequestTag and aws:TagKeys on License Manager's resources", () => {
  const emulator = useEmulator();
  const team = { team: "platform" };

  it("allow with the tags, deny without: updates, deletes, tagging and untagging", async () => {
    const admin = clientsFor(emulator()).licenseManager;
    const ours = await createConfiguration(admin, { ...team, owner: "ops" });
    const untagged = await createConfiguration(admin, {});
    const theirs = await createConfiguration(admin, { team: "data" });
    const carried = { StringEquals: { "aws:ResourceTag/team": "platform" } };
    const { licenseManager } = clientsFor(
      emulator(),
      await sessionOf(
        emulator(),
        "Scoped",
        allow(
          [
            ["license-manager:UpdateLicenseConfiguration", "license-manager:DeleteLicenseConfiguration"],
            ["*"],
            carried,
          ],
          [
            ["license-manager:TagResource"],
            ["*"],
            { ...carried, StringEqualsIfExists: { "aws:RequestTag/team": "platform" } },
          ],
          [
            ["license-manager:UntagResource"],
            ["*"],
            { ...carried, "ForAllValues:StringNotEquals": { "aws:TagKeys": ["team"] } },
          ],
        ),
      ),
    );

    await licenseManager.send(update(ours));
    for (const arn of [untagged, theirs]) {
      await expect(licenseManager.send(update(arn))).rejects.toMatchObject({
        name: "AccessDeniedException",
        message: denied("Scoped", "license-manager:UpdateLicenseConfiguration", arn),
      });
      await expect(
        licenseManager.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      ).rejects.toMatchObject({ name: "AccessDeniedException" });
    }

    // A foreign configuration cannot be tagged into scope; ours cannot be tagged out of it.
    await expect(
      licenseManager.send(new TagResourceCommand({ ResourceArn: untagged, Tags: tagList(team) })),
    ).rejects.toMatchObject({ message: denied("Scoped", "license-manager:TagResource", untagged) });
    await expect(
      licenseManager.send(new TagResourceCommand({ ResourceArn: ours, Tags: tagList({ team: "data" }) })),
    ).rejects.toMatchObject({ message: denied("Scoped", "license-manager:TagResource", ours) });
    await licenseManager.send(new TagResourceCommand({ ResourceArn: ours, Tags: tagList({ cost: "42" }) }));

    // Removing a scoping tag is refused; removing one's own tags is not.
    await expect(
      licenseManager.send(new UntagResourceCommand({ ResourceArn: ours, TagKeys: ["owner", "team"] })),
    ).rejects.toMatchObject({ message: denied("Scoped", "license-manager:UntagResource", ours) });
    await licenseManager.send(new UntagResourceCommand({ ResourceArn: ours, TagKeys: ["owner"] }));

    await licenseManager.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: ours }));
  });

  it("scopes report generators by their own tags", async () => {
    const admin = clientsFor(emulator()).licenseManager;
    const configuration = await createConfiguration(admin, team);
    await admin.send(
      new UpdateServiceSettingsCommand({
        S3BucketArn: `arn:aws:s3:::aws-license-manager-service-${ACCOUNT}-us-east-1`,
      }),
    );
    const generator = async (name: string, tags: Record<string, string>) =>
      (
        await admin.send(
          new CreateLicenseManagerReportGeneratorCommand({
            ReportGeneratorName: name,
            Type: ["LicenseConfigurationUsageReport"],
            ReportContext: { licenseConfigurationArns: [configuration] },
            ReportFrequency: { value: 1, period: "WEEK" },
            ClientToken: name,
            Tags: tagList(tags),
          }),
        )
      ).LicenseManagerReportGeneratorArn!;
    const ours = await generator("ours", team);
    const foreign = await generator("foreign", {});
    const { licenseManager } = clientsFor(
      emulator(),
      await sessionOf(
        emulator(),
        "Reports",
        allow([
          ["license-manager:DeleteLicenseManagerReportGenerator"],
          ["*"],
          { StringEquals: { "aws:ResourceTag/team": "platform" } },
        ]),
      ),
    );
    const remove = (arn: string) =>
      licenseManager.send(
        new DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: arn }),
      );
    await expect(remove(foreign)).rejects.toMatchObject({
      message: denied("Reports", "license-manager:DeleteLicenseManagerReportGenerator", foreign),
    });
    await remove(ours);
  });
});

describe("the deploy role's own policy (config/sandbox.yaml)", () => {
  const emulator = useEmulator();
  const config = loadConfig(sandboxConfigFile);
  const policy = deployPolicy(accessPolicyProps(config, stackNames));
  const ownTags = { ...config.defaultTags, ...projectTags("sandbox", stackNames.licenseManager) };

  it("cannot change or delete a configuration created out of band without the project's tags; its own it can", async () => {
    const admin = clientsFor(emulator()).licenseManager;
    const outOfBand = await createConfiguration(admin, config.defaultTags);
    const otherEnvironment = await createConfiguration(admin, {
      ...projectTags("production", stackNames.licenseManager),
    });
    const { licenseManager: deployer } = clientsFor(
      emulator(),
      await sessionOf(emulator(), "Deployer", policy),
    );

    // Create: only with the project's tags in the request (a user's own tags beside them are fine).
    await expect(createConfiguration(deployer, config.defaultTags)).rejects.toMatchObject({
      message: denied("Deployer", "license-manager:CreateLicenseConfiguration", "*"),
    });
    const own = await createConfiguration(deployer, { ...ownTags, CostCentre: "4711" });

    for (const arn of [outOfBand, otherEnvironment]) {
      await expect(deployer.send(update(arn))).rejects.toMatchObject({
        message: denied("Deployer", "license-manager:UpdateLicenseConfiguration", arn),
      });
      await expect(
        deployer.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn })),
      ).rejects.toMatchObject({
        message: denied("Deployer", "license-manager:DeleteLicenseConfiguration", arn),
      });
    }
    await deployer.send(update(own));
    await deployer.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: own }));
  });

  it("re-tags its own configurations (users' tags, the name tag) but never moves one into or out of its scope", async () => {
    const admin = clientsFor(emulator()).licenseManager;
    const outOfBand = await createConfiguration(admin, config.defaultTags);
    const { licenseManager: deployer } = clientsFor(
      emulator(),
      await sessionOf(emulator(), "Retagger", policy),
    );
    const own = await createConfiguration(deployer, { ...ownTags, CostCentre: "4711" });
    const tag = (arn: string, tags: Record<string, string>) =>
      deployer.send(new TagResourceCommand({ ResourceArn: arn, Tags: tagList(tags) }));
    const untag = (arn: string, keys: string[]) =>
      deployer.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: keys }));
    const refused = (action: string, arn: string) => ({
      message: denied("Retagger", `license-manager:${action}`, arn),
    });

    // Its own: a user's tag added, changed and removed; the name tag added (a configuration made before it).
    await tag(own, { CostCentre: "0815", "license-manager-org:name": "windows" });
    await untag(own, ["CostCentre"]);
    // Never a project tag, on its own configuration either: changed, removed, or sent unchanged.
    const environmentTag = { "license-manager-org:environment": "production" };
    await expect(tag(own, environmentTag)).rejects.toMatchObject(refused("TagResource", own));
    await expect(untag(own, ["license-manager-org:stack"])).rejects.toMatchObject(
      refused("UntagResource", own),
    );
    // A configuration out of its scope: not tagged into it, not even with a user's tag, and not untagged.
    await expect(tag(outOfBand, projectTags("sandbox", stackNames.licenseManager))).rejects.toMatchObject(
      refused("TagResource", outOfBand),
    );
    await expect(tag(outOfBand, { CostCentre: "1" })).rejects.toMatchObject(
      refused("TagResource", outOfBand),
    );
    await expect(untag(outOfBand, Object.keys(config.defaultTags))).rejects.toMatchObject(
      refused("UntagResource", outOfBand),
    );
  });
});
