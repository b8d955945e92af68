import type { RemoteStateProps } from "../lib/backend/remote-state";
import type { EnvironmentConfig } from "../lib/config/model";
import { environmentName } from "../lib/names/project-tags";
import { stateKey } from "../lib/names/stacks";
import type { ProjectAwsProviderProps } from "../lib/providers/aws-provider";

/** Where the config meets the constructs: the stacks map it to each construct's own props here. */

/** A stack's AWS provider in a region: the config's account, tags and S3 compatibility. */
export function awsProviderProps(
  config: EnvironmentConfig,
  props: {
    readonly region: string;
    readonly stack: string;
    readonly alias?: string;
    readonly roleArn?: string;
  },
): ProjectAwsProviderProps {
  return {
    ...props,
    managementAccountId: config.managementAccountId,
    environment: config.environment ?? environmentName(config.sourceFile),
    defaultTags: config.defaultTags,
    s3UsePathStyle: config.s3Compatibility.usePathStyle,
  };
}

/** A stack's state in the configured backend, under the stack's own key. */
export function remoteStateProps(
  config: EnvironmentConfig,
  stackName: string,
  roleArn?: string,
): RemoteStateProps {
  const { backend, s3Compatibility } = config;
  return {
    bucket: backend.bucket,
    key: stateKey(config, stackName),
    region: backend.region,
    locking: backend.locking,
    dynamodbTable: backend.dynamodbTable,
    kmsKeyArn: backend.kmsKeyArn,
    roleArn,
    usePathStyle: s3Compatibility.usePathStyle,
    skipBackendValidation: s3Compatibility.skipBackendValidation,
  };
}
