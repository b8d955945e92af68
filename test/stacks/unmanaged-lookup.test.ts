import { configWith } from "../helpers/config";
import { synthesizeStacks } from "../helpers/synth";

/**
 * The plan-time adoption of configurations an interrupted apply left outside the state
 * (lib/license-manager/unmanaged-lookup.ts), as synthesized. terraform-validate.test.ts validates it with the real
 * provider; test/e2e/interrupted-deploy.scenarios.ts applies it after a killed deploy.
 */
describe("license-manager stack: adopting its own unmanaged license configurations at plan time", () => {
  const stack = synthesizeStacks(configWith(() => {}))["license-manager"];
  const configurations = Object.entries(
    stack.resource.aws_licensemanager_license_configuration as Record<string, Record<string, any>>,
  );
  const lookups = Object.entries(
    stack.data.aws_resourcegroupstaggingapi_resources as Record<string, Record<string, any>>,
  );
  type ImportBlock = { to: string; provider: string; for_each: string; id: string };
  const configurationImports = (synthesized: Record<string, any>) =>
    ((synthesized.import ?? []) as ImportBlock[]).filter((block) =>
      block.to.startsWith("aws_licensemanager_license_configuration."),
    );
  const imports = configurationImports(stack);

  it("looks up, per region with configurations, the license configurations tagged for this project, environment and stack", () => {
    expect(lookups.map(([, lookup]) => lookup.provider).sort()).toEqual(["aws.eu-west-1", "aws.us-east-1"]);
    for (const [, lookup] of lookups) {
      expect(lookup).toEqual({
        provider: lookup.provider,
        resource_type_filters: ["license-manager:license-configuration"],
        tag_filter: [
          { key: "license-manager-org:project", values: ["license-manager-org"] },
          { key: "license-manager-org:environment", values: ["sandbox"] },
          { key: "license-manager-org:stack", values: ["license-manager"] },
        ],
      });
      // Read at plan time: an import id must be known then.
      expect(lookup.depends_on).toBeUndefined();
    }
  });

  it("tags each configuration with its configured name, after (over) the user's own tags", () => {
    for (const [, configuration] of configurations) {
      expect(configuration.tags["license-manager-org:name"]).toBe(configuration.name);
    }
  });

  it("has one import block per configuration, to its address, with the region's provider, importing at most one ARN of its name", () => {
    expect(imports.map((block) => block.to).sort()).toEqual(
      configurations.map(([name]) => `aws_licensemanager_license_configuration.${name}`).sort(),
    );
    for (const [name, configuration] of configurations) {
      const block = imports.find((candidate) => candidate.to.endsWith(`.${name}`))!;
      expect(block.provider).toBe(configuration.provider);
      expect(block.id).toBe("${each.value}");
      const region = configuration.provider.replace("aws.", "");
      const [localName] = Object.keys(stack.locals).filter((key) => key.startsWith(`${region}_`));
      // The first ARN of the name in sort order, or nothing: never two imports to one address.
      expect(block.for_each).toBe(
        `\${{ for arn in try([sort(local.${localName}["${configuration.name}"])[0]], []) : "adopt" => arn }}`,
      );
    }
  });

  it("groups the region's tagged ARNs by the name tag, and skips configurations without one", () => {
    for (const [, lookup] of lookups) {
      const region = lookup.provider.replace("aws.", "");
      const [lookupName] = lookups.find(([, candidate]) => candidate === lookup)!;
      const [localName] = Object.keys(stack.locals).filter((key) => key.startsWith(`${region}_`));
      expect(stack.locals[localName!]).toBe(
        `\${{ for mapping in data.aws_resourcegroupstaggingapi_resources.${lookupName}.resource_tag_mapping_list : ` +
          `lookup(mapping.tags, "license-manager-org:name", "") => mapping.resource_arn... ` +
          `if lookup(mapping.tags, "license-manager-org:name", "") != "" }}`,
      );
    }
  });

  it("looks nothing up where a region has no configuration", () => {
    const none = synthesizeStacks(
      configWith((document) => {
        document.licenseManager.licenseConfigurations = [];
        document.licenseManager.reports = [];
      }),
    )["license-manager"];
    expect(none.data?.aws_resourcegroupstaggingapi_resources).toBeUndefined();
    expect(configurationImports(none)).toEqual([]);
    expect(none.locals).toBeUndefined();
  });
});
