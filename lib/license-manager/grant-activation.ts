/**
 * The activation of a region's grants, a kind on the reconcile contract (lib/reconcile/contract.ts). The grants
 * themselves are aws_licensemanager_grant resources; nothing in Terraform activates one (terraform-provider-aws
 * #34977): a grant the management account creates while License Manager is linked to Organizations is accepted
 * for its recipients ("You can automatically accept grants that come from the management account of your
 * organization", License Manager User Guide, "Grant acceptance and activation"), and is then DISABLED ("accepted
 * but not yet activated") until a new version sets it ACTIVE. `apply` calls CreateGrantVersion with Status ACTIVE
 * (and the Marketplace ActivationOverrideBehavior when configured) only where the status differs.
 */
import { randomUUID } from "node:crypto";
import {
  CreateGrantVersionCommand,
  DeleteGrantCommand,
  GetGrantCommand,
  LicenseManagerClient,
  ListReceivedGrantsForOrganizationCommand,
} from "@aws-sdk/client-license-manager";
import { z } from "zod";
import { arnParts, grantArnPattern, licenseArnPattern } from "../aws/arn";
import { clientConfig } from "../aws/client-config";
import { AwsCallError, awsCall, awsErrorCode } from "../aws/errors";
import type { PolicyStatement } from "../access/policies";
import {
  grantActivationOverrides,
  marketplaceLicenseManagementPrincipal,
  marketplaceLicenseManagementRoleName,
} from "../names/license-manager";
import type { Difference, ReconcileKind, ReconcileTarget } from "../reconcile/contract";

interface DesiredGrant {
  /** The grant's name and its principal as the config gives it, for messages. */
  readonly name: string;
  readonly principal: string;
  readonly grantArn: string;
  readonly licenseArn: string;
  readonly activate: boolean;
  readonly activationOverrideBehavior?: (typeof grantActivationOverrides)[number];
  /** Set by `reconcile unlink` before a destroy: the grant is deleted (see `unlinked`). */
  readonly deleted?: boolean;
}

export interface DesiredGrantActivation {
  readonly grants: readonly DesiredGrant[];
}

interface LiveGrant {
  /** The desired grant's subject ("grant "x" to organization"), for the report. */
  readonly subject: string;
  readonly grantArn: string;
  /** Null when License Manager has no such grant (deleted outside Terraform). */
  readonly status: string | null;
  readonly version: string | null;
  /** The Marketplace activation option the grant's current version carries. */
  readonly activationOverrideBehavior: string | null;
}

/** What one account of the organization received, as ListReceivedGrantsForOrganization tells the management account. */
interface ReceivedGrant {
  readonly grantArn: string;
  readonly accountId: string;
  readonly status: string;
}

interface LiveGrantActivation {
  readonly grants: readonly LiveGrant[];
  readonly received: readonly ReceivedGrant[];
}

interface GrantStatusChange {
  readonly grantArn: string;
  readonly status: "ACTIVE" | "DISABLED" | "DELETED";
  readonly sourceVersion: string;
  readonly activationOverrideBehavior?: (typeof grantActivationOverrides)[number];
}

const desiredGrantSchema = z
  .object({
    name: z.string().min(1),
    principal: z.string().min(1),
    grantArn: z.string().regex(grantArnPattern, "must be a grant ARN"),
    licenseArn: z.string().regex(licenseArnPattern, "must be a license ARN"),
    activate: z.boolean({
      required_error: "is required (true or false)",
      invalid_type_error: "must be true or false",
    }),
    activationOverrideBehavior: z.enum(grantActivationOverrides).optional(),
    deleted: z.boolean().optional(),
  })
  .strict();

const desiredGrantActivationSchema: z.ZodType<DesiredGrantActivation> = z
  .object({ grants: z.array(desiredGrantSchema) })
  .strict();

const clientFor = (target: ReconcileTarget) =>
  new LicenseManagerClient(clientConfig(target.region, target.credentials));

const subjectOf = (grant: DesiredGrant) => `grant "${grant.name}" to ${grant.principal}`;

/**
 * Gone for Terraform too: the provider reads DELETED and REJECTED grants as absent (grant.go, FindGrantByARN);
 * PENDING_DELETE is on its way there. Only an accepted grant (DISABLED or ACTIVE) can be activated or disabled;
 * the others (PENDING_WORKFLOW, PENDING_ACCEPT, FAILED_WORKFLOW, …) are named and left alone.
 */
const goneStatuses = new Set(["DELETED", "REJECTED", "PENDING_DELETE"]);
const accepted = new Set(["ACTIVE", "DISABLED"]);

/** The version a change of the grant starts from: GetGrant always returns it (API Reference, Grant). */
function versionOf(grant: LiveGrant | undefined): string {
  if (!grant?.version)
    throw new Error(`License Manager returned no version for ${grant?.grantArn ?? "a grant"}`);
  return grant.version;
}

async function readGrant(
  client: LicenseManagerClient,
  region: string,
  desired: DesiredGrant,
): Promise<LiveGrant> {
  const { grantArn } = desired;
  const subject = subjectOf(desired);
  try {
    const { Grant } = await client.send(new GetGrantCommand({ GrantArn: grantArn }));
    return {
      subject,
      grantArn,
      status: Grant?.GrantStatus ?? null,
      version: Grant?.Version ?? null,
      activationOverrideBehavior: Grant?.Options?.ActivationOverrideBehavior ?? null,
    };
  } catch (error) {
    if (awsErrorCode(error) === "ResourceNotFoundException")
      return { subject, grantArn, status: null, version: null, activationOverrideBehavior: null };
    throw new AwsCallError(`License Manager GetGrant ${grantArn} in ${region}`, error);
  }
}

async function readReceived(
  client: LicenseManagerClient,
  region: string,
  licenseArn: string,
): Promise<ReceivedGrant[]> {
  const received: ReceivedGrant[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall(`License Manager ListReceivedGrantsForOrganization in ${region}`, () =>
      client.send(
        new ListReceivedGrantsForOrganizationCommand({ LicenseArn: licenseArn, NextToken: nextToken }),
      ),
    );
    for (const grant of page.Grants ?? []) {
      const accountId = grant.GranteePrincipalArn ? arnParts(grant.GranteePrincipalArn).accountId : undefined;
      if (grant.GrantArn && accountId && grant.GrantStatus) {
        received.push({ grantArn: grant.GrantArn, accountId, status: grant.GrantStatus });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return received;
}

export const grantActivation: ReconcileKind<DesiredGrantActivation, LiveGrantActivation, GrantStatusChange> =
  {
    kind: "license-manager-grant-activation",
    title: "grant activations",
    schema: desiredGrantActivationSchema,
    read: async (target, desired) => {
      const client = clientFor(target);
      const grants: LiveGrant[] = [];
      for (const grant of desired.grants) grants.push(await readGrant(client, target.region, grant));
      const received: ReceivedGrant[] = [];
      for (const licenseArn of new Set(desired.grants.map((grant) => grant.licenseArn))) {
        received.push(...(await readReceived(client, target.region, licenseArn)));
      }
      return { grants, received };
    },
    plan: (desired, live) => {
      const differences: Difference[] = [];
      const actions: GrantStatusChange[] = [];
      for (const grant of desired.grants) {
        const subject = subjectOf(grant);
        const found = live.grants.find((each) => each.grantArn === grant.grantArn);
        const status = found?.status ?? null;
        const gone = status === null || goneStatuses.has(status);
        if (grant.deleted) {
          if (gone) continue;
          differences.push({ subject, field: "status", desired: "DELETED", live: status });
          actions.push({ grantArn: grant.grantArn, status: "DELETED", sourceVersion: versionOf(found) });
          continue;
        }
        const wanted = grant.activate ? "ACTIVE" : "DISABLED";
        if (gone) {
          // Terraform creates it again; the next apply of this kind activates the new one.
          differences.push({ subject, field: "status", desired: wanted, live: status ?? "deleted" });
          continue;
        }
        if (!accepted.has(status)) {
          // Not accepted (created before the organization link, or still in AWS's workflow): only its recipients
          // or AWS can move it on. Named, never acted on.
          differences.push({ subject, field: "status", desired: wanted, live: status });
          continue;
        }
        const override = grant.activate ? grant.activationOverrideBehavior : undefined;
        const overrideDiffers =
          override !== undefined && status === "ACTIVE" && found!.activationOverrideBehavior !== override;
        if (status !== wanted || overrideDiffers) {
          if (status !== wanted)
            differences.push({ subject, field: "status", desired: wanted, live: status });
          if (overrideDiffers) {
            differences.push({
              subject,
              field: "activationOverrideBehavior",
              desired: override,
              live: found!.activationOverrideBehavior,
            });
          }
          actions.push({
            grantArn: grant.grantArn,
            status: wanted,
            sourceVersion: versionOf(found),
            ...(override !== undefined && { activationOverrideBehavior: override }),
          });
        }
        // A recipient's own copy: rejected or left behind, which only that account can undo. Named, not acted on.
        for (const copy of live.received.filter((each) => each.grantArn === grant.grantArn)) {
          if (copy.status === wanted || copy.status === status) continue;
          differences.push({
            subject: `${subject}, as account ${copy.accountId} received it`,
            field: "status",
            desired: wanted,
            live: copy.status,
          });
        }
      }
      return { differences, actions };
    },
    apply: async (target, desired, actions) => {
      const client = clientFor(target);
      for (const action of actions) {
        const grant = desired.grants.find((each) => each.grantArn === action.grantArn);
        if (action.status === "DELETED") {
          await awsCall(`License Manager DeleteGrant of ${grant ? subjectOf(grant) : action.grantArn}`, () =>
            client.send(new DeleteGrantCommand({ GrantArn: action.grantArn, Version: action.sourceVersion })),
          );
          continue;
        }
        await awsCall(
          `License Manager CreateGrantVersion (Status ${action.status}) of ${grant ? subjectOf(grant) : action.grantArn} in ${target.region}`,
          () =>
            client.send(
              new CreateGrantVersionCommand({
                ClientToken: randomUUID(),
                GrantArn: action.grantArn,
                Status: action.status,
                SourceVersion: action.sourceVersion,
                ...(action.activationOverrideBehavior && {
                  Options: { ActivationOverrideBehavior: action.activationOverrideBehavior },
                }),
              }),
            ),
        );
      }
    },
    // The AWS provider cannot delete a grant: its DeleteGrant sends the word "version" as the version, which AWS
    // refuses ("A grant cannot be deleted since the version provided doesn't match the latest version …",
    // terraform-provider-aws #47901, in 5.100.0 and 6.x). Unlinking deletes them with their current version, so the
    // destroy that follows finds them deleted (the provider reads a DELETED grant as gone) and calls nothing.
    unlinked: (desired) => ({ grants: desired.grants.map((grant) => ({ ...grant, deleted: true })) }),
    risks: [
      {
        // A recipient loses the use of the license: deactivated, or no longer activated by this project.
        id: "license-grant-deactivated",
        check: (before, after) =>
          before.grants
            .filter((grant) => grant.activate)
            .flatMap((grant) => {
              const next = after?.grants.find(
                (each) => each.name === grant.name && each.principal === grant.principal,
              );
              if (after === undefined || next === undefined) return [];
              return next.activate
                ? []
                : [
                    `deactivates ${subjectOf(grant)} (activate: true -> false): its recipients can no longer use the license`,
                  ];
            }),
      },
    ],
    permissions: (props) => {
      const grants = `arn:${props.partition}:license-manager::${props.managementAccountId}:grant:*`;
      const marketplaceRole = `arn:${props.partition}:iam::${props.managementAccountId}:role/aws-service-role/${marketplaceLicenseManagementPrincipal}/${marketplaceLicenseManagementRoleName}`;
      const statement = (
        Sid: string,
        Action: string[],
        Resource: string[],
        Condition?: PolicyStatement["Condition"],
      ) => ({ Sid, Effect: "Allow", Action, Resource, ...(Condition && { Condition }) }) as PolicyStatement;
      const when = <T>(condition: boolean, statements: T[]): T[] => (condition ? statements : []);
      return {
        read: [
          ...when(props.grantedLicenseArns.length > 0, [
            statement("LicenseGrantsRead", ["license-manager:GetGrant"], [grants]),
            // No resource type (Service Authorization Reference).
            statement(
              "LicenseGrantsReceivedRead",
              ["license-manager:ListReceivedGrantsForOrganization"],
              ["*"],
            ),
          ]),
          ...when(props.marketplaceGrants, [
            statement("MarketplaceServiceLinkedRoleRead", ["iam:GetRole"], [marketplaceRole]),
          ]),
        ],
        write: [
          // The grants' Terraform resources (aws_licensemanager_grant) and their activation: CreateGrant is
          // authorized on the license it grants, the others on the grant.
          ...when(props.grantedLicenseArns.length > 0, [
            statement("LicenseGrantsCreate", ["license-manager:CreateGrant"], [...props.grantedLicenseArns]),
            statement(
              "LicenseGrantsWrite",
              [
                "license-manager:CreateGrantVersion",
                "license-manager:DeleteGrant",
                "license-manager:GetGrant",
              ],
              [grants],
            ),
          ]),
          // AWS Marketplace's service-linked role, which sharing its licenses needs (lib/names/license-manager.ts).
          ...when(props.marketplaceGrants, [
            statement(
              "MarketplaceServiceLinkedRoleCreate",
              ["iam:CreateServiceLinkedRole"],
              [marketplaceRole],
              {
                StringEquals: { "iam:AWSServiceName": [marketplaceLicenseManagementPrincipal] },
              },
            ),
            statement(
              "MarketplaceServiceLinkedRole",
              [
                "iam:DeleteServiceLinkedRole",
                "iam:GetRole",
                "iam:GetServiceLinkedRoleDeletionStatus",
                "iam:TagRole",
              ],
              [marketplaceRole],
            ),
          ]),
        ],
      };
    },
    summarize: (live) =>
      live.grants.map((grant) => {
        const accounts = live.received
          .filter((each) => each.grantArn === grant.grantArn)
          .map((each) => `${each.accountId} ${each.status}`);
        return `${grant.subject}: ${grant.status ?? "deleted"} (version ${grant.version ?? "-"}, ${grant.grantArn})${accounts.length > 0 ? `; accounts: ${accounts.join(", ")}` : ""}`;
      }),
  };
