import { DataAwsResourcegroupstaggingapiResources } from "@cdktf/provider-aws/lib/data-aws-resourcegroupstaggingapi-resources";
import type { LicensemanagerLicenseConfiguration } from "@cdktf/provider-aws/lib/licensemanager-license-configuration";
import { TerraformElement, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { projectTagKeys } from "../names/project-tags";

/** The Resource Groups Tagging API's name of a license configuration (`service:resourceType`). */
const licenseConfigurationResourceType = "license-manager:license-configuration";

interface UnmanagedConfigurationLookupProps {
  /** The provider of the region. */
  readonly provider: TerraformProvider;
  /** The project tags (project, environment, stack) that the stack's provider puts on everything it creates. */
  readonly projectTags: Readonly<Record<string, string>>;
}

/**
 * Makes a bare `terraform apply` (and so `cdktf deploy`) adopt the license configurations of this stack that an
 * interrupted apply created but never recorded, instead of creating each a second time (License Manager accepts
 * any number of configurations of one name).
 *
 * At plan time a data source lists the region's license configurations that carry this project's tags
 * (Resource Groups Tagging API GetResources, with `license-manager:license-configuration` as resource type:
 * License Manager's TagResource documents license configurations as taggable resources). Each configured
 * configuration then has one `import` block whose `for_each` holds the ARN of a tagged configuration of its
 * name (the `license-manager-org:name` tag), or nothing. Terraform 1.11.4, checked against the sandbox:
 * - an empty `for_each` imports nothing, and a one-element `for_each` may target a resource without
 *   `for_each` (the address is not indexed by `each.key`);
 * - an import whose target is already in the state is a no-op, whatever its id: a managed configuration is
 *   itself tagged and matches, and "No changes" stays "No changes".
 * Of several tagged copies of one name, the first ARN in sort order is adopted; the others remain for
 * `npm run drift` to report as unmanaged.
 *
 * The data source depends on nothing, so that it is read at plan time: an import id must be known then.
 */
export class UnmanagedConfigurationLookup extends Construct {
  private readonly provider: TerraformProvider;
  private readonly imports: ImportBlocks;
  private readonly byName: string;

  constructor(scope: Construct, id: string, props: UnmanagedConfigurationLookupProps) {
    super(scope, id);
    this.provider = props.provider;
    const lookup = new DataAwsResourcegroupstaggingapiResources(this, "tagged-configurations", {
      provider: props.provider,
      resourceTypeFilters: [licenseConfigurationResourceType],
      tagFilter: Object.entries(props.projectTags).map(([key, value]) => ({ key, values: [value] })),
    });
    this.imports = new ImportBlocks(this, "imports");
    this.byName = `local.${this.imports.localName}`;
    const mappings = `data.${lookup.terraformResourceType}.${lookup.friendlyUniqueId}.resource_tag_mapping_list`;
    const nameTag = JSON.stringify(projectTagKeys.name);
    // Name → every tagged ARN of that name (the `...` groups duplicates instead of failing on them).
    this.imports.localExpression =
      `\${{ for mapping in ${mappings} : lookup(mapping.tags, ${nameTag}, "") => mapping.resource_arn... ` +
      `if lookup(mapping.tags, ${nameTag}, "") != "" }}`;
  }

  /** Adopts, at the next apply, a tagged configuration of `name` that no state holds, into `configuration`. */
  adoptInto(configuration: LicensemanagerLicenseConfiguration, name: string): void {
    const arns = `${this.byName}[${JSON.stringify(name)}]`;
    this.imports.blocks.push({
      to: `${configuration.terraformResourceType}.${configuration.friendlyUniqueId}`,
      provider: this.provider.fqn,
      for_each: `\${{ for arn in try([sort(${arns})[0]], []) : "adopt" => arn }}`,
      id: "${each.value}",
    });
  }
}

interface ImportBlock {
  readonly to: string;
  readonly provider: string;
  readonly for_each: string;
  readonly id: string;
}

/**
 * Root-module `import` blocks with `for_each` (Terraform 1.7+), which cdktf's `importFrom` cannot write, and the
 * local they read.
 */
class ImportBlocks extends TerraformElement {
  readonly blocks: ImportBlock[] = [];
  localExpression = "";

  get localName(): string {
    return this.friendlyUniqueId;
  }

  override toTerraform(): Record<string, unknown> {
    if (this.blocks.length === 0) return {};
    return { locals: { [this.localName]: this.localExpression }, import: [...this.blocks] };
  }

  override toHclTerraform(): Record<string, unknown> {
    return this.toTerraform();
  }
}
