import { readFileSync } from "node:fs";
import { parseConfig } from "../../lib/config/load";
import { scaleAmiId, scaleConfigYaml } from "../../lib/bench/scale-config";
import { spreadOf } from "../../lib/bench/stats";
import { synthesizeStacks } from "../helpers/synth";

describe("scale configs", () => {
  const yaml = scaleConfigYaml(readFileSync("config/sandbox.yaml", "utf8"), { count: 25 });
  const config = parseConfig(yaml, "scale-25.yaml");

  it("are valid configs with the asked number of configurations, 10 distinct AMIs each, in one region", () => {
    const configurations = config.licenseManager.licenseConfigurations;
    expect(configurations).toHaveLength(25);
    const amis = configurations.flatMap((configuration) => configuration.associatedAmis["us-east-1"] ?? []);
    expect(amis).toHaveLength(250);
    expect(new Set(amis).size).toBe(250);
    for (const configuration of configurations) expect(configuration.regions).toEqual(["us-east-1"]);
  });

  it("synthesize one license configuration and its associations per entry", () => {
    const stack = synthesizeStacks(config)["license-manager"];
    expect(Object.keys(stack.resource.aws_licensemanager_license_configuration)).toHaveLength(25);
    expect(Object.keys(stack.resource.aws_licensemanager_association)).toHaveLength(250);
  });

  it("give AMI ids in EC2's format", () => {
    expect(scaleAmiId(0, 0, 10)).toBe("ami-00000000000000000");
    expect(scaleAmiId(1000, 9, 10)).toMatch(/^ami-[0-9a-f]{17}$/);
  });
});

describe("spreads", () => {
  it("take the median of odd and even series, and the extremes", () => {
    expect(spreadOf([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
    expect(spreadOf([4, 1, 2, 3]).median).toBe(2.5);
    expect(() => spreadOf([])).toThrow("at least one sample");
  });
});
