import { DataResource, Fn, type ITerraformDependable, type Precondition } from "cdktf";
import { Construct } from "constructs";
import type { LicenseManagerSettings } from "./settings";

export interface LicenseManagerSettingsResourceProps {
  readonly settings: LicenseManagerSettings;
  /** Role the settings CLI assumes, as the provider does. @default - the caller's credentials */
  readonly roleArn?: string;
  /** What must exist before License Manager is called (its service-linked role, bucket and topic policies). */
  readonly dependsOn: ITerraformDependable[];
  /** Plan-time checks, e.g. that trusted access is enabled. */
  readonly preconditions: Precondition[];
}

/** Runs from cdktf.out/stacks/<stack>: the project root holds the CLI and its node_modules. */
const projectRoot = "${path.root}/../../..";

/**
 * License Manager's settings in one region. There is no Terraform resource for them
 * (terraform-provider-aws #24756), so a terraform_data resource runs the project's settings CLI, which
 * reads the live settings and calls UpdateServiceSettings only when they differ. It is replaced, and so
 * runs again, whenever the desired settings change; `license-manager-settings diff` finds drift.
 */
export class LicenseManagerSettingsResource extends Construct {
  readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: LicenseManagerSettingsResourceProps) {
    super(scope, id);
    const desired = { ...props.settings } as Record<string, unknown>;
    const roleOption = props.roleArn ? ` --role-arn ${props.roleArn}` : "";

    this.resource = new DataResource(this, "apply", {
      input: desired,
      triggersReplace: desired,
      dependsOn: props.dependsOn,
      lifecycle: { precondition: props.preconditions },
      provisioners: [
        {
          type: "local-exec",
          workingDir: projectRoot,
          // Passed through the environment so the shell never parses the JSON.
          command: `npx --no-install tsx tools/license-manager-settings.ts apply --desired "$LM_DESIRED_SETTINGS"${roleOption}`,
          environment: {
            LM_DESIRED_SETTINGS: Fn.jsonencode(desired),
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          },
        },
      ],
    });
  }
}
