import { DataResource, Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { discoveryInputKind, type ProductInformation } from "./discovery";

/** One license configuration's discovery rules; the ARN is the configuration resource's (a token). */
export interface DiscoveryRulesProps {
  readonly name: string;
  readonly licenseConfigurationArn: string;
  /** @default - none: discovery rules set outside this project are removed */
  readonly productInformationList: readonly ProductInformation[];
  readonly disassociateWhenNotFound: boolean;
}

export interface ReportGeneratorProps {
  readonly name: string;
  readonly types: readonly string[];
  readonly period: "DAY" | "WEEK" | "MONTH";
  /** ARNs of the configurations reported on (tokens of the stack's configurations). */
  readonly licenseConfigurationArns: readonly string[];
  readonly description?: string;
  /** Every tag of the generator: defaultTags, its own and the project tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface DiscoveryAndReportsResourceProps {
  readonly region: string;
  /** The project tags that mark the report generators this resource manages. */
  readonly managedTags: Readonly<Record<string, string>>;
  /** Every license configuration of the region, with or without rules. */
  readonly discovery: readonly DiscoveryRulesProps[];
  readonly reports: readonly ReportGeneratorProps[];
  /** Role the discovery CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
  /** The settings (report bucket) must be in place first. */
  readonly dependsOn: ITerraformDependable[];
}

/** Runs from cdktf.out/stacks/<stack>: the project root holds the CLI and its node_modules. */
const projectRoot = "${path.root}/../../..";

/**
 * The automated discovery rules of a region's license configurations and its report generators. Terraform
 * has no resource for either (aws_licensemanager_license_configuration has no ProductInformationList;
 * report generators have no resource in Terraform or CloudFormation), so, like the settings, a terraform_data
 * resource runs the project's discovery CLI, which reads the live rules and generators and changes only what
 * differs. It is replaced, and so runs again, whenever the desired rules or reports change (a configuration
 * replaced gets a new ARN, which changes them too). The provider's own updates of a configuration never send
 * ProductInformationList, so they keep the rules.
 */
export class DiscoveryAndReportsResource extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: DiscoveryAndReportsResourceProps) {
    super(scope, id);
    const desired = {
      kind: discoveryInputKind,
      region: props.region,
      managedTags: { ...props.managedTags },
      discovery: props.discovery.map((item) => ({
        name: item.name,
        licenseConfigurationArn: item.licenseConfigurationArn,
        productInformationList: item.productInformationList.map((rule) => ({
          ...rule,
          ProductInformationFilterList: [...rule.ProductInformationFilterList],
        })),
        disassociateWhenNotFound: item.disassociateWhenNotFound,
      })),
      reports: props.reports.map((report) => ({
        name: report.name,
        types: [...report.types],
        period: report.period,
        licenseConfigurationArns: [...report.licenseConfigurationArns],
        ...(report.description !== undefined && { description: report.description }),
        tags: { ...report.tags },
      })),
    };
    const roleOption = props.roleArn ? ` --role-arn ${props.roleArn}` : "";

    this.resource = new DataResource(this, "apply", {
      input: desired,
      triggersReplace: desired,
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: "local-exec",
          workingDir: projectRoot,
          // Passed through the environment so the shell never parses the JSON.
          command: `npx --no-install tsx tools/license-manager-discovery.ts apply --desired "$LM_DESIRED_DISCOVERY"${roleOption}`,
          environment: {
            LM_DESIRED_DISCOVERY: Fn.jsonencode(desired),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          },
        },
      ],
    });
  }
}
