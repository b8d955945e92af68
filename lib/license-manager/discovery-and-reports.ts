/**
 * A region's automated discovery rules and report generators, a kind on the reconcile contract
 * (lib/reconcile/contract.ts); its desired shape and the config mapping are in discovery.ts. Neither has a
 * Terraform resource: aws_licensemanager_license_configuration has no ProductInformationList, and report
 * generators have no resource in Terraform or CloudFormation. The provider's own updates of a configuration
 * never send ProductInformationList, so they keep the rules.
 */
import { randomUUID } from "node:crypto";
import {
  CreateLicenseManagerReportGeneratorCommand,
  DeleteLicenseManagerReportGeneratorCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseManagerReportGeneratorsCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseManagerReportGeneratorCommand,
  type ReportGenerator,
} from "@aws-sdk/client-license-manager";
import { clientConfig } from "../aws/client-config";
import { AwsCallError, awsCall, awsErrorCode } from "../aws/errors";
import { carriesProjectTags, projectTagConditions } from "../names/project-tags";
import type { Difference, ReconcileKind, ReconcilePlan, ReconcileTarget } from "../reconcile/contract";
import {
  desiredDiscoveryAndReportsSchema,
  discoveryInputKind,
  type DesiredDiscovery,
  type DesiredDiscoveryAndReports,
  type DesiredReport,
  type ProductInformation,
} from "./discovery";

interface LiveDiscovery {
  readonly licenseConfigurationArn: string;
  readonly productInformationList: readonly ProductInformation[];
  readonly disassociateWhenNotFound: boolean;
}

/** A live report generator carrying the stack's project tags. */
interface LiveReport {
  readonly arn: string;
  readonly name: string;
  readonly types: readonly string[];
  readonly period: string;
  readonly licenseConfigurationArns: readonly string[];
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface LiveDiscoveryAndReports {
  readonly region: string;
  readonly discovery: readonly LiveDiscovery[];
  /**
   * Desired configurations that no longer exist (deleted out of band, or by an apply killed before it saved the
   * state): the plan's own drift names them, and the deploy that creates them again sets their rules.
   */
  readonly missingConfigurations?: readonly string[];
  readonly reports: readonly LiveReport[];
}

/** The subject is e.g. `discovery rules of "sql-server-enterprise"`, `report generator "weekly-sql-usage"`. */
type DiscoveryDifference = Difference & { readonly subject: string };

type DiscoveryAction =
  | { readonly kind: "update-discovery"; readonly discovery: DesiredDiscovery }
  | { readonly kind: "create-report"; readonly report: DesiredReport }
  | { readonly kind: "update-report"; readonly arn: string; readonly report: DesiredReport }
  /** Tags are set on create only: a change of tags deletes and creates the generator again. */
  | { readonly kind: "replace-report"; readonly arn: string; readonly report: DesiredReport }
  | { readonly kind: "delete-report"; readonly arn: string; readonly name: string };

type DiscoveryPlan = ReconcilePlan<DiscoveryAction> & {
  readonly differences: readonly DiscoveryDifference[];
};

const canonical = (list: readonly ProductInformation[]): string =>
  JSON.stringify(
    list.map((rule) => ({
      ResourceType: rule.ResourceType,
      ProductInformationFilterList: rule.ProductInformationFilterList.map((filter) => ({
        name: filter.ProductInformationFilterName,
        comparator: filter.ProductInformationFilterComparator,
        values: filter.ProductInformationFilterValue ?? [],
      })),
    })),
  );

const sortedTags = (tags: Readonly<Record<string, string>>) =>
  JSON.stringify(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));

/** A short form of discovery rules for messages: `SSM_MANAGED[Application Name EQUALS "x"]`. */
export function describeProductInformation(list: readonly ProductInformation[]): string {
  if (list.length === 0) return "none";
  return list
    .map(
      (rule) =>
        `${rule.ResourceType}[${rule.ProductInformationFilterList.map(
          (filter) =>
            `${filter.ProductInformationFilterName} ${filter.ProductInformationFilterComparator}${
              filter.ProductInformationFilterValue?.length
                ? ` ${filter.ProductInformationFilterValue.map((value) => JSON.stringify(value)).join(",")}`
                : ""
            }`,
        ).join("; ")}]`,
    )
    .join(" ");
}

export function planDiscoveryAndReports(
  desired: DesiredDiscoveryAndReports,
  live: LiveDiscoveryAndReports,
): DiscoveryPlan {
  const differences: DiscoveryDifference[] = [];
  const actions: DiscoveryAction[] = [];
  for (const discovery of desired.discovery) {
    if (live.missingConfigurations?.includes(discovery.licenseConfigurationArn)) continue;
    const current = live.discovery.find(
      (item) => item.licenseConfigurationArn === discovery.licenseConfigurationArn,
    );
    const subject = `discovery rules of ${JSON.stringify(discovery.name)}`;
    const before = differences.length;
    if (canonical(discovery.productInformationList) !== canonical(current?.productInformationList ?? [])) {
      differences.push({
        subject,
        field: "productInformationList",
        desired: describeProductInformation(discovery.productInformationList),
        live: describeProductInformation(current?.productInformationList ?? []),
      });
    }
    if (discovery.disassociateWhenNotFound !== (current?.disassociateWhenNotFound ?? false)) {
      differences.push({
        subject,
        field: "disassociateWhenNotFound",
        desired: discovery.disassociateWhenNotFound,
        live: current?.disassociateWhenNotFound ?? false,
      });
    }
    if (differences.length > before) actions.push({ kind: "update-discovery", discovery });
  }

  const unclaimed = [...live.reports];
  for (const report of desired.reports) {
    const subject = `report generator ${JSON.stringify(report.name)}`;
    const index = unclaimed.findIndex((item) => item.name === report.name);
    if (index < 0) {
      differences.push({ subject, field: "existence", desired: "exists", live: "missing" });
      actions.push({ kind: "create-report", report });
      continue;
    }
    const [current] = unclaimed.splice(index, 1) as [LiveReport];
    const fields: [string, unknown, unknown][] = [
      ["types", [...report.types].sort(), [...current.types].sort()],
      ["period", report.period, current.period],
      [
        "licenseConfigurationArns",
        [...report.licenseConfigurationArns].sort(),
        [...current.licenseConfigurationArns].sort(),
      ],
      ["description", report.description ?? "", current.description ?? ""],
    ];
    let changed = false;
    for (const [field, wanted, found] of fields) {
      if (JSON.stringify(wanted) !== JSON.stringify(found)) {
        differences.push({ subject, field, desired: wanted, live: found });
        changed = true;
      }
    }
    if (sortedTags(report.tags) !== sortedTags(current.tags)) {
      differences.push({ subject, field: "tags", desired: report.tags, live: current.tags });
      actions.push({ kind: "replace-report", arn: current.arn, report });
    } else if (changed) {
      actions.push({ kind: "update-report", arn: current.arn, report });
    }
  }
  for (const extra of unclaimed) {
    differences.push({
      subject: `report generator ${JSON.stringify(extra.name)}`,
      field: "existence",
      desired: "absent (not in the config)",
      live: extra.arn,
    });
    actions.push({ kind: "delete-report", arn: extra.arn, name: extra.name });
  }
  return { differences, actions };
}

function liveReport(generator: ReportGenerator): LiveReport {
  return {
    arn: generator.LicenseManagerReportGeneratorArn ?? "",
    name: generator.ReportGeneratorName ?? "",
    types: generator.ReportType ?? [],
    period: generator.ReportFrequency?.period ?? "",
    licenseConfigurationArns: generator.ReportContext?.licenseConfigurationArns ?? [],
    ...(generator.Description ? { description: generator.Description } : {}),
    tags: Object.fromEntries((generator.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""])),
  };
}

/** The live discovery rules of the desired configurations, and the report generators the stack manages. */
export async function readLiveDiscoveryAndReports(
  client: LicenseManagerClient,
  region: string,
  desired: DesiredDiscoveryAndReports,
): Promise<LiveDiscoveryAndReports> {
  const discovery: LiveDiscovery[] = [];
  const missingConfigurations: string[] = [];
  for (const { licenseConfigurationArn } of desired.discovery) {
    const configuration = await awsCall(`License Manager GetLicenseConfiguration in ${region}`, () =>
      client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: licenseConfigurationArn })),
    ).catch((error: unknown) => {
      if (isMissingConfiguration(error)) return undefined;
      throw error;
    });
    if (!configuration) {
      missingConfigurations.push(licenseConfigurationArn);
      continue;
    }
    discovery.push({
      licenseConfigurationArn,
      productInformationList: (configuration.ProductInformationList ?? []) as ProductInformation[],
      disassociateWhenNotFound: configuration.DisassociateWhenNotFound ?? false,
    });
  }
  const reports: LiveReport[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(`License Manager ListLicenseManagerReportGenerators in ${region}`, () =>
      client.send(new ListLicenseManagerReportGeneratorsCommand({ NextToken: nextToken })),
    );
    for (const generator of page.ReportGenerators ?? []) {
      const report = liveReport(generator);
      if (carriesProjectTags(report.tags, desired.managedTags)) reports.push(report);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { region, discovery, ...(missingConfigurations.length > 0 && { missingConfigurations }), reports };
}

/**
 * License Manager's answer for a configuration that does not exist: InvalidParameterValueException "Invalid license
 * configuration ARN", which the AWS provider also takes for "not found" (terraform-provider-aws,
 * internal/service/licensemanager/license_configuration.go: tfawserr.ErrMessageContains(err,
 * InvalidParameterValueException, "Invalid license configuration ARN")).
 */
function isMissingConfiguration(error: unknown): boolean {
  const cause = error instanceof AwsCallError ? error.cause : error;
  return (
    awsErrorCode(cause) === "InvalidParameterValueException" &&
    /Invalid license configuration ARN/.test((cause as Error).message)
  );
}

function reportDefinition(report: DesiredReport) {
  return {
    ReportGeneratorName: report.name,
    Type: [...report.types],
    ReportContext: { licenseConfigurationArns: [...report.licenseConfigurationArns] },
    ReportFrequency: { value: 1, period: report.period },
    ClientToken: randomUUID(),
    ...(report.description !== undefined && { Description: report.description }),
  };
}

async function run(client: LicenseManagerClient, region: string, action: DiscoveryAction): Promise<void> {
  const call = <T>(operation: string, send: () => Promise<T>) =>
    awsCall(`License Manager ${operation} in ${region}`, send);
  const create = (report: DesiredReport) =>
    call("CreateLicenseManagerReportGenerator", () =>
      client.send(
        new CreateLicenseManagerReportGeneratorCommand({
          ...reportDefinition(report),
          Tags: Object.entries(report.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      ),
    );
  const remove = (arn: string) =>
    call("DeleteLicenseManagerReportGenerator", () =>
      client.send(new DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: arn })),
    );
  switch (action.kind) {
    case "update-discovery":
      await call("UpdateLicenseConfiguration", () =>
        client.send(
          new UpdateLicenseConfigurationCommand({
            LicenseConfigurationArn: action.discovery.licenseConfigurationArn,
            ProductInformationList: action.discovery.productInformationList.map((rule) => ({
              ...rule,
              ProductInformationFilterList: [...rule.ProductInformationFilterList],
            })),
            DisassociateWhenNotFound: action.discovery.disassociateWhenNotFound,
          }),
        ),
      );
      return;
    case "update-report":
      await call("UpdateLicenseManagerReportGenerator", () =>
        client.send(
          new UpdateLicenseManagerReportGeneratorCommand({
            LicenseManagerReportGeneratorArn: action.arn,
            ...reportDefinition(action.report),
          }),
        ),
      );
      return;
    case "replace-report":
      await remove(action.arn);
      await create(action.report);
      return;
    case "delete-report":
      await remove(action.arn);
      return;
    case "create-report":
      await create(action.report);
      return;
  }
}

const clientFor = (target: ReconcileTarget) =>
  new LicenseManagerClient(clientConfig(target.region, target.credentials));

type Entries = Pick<DesiredDiscoveryAndReports, "discovery" | "reports">;

export const discoveryAndReports: ReconcileKind<
  DesiredDiscoveryAndReports,
  LiveDiscoveryAndReports,
  DiscoveryAction
> = {
  kind: discoveryInputKind,
  title: "discovery rules and report generators",
  schema: desiredDiscoveryAndReportsSchema,
  read: (target, desired) => readLiveDiscoveryAndReports(clientFor(target), target.region, desired),
  plan: planDiscoveryAndReports,
  apply: async (target, _desired, actions) => {
    const client = clientFor(target);
    for (const action of actions) await run(client, target.region, action);
  },
  // Recorded before the contract: the kind and region at the top, beside the desired fields.
  legacyInput: ({ kind, region, ...desired }) =>
    kind === discoveryInputKind && typeof region === "string" ? { region, desired } : undefined,
  risks: [
    {
      // Resources running the software but launched from an unassociated AMI are no longer counted.
      id: "discovery-rule-removed",
      check: (before: Entries, after: Entries | undefined) => {
        const reasons: string[] = [];
        for (const previous of before.discovery) {
          const count = previous.productInformationList.length;
          if (count === 0) continue;
          const next = after?.discovery.find((entry) => entry.name === previous.name);
          if (after === undefined) {
            reasons.push(
              `the automated discovery rules of license configuration "${previous.name}" are no longer managed: their resource is destroyed`,
            );
          } else if (!next || next.productInformationList.length === 0) {
            reasons.push(
              `removes the automated discovery rules of license configuration "${previous.name}" (${count} rule(s)): resources running the software from unassociated AMIs are no longer counted`,
            );
          } else if (next.productInformationList.length < count) {
            reasons.push(
              `removes ${count - next.productInformationList.length} of the ${count} automated discovery rules of license configuration "${previous.name}"`,
            );
          }
        }
        return reasons;
      },
    },
    {
      // The usage reports that auditors are handed stop arriving in the report bucket.
      id: "report-generator-deleted",
      check: (before: Entries, after: Entries | undefined) =>
        before.reports
          .filter((previous) => !after?.reports.some((next) => next.name === previous.name))
          .map((previous) =>
            after === undefined
              ? `the report generator "${previous.name}" is no longer managed: its resource is destroyed`
              : `deletes the report generator "${previous.name}" (${previous.types.join(", ")}, ${previous.period}): its reports stop arriving in the report bucket`,
          ),
    },
  ],
  permissions: (props) => {
    const tagged = projectTagConditions(props.licenseManagerTags);
    const inRegions = (type: string) =>
      props.licenseManagerRegions.map(
        (region) => `arn:${props.partition}:license-manager:${region}:${props.managementAccountId}:${type}:*`,
      );
    return {
      read: [
        {
          Sid: "ReportGeneratorRead",
          Effect: "Allow",
          // No resource type in the Service Authorization Reference.
          Action: ["license-manager:ListLicenseManagerReportGenerators"],
          Resource: ["*"],
        },
        {
          Sid: "DiscoveryRulesRead",
          Effect: "Allow",
          Action: ["license-manager:GetLicenseConfiguration"],
          Resource: inRegions("license-configuration"),
        },
      ],
      write: [
        {
          Sid: "DiscoveryRulesWrite",
          Effect: "Allow",
          Action: ["license-manager:UpdateLicenseConfiguration"],
          Resource: inRegions("license-configuration"),
          Condition: tagged.carried,
        },
        {
          // Creating one has no resource type; its tags are set on create (a change of tags replaces it).
          Sid: "ReportGeneratorCreate",
          Effect: "Allow",
          Action: ["license-manager:CreateLicenseManagerReportGenerator"],
          Resource: ["*"],
          Condition: tagged.requested,
        },
        {
          Sid: "ReportGeneratorWrite",
          Effect: "Allow",
          Action: [
            "license-manager:DeleteLicenseManagerReportGenerator",
            "license-manager:UpdateLicenseManagerReportGenerator",
          ],
          Resource: inRegions("report-generator"),
          Condition: tagged.carried,
        },
      ],
    };
  },
  summarize: (live) => [
    ...live.discovery.map(
      (item) =>
        `${item.licenseConfigurationArn}: automated discovery ${describeProductInformation(item.productInformationList)}${item.disassociateWhenNotFound ? " (disassociates when not found)" : ""}`,
    ),
    ...live.reports.map(
      (report) =>
        `report generator ${JSON.stringify(report.name)}: ${report.types.join(", ")}, ${report.period}`,
    ),
  ],
};
