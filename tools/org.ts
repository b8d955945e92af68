import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { clientConfig } from "../lib/aws/client-config";
import { callerSession } from "../lib/aws/credentials";
import { configFileFromEnvironment, loadConfig } from "../lib/config/load";
import { configSnippets, recommendedSource, surveyOrganization } from "../lib/organization/survey";
import { parseToolOptions, printJson, printLine, regionOption, roleArnOption, runCli } from "./cli";

const toolName = "org";

const usage = `Usage: npm run org -- [--role-arn ARN] [--region REGION] [--json]

Prints what the organization has today: its id and feature set, every principal with trusted access, the
policy types enabled on the root, and the delegated administrators (License Manager's named); then the
organization section of a config for either mode, to paste into config/<environment>.yaml:
  source: import     this project owns the organization's trusted-access list and policy types (both
                     authoritative): every principal and policy type enabled now is listed, or the first plan
                     fails on the removal guard
  source: external   another owner keeps them (AWS Control Tower, Landing Zone Accelerator, AFT, another
                     Terraform state); this project only enables License Manager's two principals
It reads only (DescribeOrganization, ListAWSServiceAccessForOrganization, ListRoots, ListDelegatedAdministrators).

Options:
  --role-arn ARN    Assume this role first (default: planRoleArn of the config LM_CONFIG names, unless LM_ROLE is
                    none; without LM_CONFIG, the credentials as they are: run it before writing a config)
  --region REGION   Region of the Organizations and STS clients (default: the config's homeRegion, or us-east-1)
  --json            Print the survey and both snippets as JSON on stdout
  -h, --help        Show this help

Credentials come from the AWS SDK default chain; AWS_ENDPOINT_URL_ORGANIZATIONS overrides the endpoint.
Exit codes: 0 printed, 1 error.`;

const options = {
  "role-arn": { type: "string" },
  region: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/**
 * The plan role and home region of the config LM_CONFIG names; nothing without LM_CONFIG, since a first-time user
 * runs this before writing a config. Never the deploy role: this only reads.
 */
function fromConfig(): { roleArn?: string; region?: string } {
  if (!process.env.LM_CONFIG) return {};
  const config = loadConfig(configFileFromEnvironment());
  const roleArn = process.env.LM_ROLE === "none" ? undefined : config.planRoleArn;
  return { ...(roleArn !== undefined && { roleArn }), region: config.homeRegion };
}

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const given = roleArnOption(values["role-arn"]);
  const defaults = given === undefined ? fromConfig() : {};
  const region = regionOption(values.region ?? defaults.region ?? process.env.AWS_REGION ?? "us-east-1");
  const roleArn = given ?? defaults.roleArn;
  const { credentials } = callerSession(region, roleArn, toolName);
  const survey = await surveyOrganization(new OrganizationsClient(clientConfig(region, credentials)));
  const recommendation = recommendedSource(survey);
  const snippets = configSnippets(survey);

  printLine(
    `Organization ${survey.id} (feature set ${survey.featureSet}, management account ${survey.managementAccountId})`,
  );
  printLine(`Trusted access (${survey.servicePrincipals.length}):`);
  for (const principal of survey.servicePrincipals) printLine(`  ${principal}`);
  printLine(`Policy types enabled on the root: ${survey.enabledPolicyTypes.join(", ") || "none"}`);
  printLine(
    `Delegated administrators: ${survey.delegatedAdministrators.map((account) => `${account.id} (${account.name})`).join(", ") || "none"}` +
      `; for License Manager: ${survey.licenseManagerAdministrator ?? "none"}`,
  );
  if (survey.featureSet !== "ALL") {
    printLine("All features are not enabled: License Manager's integration needs them, in either mode.");
  }
  printLine("");
  printLine(`Suggested: source: ${recommendation.source} (${recommendation.reason}).`);
  for (const source of ["import", "external"] as const) {
    printLine("");
    printLine(`# source: ${source}`);
    printLine(snippets[source]);
  }
  if (values.json) printJson({ ...survey, recommendation, snippets });
  return 0;
}

runCli(toolName, main);
