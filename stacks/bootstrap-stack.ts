import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { LockTable } from "../lib/backend/lock-table";
import { useRemoteState } from "../lib/backend/remote-state";
import { StateBucket } from "../lib/backend/state-bucket";
import type { EnvironmentConfig } from "../lib/config/model";
import { addAwsProvider } from "../lib/providers/aws-provider";
import { bootstrapLocalStateFile, stackNames } from "../lib/names/stacks";
import { awsProviderProps, remoteStateProps } from "./construct-props";
import type { StackOptions } from "./stack-options";

/**
 * The state backend every other stack uses. Its own state stays local until the bucket exists; then
 * backend.bootstrapStateInBackend moves it in (`cdktf deploy bootstrap --migrate-state`).
 */
export class BootstrapStack extends TerraformStack {
  constructor(scope: Construct, config: EnvironmentConfig, options: StackOptions = {}) {
    super(scope, stackNames.bootstrap);
    const { backend } = config;

    if (backend.bootstrapStateInBackend) {
      useRemoteState(this, remoteStateProps(config, stackNames.bootstrap, options.roleArn));
    } else {
      // Terraform runs in cdktf.out/stacks/<stack>: keep the state at the project root, where a new
      // synth does not remove it (.gitignore keeps it out of git). Named after the bucket, so the
      // sandbox's and a real environment's bootstrap states never mix.
      new LocalBackend(this, { path: `../../../${bootstrapLocalStateFile(config)}` });
    }
    addAwsProvider(
      this,
      "aws",
      awsProviderProps(config, {
        region: backend.region,
        stack: stackNames.bootstrap,
        roleArn: options.roleArn,
      }),
    );

    const stateBucket = new StateBucket(this, "state-bucket", {
      bucketName: backend.bucket,
      kmsKeyArn: backend.kmsKeyArn,
      noncurrentVersionExpirationDays: backend.noncurrentVersionExpirationDays,
    });
    new TerraformOutput(this, "state_bucket_arn", { value: stateBucket.bucket.arn });

    if (backend.locking === "dynamodb" && backend.dynamodbTable) {
      const lockTable = new LockTable(this, "lock-table", {
        tableName: backend.dynamodbTable,
        kmsKeyArn: backend.kmsKeyArn,
      });
      new TerraformOutput(this, "lock_table_arn", { value: lockTable.table.arn });
    }
  }
}
