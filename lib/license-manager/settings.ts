import {
  GetServiceSettingsCommand,
  LicenseManagerClient,
  UpdateServiceSettingsCommand,
  type UpdateServiceSettingsCommandInput,
} from "@aws-sdk/client-license-manager";
import { z } from "zod";
import { awsRegionPattern, examples, s3BucketArnPattern, snsTopicArnPattern } from "../aws/arn";
import { awsCall } from "../aws/errors";

/** License Manager settings of one Region. Optional ARNs are left as they are when absent. */
export interface LicenseManagerSettings {
  readonly region?: string;
  readonly enableIntegration: boolean;
  readonly enableCrossAccountsDiscovery: boolean;
  readonly s3BucketArn?: string;
  readonly snsTopicArn?: string;
}

export interface LiveLicenseManagerSettings {
  readonly region: string;
  readonly enableIntegration: boolean;
  readonly enableCrossAccountsDiscovery: boolean;
  readonly s3BucketArn: string | null;
  readonly snsTopicArn: string | null;
  readonly licenseManagerResourceShareArn: string | null;
}

const settingsFields = [
  "enableIntegration",
  "enableCrossAccountsDiscovery",
  "s3BucketArn",
  "snsTopicArn",
] as const;
export type SettingsField = (typeof settingsFields)[number];

export interface SettingsDifference {
  readonly field: SettingsField;
  readonly desired: boolean | string;
  readonly live: boolean | string | null;
}

const trueOrFalse = {
  required_error: "is required (true or false)",
  invalid_type_error: "must be true or false",
};

export const licenseManagerSettingsSchema: z.ZodType<LicenseManagerSettings> = z
  .object({
    region: z
      .string({ invalid_type_error: `must be a Region code such as ${examples.region}` })
      .regex(awsRegionPattern, `must be a Region code such as ${examples.region}`)
      .optional(),
    enableIntegration: z.boolean(trueOrFalse),
    enableCrossAccountsDiscovery: z.boolean(trueOrFalse),
    s3BucketArn: z
      .string({ invalid_type_error: `must be an S3 bucket ARN such as ${examples.s3BucketArn}` })
      .regex(s3BucketArnPattern, `must be an S3 bucket ARN such as ${examples.s3BucketArn}`)
      .optional(),
    snsTopicArn: z
      .string({ invalid_type_error: `must be an SNS topic ARN such as ${examples.snsTopicArn}` })
      .regex(snsTopicArnPattern, `must be an SNS topic ARN such as ${examples.snsTopicArn}`)
      .optional(),
  })
  .strict()
  .superRefine((settings, context) => {
    // License Manager discovers resources in other accounts only through the Organizations integration.
    if (settings.enableCrossAccountsDiscovery && !settings.enableIntegration) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["enableCrossAccountsDiscovery"],
        message:
          "can be true only when enableIntegration is true (cross-account discovery needs the Organizations integration)",
      });
    }
  });

/** Bad desired settings; the message names the field, the value and what is expected. */
export class SettingsInputError extends Error {
  override readonly name = "SettingsInputError";
}

/** Parses desired settings JSON; `source` names where it came from, e.g. "--desired-file settings.json". */
export function parseDesiredSettings(json: string, source: string): LicenseManagerSettings {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch (error) {
    throw new SettingsInputError(
      `${source} is not valid JSON (${(error as Error).message}); expected an object such as ` +
        `{"region": "${examples.region}", "enableIntegration": true, "enableCrossAccountsDiscovery": false}`,
    );
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SettingsInputError(`${source} must be a JSON object (got ${JSON.stringify(input)})`);
  }
  const result = licenseManagerSettingsSchema.safeParse(input);
  if (!result.success) {
    const messages = result.error.issues.map((issue) => describeSettingsIssue(issue, input as object));
    throw new SettingsInputError(`${source}: ${messages.join("; ")}`);
  }
  return result.data;
}

const knownFields = ["region", ...settingsFields];

function describeSettingsIssue(issue: z.ZodIssue, input: object): string {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return issue.keys
      .map(
        (key) =>
          `unknown field ${key} (got ${JSON.stringify(input[key as keyof typeof input])}); known fields are ${knownFields.join(", ")}`,
      )
      .join("; ");
  }
  const field = issue.path.join(".");
  const value = input[issue.path[0] as keyof typeof input];
  return value === undefined
    ? `${field} ${issue.message}`
    : `${field} ${issue.message} (got ${JSON.stringify(value)})`;
}

export async function readLiveSettings(
  client: LicenseManagerClient,
  region: string,
): Promise<LiveLicenseManagerSettings> {
  const response = await awsCall(`License Manager GetServiceSettings in ${region}`, () =>
    client.send(new GetServiceSettingsCommand({})),
  );
  return {
    region,
    enableIntegration: response.OrganizationConfiguration?.EnableIntegration ?? false,
    enableCrossAccountsDiscovery: response.EnableCrossAccountsDiscovery ?? false,
    s3BucketArn: response.S3BucketArn ?? null,
    snsTopicArn: response.SnsTopicArn ?? null,
    licenseManagerResourceShareArn: response.LicenseManagerResourceShareArn ?? null,
  };
}

/** Every field whose desired value differs from the live one; absent optional fields are not compared. */
export function diffSettings(
  desired: LicenseManagerSettings,
  live: LiveLicenseManagerSettings,
): SettingsDifference[] {
  const differences: SettingsDifference[] = [];
  for (const field of settingsFields) {
    const desiredValue = desired[field];
    if (desiredValue !== undefined && desiredValue !== live[field]) {
      differences.push({ field, desired: desiredValue, live: live[field] });
    }
  }
  return differences;
}

/** The whole desired state, so License Manager sees a consistent set of settings in one call. */
function updateRequestFor(desired: LicenseManagerSettings): UpdateServiceSettingsCommandInput {
  return {
    OrganizationConfiguration: { EnableIntegration: desired.enableIntegration },
    EnableCrossAccountsDiscovery: desired.enableCrossAccountsDiscovery,
    ...(desired.s3BucketArn !== undefined && { S3BucketArn: desired.s3BucketArn }),
    ...(desired.snsTopicArn !== undefined && { SnsTopicArn: desired.snsTopicArn }),
  };
}

export interface ApplyResult {
  readonly region: string;
  readonly updated: boolean;
  readonly changes: readonly SettingsDifference[];
}

/** Reads the live settings and calls UpdateServiceSettings only when something differs. */
export async function applySettings(
  client: LicenseManagerClient,
  region: string,
  desired: LicenseManagerSettings,
): Promise<ApplyResult> {
  const changes = diffSettings(desired, await readLiveSettings(client, region));
  if (changes.length === 0) return { region, updated: false, changes };
  await awsCall(`License Manager UpdateServiceSettings in ${region}`, () =>
    client.send(new UpdateServiceSettingsCommand(updateRequestFor(desired))),
  );
  return { region, updated: true, changes };
}

export function describeDifference(difference: SettingsDifference): string {
  return `${difference.field}: desired ${JSON.stringify(difference.desired)}, live ${JSON.stringify(difference.live)}`;
}
