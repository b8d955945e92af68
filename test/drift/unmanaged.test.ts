import { stackTargets, unmanagedLicenseConfigurations } from "../../lib/drift/unmanaged";
import { projectTags } from "../../lib/names/project-tags";
import type { StateJson } from "../../lib/terraform/plan-json";

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
  },
};
const arn = (region: string, id: string) =>
  `arn:aws:license-manager:${region}:111111111111:license-configuration:lic-${id}`;
const state = (held: Record<string, string>): StateJson => ({
  values: {
    root_module: {
      resources: Object.entries(held).map(([name, id]) => ({
        address: `aws_licensemanager_license_configuration.${name}`,
        mode: "managed",
        type: "aws_licensemanager_license_configuration",
        name,
        values: { id, arn: id },
      })),
    },
  },
});
const directory = "cdktf.out/stacks/license-manager";

describe("unmanaged license configurations", () => {
  const targets = stackTargets(synthesized);

  it("reads the regions, their default tags and the configured configurations from the synthesis", () => {
    expect([...targets.regions.keys()]).toEqual(["us-east-1", "eu-west-1"]);
    expect(targets.configurations).toEqual([
      {
        address: "aws_licensemanager_license_configuration.us-east-1_windows_A",
        name: "windows",
        region: "us-east-1",
      },
      {
        address: "aws_licensemanager_license_configuration.eu-west-1_windows_B",
        name: "windows",
        region: "eu-west-1",
      },
      {
        address: "aws_licensemanager_license_configuration.us-east-1_sql_C",
        name: "sql",
        region: "us-east-1",
      },
    ]);
  });

  it("are none when the state holds every tagged configuration", () => {
    const live = [
      { region: "us-east-1", arn: arn("us-east-1", "1"), name: "windows", tags },
      { region: "eu-west-1", arn: arn("eu-west-1", "2"), name: "windows", tags },
    ];
    const held = state({
      "us-east-1_windows_A": arn("us-east-1", "1"),
      "eu-west-1_windows_B": arn("eu-west-1", "2"),
    });
    expect(unmanagedLicenseConfigurations(targets, held, live, directory)).toEqual([]);
  });

  it("name a tagged configuration no state holds, with the address to adopt it into and how to remove it", () => {
    const live = [{ region: "us-east-1", arn: arn("us-east-1", "9"), name: "sql", tags }];
    expect(unmanagedLicenseConfigurations(targets, state({}), live, directory)).toEqual([
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

  it("never match a configuration without all three of this project's tags for this environment and stack", () => {
    const live = [
      { region: "us-east-1", arn: arn("us-east-1", "1"), name: "sql", tags: {} },
      {
        region: "us-east-1",
        arn: arn("us-east-1", "2"),
        name: "sql",
        tags: { ...tags, "license-manager-org:stack": "access" },
      },
      {
        region: "us-east-1",
        arn: arn("us-east-1", "3"),
        name: "sql",
        tags: { ...tags, "license-manager-org:environment": "staging" },
      },
      {
        region: "us-east-1",
        arn: arn("us-east-1", "4"),
        name: "sql",
        tags: { Project: "license-manager-org" },
      },
      // a region the stack does not deploy to
      { region: "ap-south-1", arn: arn("ap-south-1", "5"), name: "sql", tags },
    ];
    expect(unmanagedLicenseConfigurations(targets, state({}), live, directory)).toEqual([]);
  });

  it("adopt a duplicate only once and an address the state holds never; the rest can only be removed", () => {
    const live = [
      { region: "us-east-1", arn: arn("us-east-1", "1"), name: "sql", tags },
      { region: "us-east-1", arn: arn("us-east-1", "2"), name: "sql", tags },
      { region: "us-east-1", arn: arn("us-east-1", "3"), name: "windows", tags },
      { region: "us-east-1", arn: arn("us-east-1", "4"), name: "retired", tags },
    ];
    const held = state({ "us-east-1_windows_A": arn("us-east-1", "0") });
    const found = unmanagedLicenseConfigurations(targets, held, live, directory);
    expect(found.map((resource) => [resource.id, resource.address])).toEqual([
      [arn("us-east-1", "1"), "aws_licensemanager_license_configuration.us-east-1_sql_C"],
      [arn("us-east-1", "2"), undefined],
      [arn("us-east-1", "3"), undefined],
      [arn("us-east-1", "4"), undefined],
    ]);
    expect(found.filter((resource) => resource.adoptCommand)).toHaveLength(1);
  });
});
