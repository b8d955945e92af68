import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/model";
import { environmentName, projectTags } from "../names/project-tags";

export interface ProjectAwsProviderProps {
  readonly region: string;
  /** The stack the provider creates resources for: its name goes into the project's default tags. */
  readonly stack: string;
  /** @default - the default provider of the stack */
  readonly alias?: string;
  /** @default - the caller's own credentials */
  readonly roleArn?: string;
}

/**
 * The AWS provider as every stack of this project uses it: locked to the management account (a wrong
 * credential fails before any call), assuming the stack's role when it has one, with the default tags: the
 * config's defaultTags and the project's tags (project, environment from the config file name, stack).
 */
export function addAwsProvider(
  scope: Construct,
  id: string,
  config: EnvironmentConfig,
  props: ProjectAwsProviderProps,
): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    allowedAccountIds: [config.managementAccountId],
    assumeRole: props.roleArn ? [{ roleArn: props.roleArn, sessionName: "license-manager-org" }] : undefined,
    defaultTags: [
      {
        tags: {
          ...config.defaultTags,
          ...projectTags(config.environment ?? environmentName(config.sourceFile), props.stack),
        },
      },
    ],
    s3UsePathStyle: config.s3Compatibility.usePathStyle || undefined,
  });
}
