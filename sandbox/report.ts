import { IAMClient } from "@aws-sdk/client-iam";
import {
  LicenseManagerClient,
  ListAssociationsForLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  ListLicenseManagerReportGeneratorsCommand,
} from "@aws-sdk/client-license-manager";
import {
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import * as path from "node:path";
import { roleArnInAccount } from "../lib/aws/arn";
import { clientConfig } from "../lib/aws/client-config";
import { assumeRoleCredentials } from "../lib/aws/credentials";
import {
  checkServiceLinkedRoles,
  expectedServiceLinkedRoles,
  shortRoleName,
  type ServiceLinkedRoleName,
  type ServiceLinkedRoleReport,
} from "../lib/license-manager/service-linked-role-report";
import type { ProductInformation } from "../lib/license-manager/discovery";
import { describeProductInformation } from "../lib/license-manager/discovery-and-reports";
import { readLiveSettings, type LiveLicenseManagerSettings } from "../lib/license-manager/settings";
import { deployedInputs } from "../lib/reconcile/deployed";
import { licenseManagerPrincipal } from "../lib/names/license-manager";
import type { StateJson } from "../lib/terraform/plan-json";
import { Terraform } from "../lib/terraform/terraform";

interface LicenseConfigurationSummary {
  readonly region: string;
  readonly name: string;
  readonly licenseCountingType: string;
  readonly licenseCount?: number;
  readonly hardLimit: boolean;
  readonly rules: readonly string[];
  readonly associatedResources: readonly string[];
  /** Automated discovery rules, in short form (`SSM_MANAGED[Application Name EQUALS "…"]`), or "none". */
  readonly discoveryRules: string;
  readonly disassociateWhenNotFound: boolean;
}

interface ReportGeneratorSummary {
  readonly region: string;
  readonly name: string;
  readonly types: readonly string[];
  readonly period: string;
  /** The configurations' names (ARNs when not found). */
  readonly licenseConfigurations: readonly string[];
  readonly bucket?: string;
}

/** What exists in the sandbox after a deploy, read back through the AWS APIs. */
export interface SandboxReport {
  readonly servicePrincipals: readonly string[];
  readonly delegatedAdministrators: readonly string[];
  readonly serviceLinkedRoles: ServiceLinkedRoleReport;
  readonly settings: readonly LiveLicenseManagerSettings[];
  readonly licenseConfigurations: readonly LicenseConfigurationSummary[];
  readonly reportGenerators: readonly ReportGeneratorSummary[];
}

/** Reads the report with the caller's credentials and endpoints (the sandbox environment). */
export async function readSandboxReport(
  homeRegion: string,
  regions: readonly string[],
): Promise<SandboxReport> {
  const organizations = new OrganizationsClient(clientConfig(homeRegion));
  const access = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({}));
  const administrators = await organizations.send(
    new ListDelegatedAdministratorsCommand({ ServicePrincipal: licenseManagerPrincipal }),
  );
  const serviceLinkedRoles = await checkServiceLinkedRoles({
    organizations,
    iamClientFor: (accountId, kind) =>
      kind === "management"
        ? new IAMClient(clientConfig(homeRegion))
        : new IAMClient(
            clientConfig(
              homeRegion,
              assumeRoleCredentials({
                region: homeRegion,
                roleArn: roleArnInAccount(accountId, "OrganizationAccountAccessRole"),
                roleSessionName: "sandbox-report",
              }),
            ),
          ),
  });

  const settings: LiveLicenseManagerSettings[] = [];
  const licenseConfigurations: LicenseConfigurationSummary[] = [];
  const reportGenerators: ReportGeneratorSummary[] = [];
  for (const region of regions) {
    const licenseManager = new LicenseManagerClient(clientConfig(region));
    settings.push(await readLiveSettings(licenseManager, region));
    const { LicenseConfigurations = [] } = await licenseManager.send(
      new ListLicenseConfigurationsCommand({}),
    );
    for (const configuration of LicenseConfigurations) {
      const { LicenseConfigurationAssociations = [] } = await licenseManager.send(
        new ListAssociationsForLicenseConfigurationCommand({
          LicenseConfigurationArn: configuration.LicenseConfigurationArn,
        }),
      );
      licenseConfigurations.push({
        region,
        name: configuration.Name ?? "",
        licenseCountingType: configuration.LicenseCountingType ?? "",
        licenseCount: configuration.LicenseCount,
        hardLimit: configuration.LicenseCountHardLimit ?? false,
        rules: configuration.LicenseRules ?? [],
        associatedResources: LicenseConfigurationAssociations.map(
          (association) => association.ResourceArn ?? "",
        ),
        discoveryRules: describeProductInformation(
          (configuration.ProductInformationList ?? []) as ProductInformation[],
        ),
        disassociateWhenNotFound: configuration.DisassociateWhenNotFound ?? false,
      });
    }
    const names = new Map(LicenseConfigurations.map((c) => [c.LicenseConfigurationArn, c.Name]));
    const { ReportGenerators = [] } = await licenseManager.send(
      new ListLicenseManagerReportGeneratorsCommand({}),
    );
    for (const generator of ReportGenerators) {
      reportGenerators.push({
        region,
        name: generator.ReportGeneratorName ?? "",
        types: generator.ReportType ?? [],
        period: generator.ReportFrequency?.period ?? "",
        licenseConfigurations: (generator.ReportContext?.licenseConfigurationArns ?? []).map(
          (arn) => names.get(arn) ?? arn,
        ),
        ...(generator.S3Location?.bucket !== undefined && { bucket: generator.S3Location.bucket }),
      });
    }
  }

  return {
    servicePrincipals: (access.EnabledServicePrincipals ?? [])
      .map((entry) => entry.ServicePrincipal ?? "")
      .sort(),
    delegatedAdministrators: (administrators.DelegatedAdministrators ?? []).map(
      (account) => account.Id ?? "",
    ),
    serviceLinkedRoles,
    settings,
    licenseConfigurations,
    reportGenerators,
  };
}

/** One recorded input of a kind on the reconcile registry, with its live state in the kind's own words. */
interface ReconciledSummary {
  readonly stack: string;
  readonly kind: string;
  readonly title: string;
  readonly region: string;
  readonly inSync: boolean;
  readonly live: readonly string[];
}

/**
 * Every input the deployed stacks recorded, of every kind on the registry (npm run reconcile -- get): read from
 * each stack's state, then the live state by the kind's own read, with the caller's credentials.
 */
export async function readReconciledSummaries(
  stackDirectories: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<ReconciledSummary[]> {
  const summaries: ReconciledSummary[] = [];
  for (const directory of stackDirectories) {
    const state = JSON.parse(await new Terraform(directory, { env: environment }).showJson()) as StateJson;
    for (const input of deployedInputs(state)) {
      const target = { region: input.region };
      const live: unknown = await input.definition.read(target, input.desired);
      summaries.push({
        stack: path.basename(directory),
        kind: input.kind,
        title: input.definition.title,
        region: input.region,
        inSync: input.definition.plan(input.desired, live).differences.length === 0,
        live: input.definition.summarize(live),
      });
    }
  }
  return summaries;
}

export function formatSandboxReport(
  report: SandboxReport,
  reconciled?: readonly ReconciledSummary[],
): string {
  const lines: string[] = [];
  lines.push("Trusted access (service principals enabled in the organization):");
  for (const principal of report.servicePrincipals) lines.push(`  ${principal}`);
  lines.push(
    `License Manager delegated administrator: ${report.delegatedAdministrators.join(", ") || "none"}`,
    "",
    "Service-linked roles:",
  );
  for (const account of report.serviceLinkedRoles.accounts) {
    const roles = Object.entries(account.roles).map(([name, exists]) => {
      const state = exists
        ? "present"
        : expectedServiceLinkedRoles(account.kind).includes(name as ServiceLinkedRoleName)
          ? "MISSING"
          : "absent";
      return `${shortRoleName(name as ServiceLinkedRoleName)} ${state}`;
    });
    lines.push(
      `  ${account.accountId} ${account.accountName.padEnd(15)} ${account.kind.padEnd(10)} ${roles.join(", ")}`,
    );
  }
  if (reconciled) {
    lines.push("", "What Terraform cannot manage (npm run reconcile -- get), as the stacks recorded it:");
    for (const summary of reconciled) {
      lines.push(
        `  ${summary.stack}: ${summary.title} in ${summary.region} (${summary.kind}): ${summary.inSync ? "as deployed" : "DIFFERS from the deployed input"}`,
        ...summary.live.map((line) => `    ${line}`),
      );
    }
  } else {
    lines.push("", "License Manager settings:");
    for (const settings of report.settings) {
      lines.push(
        `  ${settings.region}: Organizations integration ${settings.enableIntegration ? "on" : "OFF"}, ` +
          `cross-account discovery ${settings.enableCrossAccountsDiscovery ? "on" : "off"}`,
        `    report bucket ${settings.s3BucketArn ?? "none"}`,
        `    alert topic   ${settings.snsTopicArn ?? "none"}`,
        `    resource share ${settings.licenseManagerResourceShareArn ?? "none"}`,
      );
    }
  }
  lines.push("", "License configurations:");
  if (report.licenseConfigurations.length === 0) lines.push("  none");
  for (const configuration of report.licenseConfigurations) {
    lines.push(
      `  ${configuration.region} ${configuration.name}: ${configuration.licenseCount ?? "no"} ` +
        `${configuration.licenseCountingType} licenses, ${configuration.hardLimit ? "hard" : "soft"} limit, ` +
        `rules ${configuration.rules.join(" ") || "none"}`,
    );
    for (const resource of configuration.associatedResources) lines.push(`    associated with ${resource}`);
    if (configuration.discoveryRules !== "none") {
      lines.push(
        `    automated discovery ${configuration.discoveryRules}` +
          (configuration.disassociateWhenNotFound ? ", disassociated when not found" : ""),
      );
    }
  }
  lines.push("", "Report generators:");
  if (report.reportGenerators.length === 0) lines.push("  none");
  for (const generator of report.reportGenerators) {
    lines.push(
      `  ${generator.region} ${generator.name}: ${generator.types.join(", ")} every ${generator.period} of ` +
        `${generator.licenseConfigurations.join(", ")}, into ${generator.bucket ?? "no bucket"}`,
    );
  }
  return lines.join("\n");
}
