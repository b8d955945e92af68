import * as path from "node:path";
import type { SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { carriesProjectTags } from "../names/project-tags";
import { stateResources, type StateJson } from "../terraform/plan-json";

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export const licenseConfigurationType = "aws_licensemanager_license_configuration";
export const topicType = "aws_sns_topic";
export const bucketType = "aws_s3_bucket";

/**
 * The resource types the stacks create under a name they choose, so that an apply interrupted after the
 * create leaves a live resource that no state holds: a license configuration (License Manager accepts the same
 * name twice, so a re-run would make a duplicate), the notification topic and the report bucket (CreateTopic
 * returns the existing topic, CreateBucket outside us-east-1 fails with BucketAlreadyOwnedByYou: no
 * duplicate, but a resource in no state). The attribute that holds the name, the id `terraform import` takes,
 * and how to delete one. Types created under AWS-chosen names (associations, the bucket's policy and other
 * settings, which are idempotent writes) cannot be left behind this way; the service-linked role is adopted by
 * its own import block (lib/license-manager/service-linked-role.ts).
 */
const namedTypes: Readonly<
  Record<
    string,
    { readonly nameAttribute: string; readonly removeCommand: (resource: LiveResource) => string }
  >
> = {
  [licenseConfigurationType]: {
    nameAttribute: "name",
    removeCommand: ({ region, id }) =>
      `aws license-manager delete-license-configuration --region ${region} --license-configuration-arn ${quote(id)}`,
  },
  [topicType]: {
    nameAttribute: "name",
    removeCommand: ({ region, id }) => `aws sns delete-topic --region ${region} --topic-arn ${quote(id)}`,
  },
  [bucketType]: {
    nameAttribute: "bucket",
    removeCommand: ({ region, id }) => `aws s3api delete-bucket --region ${region} --bucket ${quote(id)}`,
  },
};

/** A live resource of one of the named types, with its tags; `id` is what `terraform import` takes. */
export interface LiveResource {
  readonly type: string;
  readonly region: string;
  /** License configurations and topics: the ARN; buckets: the name. */
  readonly id: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A live resource carrying this project's tags for this environment and stack that no state holds. */
export interface UnmanagedResource {
  readonly type: string;
  readonly region: string;
  readonly id: string;
  readonly name: string;
  /** The address the config gives a resource of this name in this region, when it has no resource in the state yet. */
  readonly address?: string;
  /** How to adopt it into the state (only with an address). */
  readonly adoptCommand?: string;
  /** How to delete it. */
  readonly removeCommand: string;
}

/** A resource of a named type that the synthesized stack declares. */
export interface NamedTarget {
  readonly type: string;
  readonly address: string;
  readonly name: string;
  readonly region: string;
}

/** Where the stack's synthesized Terraform wants its named resources: per region, the project's tags. */
export interface StackTargets {
  /** Regions of the stack's AWS providers with their default tags. */
  readonly regions: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The declared resources of the named types, in the synthesis's order. */
  readonly resources: readonly NamedTarget[];
}

interface ProviderJson {
  readonly alias?: string;
  readonly region?: string;
  readonly default_tags?: readonly { readonly tags?: Readonly<Record<string, string>> }[];
}

/** Regions, default tags and declared named resources of a synthesized stack. */
export function stackTargets(synthesized: SynthesizedStackJson & { provider?: unknown }): StackTargets {
  const providers = ((synthesized.provider as { aws?: ProviderJson[] } | undefined)?.aws ?? []).filter(
    (provider) => typeof provider.region === "string",
  );
  const regionOf = (reference: unknown): string | undefined => {
    const alias = typeof reference === "string" ? reference.replace(/^aws\./, "") : undefined;
    return providers.find((provider) => (alias ? provider.alias === alias : provider.alias === undefined))
      ?.region;
  };
  const regions = new Map<string, Record<string, string>>();
  for (const provider of providers) {
    if (!regions.has(provider.region!)) regions.set(provider.region!, provider.default_tags?.[0]?.tags ?? {});
  }
  const resources = Object.entries(namedTypes).flatMap(([type, { nameAttribute }]) =>
    Object.entries(synthesized.resource?.[type] ?? {}).flatMap(([name, resource]) => {
      const region = regionOf(resource.provider);
      const value = resource[nameAttribute];
      return typeof value === "string" && region
        ? [{ type, address: `${type}.${name}`, name: value, region }]
        : [];
    }),
  );
  return { regions, resources };
}

/** The declared resources of `type` that the state does not hold: the only ones a probe by name must look for. */
export function targetsNotInState(targets: StackTargets, state: StateJson, type: string): NamedTarget[] {
  const { addresses } = stateHolds(state);
  return targets.resources.filter((target) => target.type === type && !addresses.has(target.address));
}

/** Per type, the ids and ARNs of every resource the state holds; and the addresses it holds. */
function stateHolds(state: StateJson) {
  const ids = new Map<string, Set<string>>();
  const addresses = new Set<string>();
  for (const resource of stateResources(state.values?.root_module)) {
    if (resource.mode !== "managed") continue;
    addresses.add(resource.address);
    const held = ids.get(resource.type) ?? ids.set(resource.type, new Set()).get(resource.type)!;
    for (const key of ["id", "arn"]) {
      const value = resource.values?.[key];
      if (typeof value === "string") held.add(value);
    }
  }
  return { ids, addresses };
}

/**
 * The live resources with this project's tags for this environment and stack (in each region the stack
 * deploys to) that the state does not hold. Each one whose type, name and region match a declared resource
 * that the state does not hold yet gets that address (the first one found, so a duplicate is never adopted
 * twice); the rest can only be removed.
 */
export function unmanagedResources(
  targets: StackTargets,
  state: StateJson,
  live: readonly LiveResource[],
  stackDirectory: string,
): UnmanagedResource[] {
  const held = stateHolds(state);
  const claimed = new Set<string>();
  const unmanaged: UnmanagedResource[] = [];
  for (const resource of live) {
    const expected = targets.regions.get(resource.region);
    const kind = namedTypes[resource.type];
    if (!kind || !expected || !carriesProjectTags(resource.tags, expected)) continue;
    if (held.ids.get(resource.type)?.has(resource.id)) continue;
    const target = targets.resources.find(
      (candidate) =>
        candidate.type === resource.type &&
        candidate.name === resource.name &&
        candidate.region === resource.region &&
        !held.addresses.has(candidate.address) &&
        !claimed.has(candidate.address),
    );
    if (target) claimed.add(target.address);
    unmanaged.push({
      type: resource.type,
      region: resource.region,
      id: resource.id,
      name: resource.name,
      ...(target && {
        address: target.address,
        adoptCommand: `(cd ${stackDirectory} && terraform import ${quote(target.address)} ${quote(resource.id)})`,
      }),
      removeCommand: kind.removeCommand(resource),
    });
  }
  return unmanaged;
}

/** A stack directory as users type it: relative to the project root when inside it. */
export function displayDirectory(stackDirectory: string, projectRoot: string): string {
  const relative = path.relative(projectRoot, stackDirectory);
  return relative && !relative.startsWith("..") ? relative : stackDirectory;
}
