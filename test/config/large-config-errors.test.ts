import { awsRegions } from "../../lib/aws/partitions";
import { closestMatch, oneOf } from "../../lib/messages/alternatives";
import { problemsOf } from "../helpers/config";

const configurations = Array.from({ length: 1000 }, (_, index) => ({
  name: `app-${String(index).padStart(4, "0")}-license`,
  licenseCountingType: "vCPU",
  licenseCount: 8,
  hardLimit: false,
  regions: ["us-east-1"],
}));

describe("errors about one name among many", () => {
  it("name the count, a few examples and the closest match, never every configured name", () => {
    const problems = problemsOf((document) => {
      document.licenseManager.licenseConfigurations = configurations;
      document.licenseManager.reports = [
        {
          name: "weekly",
          types: ["LicenseConfigurationUsageReport"],
          frequency: "weekly",
          licenseConfigurations: ["app-0042-licence"],
          regions: ["us-east-1"],
        },
      ];
    });
    expect(problems).toEqual([
      'config/test.yaml: licenseManager.reports[0].licenseConfigurations[0]: not a license configuration of licenseManager.licenseConfigurations; expected one of the 1,000 configured names, e.g. app-0000-license, app-0001-license, app-0002-license; did you mean "app-0042-license"? (got "app-0042-licence")',
    ]);
    console.log(`the error a user sees, with 1,000 configurations:\n${problems[0]}`);
  });

  it("tell a misspelt region by AWS's own list of regions, whatever the size of the config", () => {
    const problems = problemsOf((document) => {
      document.licenseManager.licenseConfigurations = configurations.map((configuration, index) =>
        index === 700 ? { ...configuration, regions: ["us-est-1"] } : configuration,
      );
      document.licenseManager.reports = [];
    });
    const [first, second, third] = awsRegions();
    expect(problems).toEqual([
      `config/test.yaml: licenseManager.licenseConfigurations[700].regions[0]: not an AWS region; expected one of the ${awsRegions().length} regions the AWS SDK knows, e.g. ${first}, ${second}, ${third}; did you mean "us-east-1"? (got "us-est-1")`,
    ]);
    console.log(`the error a user sees for a misspelt region, with 1,000 configurations:\n${problems[0]}`);
  });

  it("are the same rule for every set: short ones listed, long ones counted, a slip matched", () => {
    expect(oneOf(["us-east-1", "eu-west-1"], { given: "us-east1" })).toBe(
      'one of us-east-1, eu-west-1; did you mean "us-east-1"?',
    );
    expect(oneOf([], { what: "configured names" })).toBe("one of the configured names, but there are none");
    expect(closestMatch("oracle", ["windows-server-datacenter", "sql-server-enterprise"])).toBeUndefined();
    const many = Array.from({ length: 5000 }, (_, index) => `name-${index}`);
    expect(oneOf(many, { given: "nmae-4999", what: "names" }).length).toBeLessThan(120);
  });
});
