import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/model";

export interface ProjectAwsProviderProps {
  readonly region: string;
  /** @default - the default provider of the stack */
  readonly alias?: string;
  /** @default - the caller's own credentials */
  readonly roleArn?: string;
}

/**
 * The AWS provider as every stack of this project uses it: locked to the management account (a wrong
 * credential fails before any call), assuming the stack's role when it has one, with the default tags.
 */
export function addAwsProvider(
  scope: Construct,
  id: string,
  config: EnvironmentConfig,
  props: ProjectAwsProviderProps,
): AwsProvider {
  const hasTags = Object.keys(config.defaultTags).length > 0;
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    allowedAccountIds: [config.managementAccountId],
    assumeRole: props.roleArn ? [{ roleArn: props.roleArn, sessionName: "license-manager-org" }] : undefined,
    defaultTags: hasTags ? [{ tags: { ...config.defaultTags } }] : undefined,
    s3UsePathStyle: config.s3Compatibility.usePathStyle || undefined,
  });
}
