/**
 * Scale configs for the synthesis benchmark: the shipped config with its license configurations replaced
 * by `count` vCPU configurations, each in one region with `amisPerConfiguration` AMI associations.
 * Generated on demand, never committed.
 */
import { parseDocument } from "yaml";

interface ScaleConfigOptions {
  /** Number of license configurations. */
  readonly count: number;
  /** @default 10 */
  readonly amisPerConfiguration?: number;
  /** @default - the first of licenseManager.regions, else homeRegion */
  readonly region?: string;
}

/** A valid, distinct AMI id for every (configuration, association) pair: ami- and 17 hex digits. */
export function scaleAmiId(
  configurationIndex: number,
  associationIndex: number,
  amisPerConfiguration: number,
) {
  return `ami-${(configurationIndex * amisPerConfiguration + associationIndex).toString(16).padStart(17, "0")}`;
}

/** The YAML text of a scale config derived from `baseYaml` (the shipped config's text). */
export function scaleConfigYaml(baseYaml: string, options: ScaleConfigOptions): string {
  const document = parseDocument(baseYaml);
  const base = document.toJS() as {
    homeRegion: string;
    licenseManager?: { regions?: string[] };
  };
  const amisPerConfiguration = options.amisPerConfiguration ?? 10;
  const region = options.region ?? base.licenseManager?.regions?.[0] ?? base.homeRegion;
  const licenseConfigurations = Array.from({ length: options.count }, (_, index) => ({
    name: `scale-vcpu-${String(index).padStart(5, "0")}`,
    description: `Benchmark configuration ${index}, per vCPU`,
    licenseCountingType: "vCPU",
    licenseCount: 100,
    hardLimit: false,
    rules: { minimumVcpus: 2, honorVcpuOptimization: true },
    regions: [region],
    associatedAmis: {
      [region]: Array.from({ length: amisPerConfiguration }, (__, association) =>
        scaleAmiId(index, association, amisPerConfiguration),
      ),
    },
  }));
  document.setIn(["licenseManager", "licenseConfigurations"], document.createNode(licenseConfigurations));
  // The shipped config's reports name its own configurations.
  document.setIn(["licenseManager", "reports"], document.createNode([]));
  return document.toString({ lineWidth: 0 });
}
