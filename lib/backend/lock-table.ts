import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";

interface LockTableProps {
  readonly tableName: string;
  /** @default - the AWS owned key */
  readonly kmsKeyArn?: string;
}

/** The DynamoDB table Terraform's S3 backend locks state with (hash key LockID, as the backend requires). */
export class LockTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: LockTableProps) {
    super(scope, id);
    this.table = new DynamodbTable(this, "table", {
      name: props.tableName,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "LockID",
      attribute: [{ name: "LockID", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
