/**
 * License Manager's settings of one region, a kind on the reconcile contract (lib/reconcile/contract.ts):
 * there is no Terraform resource for them (terraform-provider-aws #24756). `apply` calls UpdateServiceSettings
 * only when a field differs, with the whole desired state, so License Manager sees a consistent set.
 */
import {
  GetServiceSettingsCommand,
  LicenseManagerClient,
  UpdateServiceSettingsCommand,
  type UpdateServiceSettingsCommandInput,
} from "@aws-sdk/client-license-manager";
import { z } from "zod";
import { examples, s3BucketArnPattern, snsTopicArnPattern } from "../aws/arn";
import { clientConfig } from "../aws/client-config";
import { awsCall } from "../aws/errors";
import { arnSchema, regionSchema } from "../aws/partitions";
import type { ReconcileKind, ReconcileTarget } from "../reconcile/contract";

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
type SettingsField = (typeof settingsFields)[number];

interface SettingsDifference {
  readonly field: SettingsField;
  readonly desired: boolean | string;
  readonly live: boolean | string | null;
}

const settingsKind = "license-manager-settings";

const trueOrFalse = {
  required_error: "is required (true or false)",
  invalid_type_error: "must be true or false",
};

export const licenseManagerSettingsSchema: z.ZodType<LicenseManagerSettings> = z
  .object({
    region: regionSchema(`must be a Region code such as ${examples.region}`).optional(),
    enableIntegration: z.boolean(trueOrFalse),
    enableCrossAccountsDiscovery: z.boolean(trueOrFalse),
    s3BucketArn: arnSchema(
      s3BucketArnPattern,
      `must be an S3 bucket ARN such as ${examples.s3BucketArn}`,
    ).optional(),
    snsTopicArn: arnSchema(
      snsTopicArnPattern,
      `must be an SNS topic ARN such as ${examples.snsTopicArn}`,
    ).optional(),
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

const clientFor = (target: ReconcileTarget) =>
  new LicenseManagerClient(clientConfig(target.region, target.credentials));

const switches = {
  enableIntegration: "License Manager's integration with Organizations",
  enableCrossAccountsDiscovery: "cross-account discovery",
} as const;

export const licenseManagerSettings: ReconcileKind<
  LicenseManagerSettings,
  LiveLicenseManagerSettings,
  LicenseManagerSettings
> = {
  kind: settingsKind,
  title: "License Manager settings",
  schema: licenseManagerSettingsSchema,
  read: (target) => readLiveSettings(clientFor(target), target.region),
  plan: (desired, live) => {
    const differences = diffSettings(desired, live);
    return { differences, actions: differences.length > 0 ? [desired] : [] };
  },
  apply: async (target, _desired, actions) => {
    const client = clientFor(target);
    for (const settings of actions) {
      await awsCall(`License Manager UpdateServiceSettings in ${target.region}`, () =>
        client.send(new UpdateServiceSettingsCommand(updateRequestFor(settings))),
      );
    }
  },
  // AWS keeps AWSServiceRoleForAWSLicenseManagerRole while the integration is on: a destroy of the stack
  // would fail deleting it.
  // Recorded before the contract: the settings' fields with their region beside them (the schema allows it).
  legacyInput: (input) =>
    input.kind === undefined && "enableIntegration" in input && typeof input.region === "string"
      ? { region: input.region, desired: input }
      : undefined,
  unlinked: (desired) => ({ ...desired, enableIntegration: false, enableCrossAccountsDiscovery: false }),
  risks: [
    {
      // Turning a switch off, or destroying the resource that holds it (which stops managing it).
      id: "license-manager-settings-turned-off",
      check: (before, after) =>
        Object.entries(switches).flatMap(([field, feature]) => {
          const key = field as keyof typeof switches;
          if (before[key] !== true) return [];
          if (after === undefined)
            return [`${feature} (${field}) is no longer managed: its settings resource is destroyed`];
          return after[key] === true
            ? []
            : [`turns off ${feature} (${field}: true -> ${JSON.stringify(after[key] ?? null)})`];
        }),
    },
  ],
  permissions: () => ({
    read: [
      {
        Sid: "LicenseManagerSettingsRead",
        Effect: "Allow",
        Action: ["license-manager:GetServiceSettings"],
        Resource: ["*"],
      },
    ],
    write: [
      {
        Sid: "LicenseManagerSettings",
        Effect: "Allow",
        Action: ["license-manager:UpdateServiceSettings"],
        Resource: ["*"],
      },
    ],
  }),
  summarize: (live) => [
    `Organizations integration ${live.enableIntegration ? "on" : "OFF"}, cross-account discovery ${live.enableCrossAccountsDiscovery ? "on" : "off"}`,
    `report bucket ${live.s3BucketArn ?? "none"}`,
    `alert topic   ${live.snsTopicArn ?? "none"}`,
    `resource share ${live.licenseManagerResourceShareArn ?? "none"}`,
  ],
};
