/**
 * AWS's partitions and their regions as the AWS SDK knows them: the endpoint table that @aws-sdk/core resolves
 * every client's endpoint with (the Smithy rules' partitions.json). The package exports only a lookup,
 * `partition(region)`, which answers any string with some partition, so the table itself is read from the
 * module that holds it; test/aws/partitions.test.ts fails if an SDK update moves or reshapes it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { oneOf } from "../messages/alternatives";
import { awsRegionPattern } from "./arn";

interface AwsPartition {
  /** aws, aws-cn, aws-us-gov, … */
  readonly id: string;
  /** Its regions, without the SDK's pseudo-regions such as aws-global. */
  readonly regions: readonly string[];
}

interface PartitionTable {
  readonly partitions: readonly {
    readonly id: string;
    readonly regionRegex: string;
    readonly regions: Readonly<Record<string, unknown>>;
  }[];
}

const tableModule = "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js";

function readPartitions(): AwsPartition[] {
  const file = path.join(path.dirname(require.resolve("@aws-sdk/core/package.json")), tableModule);
  const text = readFileSync(file, "utf8");
  // The module is `export const partitionsInfo = { …JSON… };`.
  const table = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as PartitionTable;
  if (!Array.isArray(table.partitions) || table.partitions.length === 0) {
    throw new Error(`${file}: expected the AWS SDK's partition table, found no partitions`);
  }
  return table.partitions.map((partition) => {
    const regionPattern = new RegExp(partition.regionRegex);
    return {
      id: partition.id,
      regions: Object.keys(partition.regions).filter((region) => regionPattern.test(region)),
    };
  });
}

let partitions: readonly AwsPartition[] | undefined;

/** Every partition of the SDK's table, in its order. */
function awsPartitions(): readonly AwsPartition[] {
  partitions ??= readPartitions();
  return partitions;
}

export function awsPartitionIds(): string[] {
  return awsPartitions().map((partition) => partition.id);
}

/** Every region of every partition. */
export function awsRegions(): string[] {
  return awsPartitions().flatMap((partition) => partition.regions);
}

/** The partition a region belongs to; undefined for a region the SDK does not know. */
export function partitionOfRegion(region: string): string | undefined {
  return awsPartitions().find((partition) => partition.regions.includes(region))?.id;
}

/** Why `region` is not a region the SDK knows (with the closest one), or undefined when it is one. */
export function unknownRegionProblem(region: string): string | undefined {
  const regions = awsRegions();
  if (regions.includes(region)) return undefined;
  return `not an AWS region; expected ${oneOf(regions, { given: region, what: "regions the AWS SDK knows" })}`;
}

/**
 * Why an ARN's partition or region is not AWS's (an unknown partition, an unknown region, or a region of
 * another partition), or undefined when both are. Only the partition and region fields are judged.
 */
export function arnPartitionProblem(arn: string): string | undefined {
  const [, partitionId = "", , region = ""] = arn.split(":");
  const ids = awsPartitionIds();
  if (!ids.includes(partitionId)) {
    return `the ARN's partition ${JSON.stringify(partitionId)} is not one of AWS's partitions; expected ${oneOf(ids, { given: partitionId, what: "partitions" })}`;
  }
  if (region === "") return undefined;
  const regionProblem = unknownRegionProblem(region);
  if (regionProblem) return `the ARN's region ${JSON.stringify(region)} is ${regionProblem}`;
  const regionPartition = partitionOfRegion(region);
  return regionPartition === partitionId
    ? undefined
    : `the ARN's region ${region} is in the partition ${regionPartition}, not ${partitionId}`;
}

/** A region as a zod string: `message` when it is not shaped like one, then checked against the SDK's regions. */
export function regionSchema(message: string) {
  return z
    .string({ invalid_type_error: message })
    .regex(awsRegionPattern, message)
    .superRefine((region, ctx) => {
      const problem = awsRegionPattern.test(region) ? unknownRegionProblem(region) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });
}

/** An ARN as a zod string: `message` when it does not match `pattern`, then its partition and region checked. */
export function arnSchema(pattern: RegExp, message: string) {
  return z
    .string({ invalid_type_error: message })
    .regex(pattern, message)
    .superRefine((arn, ctx) => {
      const problem = pattern.test(arn) ? arnPartitionProblem(arn) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });
}
