/** Per table: what dynalite 4 does not keep (point-in-time recovery, encryption, deletion protection). */
export interface TableExtras {
  pointInTimeRecovery: boolean;
  sse?: { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string };
  deletionProtection?: boolean;
}

export interface DynamoReply {
  status: number;
  body: unknown;
}

type Input = Record<string, unknown>;

const tableName = (input: Input): string => String(input.TableName ?? "");

const kmsKeyArn = (region: string, keyId: string | undefined): string =>
  keyId?.startsWith("arn:") ? keyId : `arn:aws:kms:${region}:111111111111:alias/aws/dynamodb`;

/** Answers the continuous-backup calls dynalite lacks; undefined means "forward to dynalite". */
export function answerDynamo(
  tables: Record<string, TableExtras>,
  action: string,
  input: Input,
  tableExists: boolean,
): DynamoReply | undefined {
  if (action !== "UpdateContinuousBackups" && action !== "DescribeContinuousBackups") return undefined;
  const name = tableName(input);
  if (!tableExists) {
    return {
      status: 400,
      body: {
        __type: "com.amazonaws.dynamodb.v20120810#TableNotFoundException",
        message: `Table not found: ${name}`,
      },
    };
  }
  const extras = (tables[name] ??= { pointInTimeRecovery: false });
  if (action === "UpdateContinuousBackups") {
    const spec = input.PointInTimeRecoverySpecification as
      { PointInTimeRecoveryEnabled?: boolean } | undefined;
    extras.pointInTimeRecovery = spec?.PointInTimeRecoveryEnabled === true;
  }
  const now = Date.now() / 1000;
  return {
    status: 200,
    body: {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: "ENABLED",
        PointInTimeRecoveryDescription: extras.pointInTimeRecovery
          ? {
              PointInTimeRecoveryStatus: "ENABLED",
              RecoveryPeriodInDays: 35,
              EarliestRestorableDateTime: now,
              LatestRestorableDateTime: now,
            }
          : { PointInTimeRecoveryStatus: "DISABLED" },
      },
    },
  };
}

/** Remembers the SSE and deletion-protection settings of CreateTable / UpdateTable before dynalite drops them. */
export function rememberTableSettings(
  tables: Record<string, TableExtras>,
  action: string,
  input: Input,
): void {
  if (action === "DeleteTable") delete tables[tableName(input)];
  if (action !== "CreateTable" && action !== "UpdateTable") return;
  const extras = (tables[tableName(input)] ??= { pointInTimeRecovery: false });
  if (input.SSESpecification) extras.sse = input.SSESpecification as TableExtras["sse"];
  if (typeof input.DeletionProtectionEnabled === "boolean")
    extras.deletionProtection = input.DeletionProtectionEnabled;
}

/** An UpdateTable that only switches deletion protection, which dynalite would reject as empty. */
export const onlyDeletionProtection = (action: string, input: Input): boolean =>
  action === "UpdateTable" &&
  Object.keys(input).every((key) => key === "TableName" || key === "DeletionProtectionEnabled");

/** DeleteTable of a protected table fails as in AWS. */
export function refuseProtectedDelete(
  tables: Record<string, TableExtras>,
  action: string,
  input: Input,
): DynamoReply | undefined {
  if (action !== "DeleteTable" || !tables[tableName(input)]?.deletionProtection) return undefined;
  return {
    status: 400,
    body: {
      __type: "com.amazon.coral.validate#ValidationException",
      message: `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`,
    },
  };
}

/** Adds the SSEDescription AWS reports for tables encrypted with a KMS key. */
export function decorateTableDescription(
  tables: Record<string, TableExtras>,
  region: string,
  response: Input,
): Input {
  const table = (response.Table ?? response.TableDescription) as Input | undefined;
  if (table) table.DeletionProtectionEnabled = tables[String(table.TableName)]?.deletionProtection ?? false;
  const sse = table ? tables[String(table.TableName)]?.sse : undefined;
  if (table && sse?.Enabled) {
    table.SSEDescription = {
      Status: "ENABLED",
      SSEType: sse.SSEType ?? "KMS",
      KMSMasterKeyArn: kmsKeyArn(region, sse.KMSMasterKeyId),
    };
  }
  return response;
}
