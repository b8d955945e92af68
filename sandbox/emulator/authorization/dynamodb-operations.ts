import { requestTagContext, tagKeysContext } from "./context-keys";
import type { ContextValues, IamCheck } from "./types";

type Input = Record<string, unknown>;
type AttributeValue = Record<string, unknown>;

/** The partition key's attribute name of a table, or undefined when the table does not exist. */
export type PartitionKeyLookup = (tableName: string) => Promise<string | undefined>;

const ITEM_OPERATIONS = new Set(["GetItem", "PutItem", "DeleteItem", "UpdateItem"]);

const tableArn = (region: string, accountId: string, table: string): string =>
  `arn:aws:dynamodb:${region}:${accountId}:table/${table}`;

/**
 * A resource ARN of the request in the caller's account: dynalite answers with its own account id, and a
 * table or stream ARN is what IAM names either way.
 */
function resourceArn(arn: string, region: string, accountId: string): string {
  const match = /^arn:aws:dynamodb:[^:]*:[^:]*:(table\/.+)$/.exec(arn);
  return match ? `arn:aws:dynamodb:${region}:${accountId}:${match[1]}` : arn || "*";
}

const scalar = (value: AttributeValue | undefined): string | undefined => {
  const typed = value?.S ?? value?.N ?? value?.B;
  return typeof typed === "string" ? typed : undefined;
};

/** Request options DynamoDB offers as condition keys, when they are sent. */
function optionContext(input: Input): ContextValues {
  const context: ContextValues = {};
  for (const [field, key] of [
    ["ReturnValues", "dynamodb:ReturnValues"],
    ["ReturnConsumedCapacity", "dynamodb:ReturnConsumedCapacity"],
    ["Select", "dynamodb:Select"],
  ]) {
    if (typeof input[field] === "string") context[key] = input[field] as string;
  }
  return context;
}

/**
 * The IAM authorization of a DynamoDB operation: `dynamodb:<Operation>` on the table (or index) it names,
 * the tables of a batch, the resource of a tagging or resource-policy call, or `*`. Item operations carry
 * dynamodb:LeadingKeys, the item's partition key value (the lock table's LockID).
 */
export async function dynamoChecks(
  operation: string,
  input: Input,
  region: string,
  accountId: string,
  partitionKey: PartitionKeyLookup,
): Promise<IamCheck[]> {
  const action = `dynamodb:${operation}`;
  const context: ContextValues = optionContext(input);
  const withContext = (extra: ContextValues = {}) => {
    const merged = { ...context, ...extra };
    return Object.keys(merged).length > 0 ? { context: merged } : {};
  };

  if (typeof input.TableName === "string") {
    const table = input.TableName;
    const resources = [tableArn(region, accountId, table)];
    if (typeof input.IndexName === "string") resources.push(`${resources[0]}/index/${input.IndexName}`);
    if (ITEM_OPERATIONS.has(operation)) {
      const name = await partitionKey(table);
      const item = (operation === "PutItem" ? input.Item : input.Key) as
        Record<string, AttributeValue> | undefined;
      const value = name ? scalar(item?.[name]) : undefined;
      if (value !== undefined) context["dynamodb:LeadingKeys"] = [value];
    }
    if (operation === "CreateTable") {
      const tags = input.Tags as { Key: string; Value: string }[] | undefined;
      const create: IamCheck = { action, resources, ...withContext(requestTagContext(tags)) };
      // Creating with tags needs dynamodb:TagResource too (tag-on-create).
      return tags && tags.length > 0
        ? [create, { action: "dynamodb:TagResource", resources, context: requestTagContext(tags) }]
        : [create];
    }
    return [{ action, resources, ...withContext() }];
  }
  if (typeof input.ResourceArn === "string") {
    const resources = [resourceArn(input.ResourceArn, region, accountId)];
    const tagContext =
      operation === "TagResource"
        ? requestTagContext(input.Tags as { Key: string; Value: string }[] | undefined)
        : operation === "UntagResource"
          ? tagKeysContext(input.TagKeys as string[] | undefined)
          : {};
    return [{ action, resources, ...withContext(tagContext) }];
  }
  if (input.RequestItems && typeof input.RequestItems === "object") {
    const tables = Object.keys(input.RequestItems as object);
    return [
      { action, resources: tables.map((table) => tableArn(region, accountId, table)), ...withContext() },
    ];
  }
  return [{ action, resources: ["*"], ...withContext() }];
}
