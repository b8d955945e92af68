import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { projectTags } from "../names/project-tags";

export interface ProjectAwsProviderProps {
  readonly region: string;
  /** The only account the provider may act in: a wrong credential fails before any call. */
  readonly managementAccountId: string;
  /** The environment's name, for the project's `license-manager-org:environment` tag. */
  readonly environment: string;
  /** The stack the provider creates resources for: its name goes into the project's default tags. */
  readonly stack: string;
  /**
   * Tags on every resource the provider creates, besides the project's own (which win on a clash).
   * @default - the project's tags only
   */
  readonly defaultTags?: Readonly<Record<string, string>>;
  /** @default - the default provider of the stack */
  readonly alias?: string;
  /** @default - the caller's own credentials */
  readonly roleArn?: string;
  /**
   * Path-style S3 addressing, for S3-compatible endpoints that have no virtual-hosted buckets.
   * @default false
   */
  readonly s3UsePathStyle?: boolean;
}

/**
 * The AWS provider as every stack of this project uses it: locked to the management account (a wrong
 * credential fails before any call), assuming the stack's role when it has one, with the default tags: the
 * given defaultTags and the project's tags (project, environment, stack).
 */
export function addAwsProvider(scope: Construct, id: string, props: ProjectAwsProviderProps): AwsProvider {
  return new AwsProvider(scope, id, {
    region: props.region,
    alias: props.alias,
    allowedAccountIds: [props.managementAccountId],
    assumeRole: props.roleArn ? [{ roleArn: props.roleArn, sessionName: "license-manager-org" }] : undefined,
    defaultTags: [
      {
        tags: {
          ...props.defaultTags,
          ...projectTags(props.environment, props.stack),
        },
      },
    ],
    s3UsePathStyle: props.s3UsePathStyle || undefined,
  });
}
