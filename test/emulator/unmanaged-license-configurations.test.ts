import { CreateLicenseConfigurationCommand } from "@aws-sdk/client-license-manager";
import { listLicenseConfigurations } from "../../lib/drift/live-license-configurations";
import { stackTargets, unmanagedLicenseConfigurations } from "../../lib/drift/unmanaged";
import { projectTags } from "../../lib/names/project-tags";
import { clientsFor, useEmulator } from "./emulator-clients";

describe("unmanaged license configurations, read from the emulator like npm run drift and npm run adopt do", () => {
  const emulator = useEmulator();
  const licenseManager = () => clientsFor(emulator()).licenseManager;
  const tags = projectTags("sandbox", "license-manager");
  const create = async (name: string, tagged: Record<string, string>) =>
    (
      await licenseManager().send(
        new CreateLicenseConfigurationCommand({
          Name: name,
          LicenseCountingType: "vCPU",
          Tags: Object.entries(tagged).map(([Key, Value]) => ({ Key, Value })),
        }),
      )
    ).LicenseConfigurationArn!;

  it("lists every configuration with its tags across pages and adopts only the project's own", async () => {
    const own = await create("windows", tags);
    const otherStack = await create("windows", { ...tags, "license-manager-org:stack": "access" });
    const untagged = await create("windows", {});
    const duplicate = await create("windows", tags);

    const live = await listLicenseConfigurations(licenseManager(), "us-east-1");
    expect(live.map((configuration) => configuration.arn)).toEqual([own, otherStack, untagged, duplicate]);
    expect(live[0]!.tags).toEqual(tags);

    const targets = stackTargets({
      provider: { aws: [{ region: "us-east-1", default_tags: [{ tags }] }] },
      resource: { aws_licensemanager_license_configuration: { windows_A: { name: "windows" } } },
    });
    const found = unmanagedLicenseConfigurations(targets, {}, live, "cdktf.out/stacks/license-manager");
    expect(found.map((resource) => [resource.id, resource.address])).toEqual([
      [own, "aws_licensemanager_license_configuration.windows_A"],
      [duplicate, undefined],
    ]);
  });
});
