import * as path from "node:path";
import type { SynthesizedStackJson } from "../cdktf/synthesized-stack";
import { carriesProjectTags } from "../names/project-tags";
import type { StateJson, StateModuleJson } from "../terraform/plan-json";

export const licenseConfigurationType = "aws_licensemanager_license_configuration";

/** A live license configuration, as ListLicenseConfigurations and GetLicenseConfiguration describe it. */
export interface LiveLicenseConfiguration {
  readonly region: string;
  readonly arn: string;
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

/** Where the stack's synthesized Terraform wants license configurations: per region, the project's tags. */
export interface StackTargets {
  /** Regions of the stack's AWS providers with their default tags. */
  readonly regions: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The configured license configurations: address, name and region. */
  readonly configurations: readonly { address: string; name: string; region: string }[];
}

interface ProviderJson {
  readonly alias?: string;
  readonly region?: string;
  readonly default_tags?: readonly { readonly tags?: Readonly<Record<string, string>> }[];
}

/** Regions, default tags and configured license configurations of a synthesized stack. */
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
  const configurations = Object.entries(synthesized.resource?.[licenseConfigurationType] ?? {}).flatMap(
    ([name, resource]) => {
      const region = regionOf(resource.provider);
      return typeof resource.name === "string" && region
        ? [{ address: `${licenseConfigurationType}.${name}`, name: resource.name, region }]
        : [];
    },
  );
  return { regions, configurations };
}

function* resourcesOf(
  module: StateModuleJson | undefined,
): Generator<{ address: string; type: string; values?: Readonly<Record<string, unknown>> }> {
  for (const resource of module?.resources ?? []) if (resource.mode === "managed") yield resource;
  for (const child of module?.child_modules ?? []) yield* resourcesOf(child);
}

/** Ids and ARNs of every resource of a type the state holds, and the addresses it holds. */
function stateHolds(state: StateJson, type: string) {
  const ids = new Set<string>();
  const addresses = new Set<string>();
  for (const resource of resourcesOf(state.values?.root_module)) {
    addresses.add(resource.address);
    if (resource.type !== type) continue;
    for (const key of ["id", "arn"]) {
      const value = resource.values?.[key];
      if (typeof value === "string") ids.add(value);
    }
  }
  return { ids, addresses };
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The live license configurations with this project's tags for this environment and stack (in each region
 * the stack deploys to) that the state does not hold. Each one whose name and region match a configured
 * configuration that the state does not hold yet gets that address (the first one found, so a duplicate
 * is never adopted twice); the rest can only be removed.
 */
export function unmanagedLicenseConfigurations(
  targets: StackTargets,
  state: StateJson,
  live: readonly LiveLicenseConfiguration[],
  stackDirectory: string,
): UnmanagedResource[] {
  const held = stateHolds(state, licenseConfigurationType);
  const claimed = new Set<string>();
  const unmanaged: UnmanagedResource[] = [];
  for (const configuration of live) {
    const expected = targets.regions.get(configuration.region);
    if (!expected || !carriesProjectTags(configuration.tags, expected)) continue;
    if (held.ids.has(configuration.arn)) continue;
    const target = targets.configurations.find(
      (candidate) =>
        candidate.name === configuration.name &&
        candidate.region === configuration.region &&
        !held.addresses.has(candidate.address) &&
        !claimed.has(candidate.address),
    );
    if (target) claimed.add(target.address);
    unmanaged.push({
      type: licenseConfigurationType,
      region: configuration.region,
      id: configuration.arn,
      name: configuration.name,
      ...(target && {
        address: target.address,
        adoptCommand: `(cd ${stackDirectory} && terraform import ${quote(target.address)} ${quote(configuration.arn)})`,
      }),
      removeCommand: `aws license-manager delete-license-configuration --region ${configuration.region} --license-configuration-arn ${quote(configuration.arn)}`,
    });
  }
  return unmanaged;
}

/** A stack directory as users type it: relative to the project root when inside it. */
export function displayDirectory(stackDirectory: string, projectRoot: string): string {
  const relative = path.relative(projectRoot, stackDirectory);
  return relative && !relative.startsWith("..") ? relative : stackDirectory;
}
