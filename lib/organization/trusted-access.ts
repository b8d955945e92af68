/**
 * Trusted access for named service principals, one by one, a kind on the reconcile contract
 * (lib/reconcile/contract.ts), with the semantics of AWS provider 6.x's non-authoritative
 * aws_organizations_aws_service_access (terraform-provider-aws PR #46993), which provider 5.100.0 lacks: enable
 * a principal when it is missing, read only the principals it names, never disable any other. It disables one
 * of its own only when the desired state lists it under `disable`. Used with `organization.source: external`,
 * where another owner (Control Tower, LZA, AFT, another state) holds the organization's authoritative list.
 * On provider 6.x this file can give way to that resource.
 */
import {
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { z } from "zod";
import type { PolicyStatement } from "../access/policies";
import { clientConfig } from "../aws/client-config";
import { awsCall } from "../aws/errors";
import { didYouMean, listOf } from "../messages/alternatives";
import { principalEnabledReason } from "../review/risks/service-access-principal-enabled";
import { ownPrincipals } from "../names/license-manager";
import type { ReconcileKind, ReconcileTarget } from "../reconcile/contract";

const trustedAccessKind = "organizations-trusted-access";

/**
 * Only this project's own (License Manager's, and AWS Marketplace's for its grants): this kind never touches
 * another service's trusted access, whoever runs it.
 */
const principal = z.enum(ownPrincipals, {
  errorMap: (_issue, context) => ({
    message: `must be one of this project's principals, ${listOf(ownPrincipals)}${didYouMean(context.data, ownPrincipals)}`,
  }),
});

const desiredTrustedAccessSchema = z
  .object({
    /** Principals that must have trusted access. */
    enable: z.array(principal),
    /** Principals of this project's own that must not (the config asked to disable them). */
    disable: z.array(principal),
  })
  .strict()
  .superRefine((desired, context) => {
    desired.disable.forEach((name, index) => {
      if (desired.enable.includes(name)) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["disable", index],
          message: "is also in enable; expected a principal either enabled or disabled, not both",
        });
      }
    });
  });

export type DesiredTrustedAccess = z.output<typeof desiredTrustedAccessSchema>;

/**
 * This project's principals (projectPrincipals) to enable and to disable with source: external: those the config
 * lists in principalsAllowedToBeRemoved are disabled, the others enabled. The stack records it; the deploy role's
 * policy grants exactly it.
 */
export function projectTrustedAccess(
  principals: readonly string[],
  principalsAllowedToBeRemoved: readonly string[],
): DesiredTrustedAccess {
  const own = (principal: string): principal is (typeof ownPrincipals)[number] =>
    (ownPrincipals as readonly string[]).includes(principal);
  const listed = [...new Set([...principals, ...principalsAllowedToBeRemoved])].filter(own);
  const disabled = (principal: string) => principalsAllowedToBeRemoved.includes(principal);
  return {
    enable: listed.filter((principal) => !disabled(principal)),
    disable: listed.filter(disabled),
  };
}

/** Whether each named principal has trusted access now; no other principal is recorded. */
interface LiveTrustedAccess {
  readonly enabled: Readonly<Record<string, boolean>>;
}

type TrustedAccessAction =
  | { readonly kind: "enable"; readonly principal: string }
  | { readonly kind: "disable"; readonly principal: string };

const clientFor = (target: ReconcileTarget) =>
  new OrganizationsClient(clientConfig(target.region, target.credentials));

/**
 * Organizations has no per-principal read: like the provider's resource, list the enabled principals (paged)
 * and keep only those the desired state names.
 */
async function readTrustedAccess(
  target: ReconcileTarget,
  desired: DesiredTrustedAccess,
): Promise<LiveTrustedAccess> {
  const client = clientFor(target);
  const named = new Set<string>([...desired.enable, ...desired.disable]);
  const enabled = Object.fromEntries([...named].map((name) => [name, false]));
  let nextToken: string | undefined;
  do {
    const page = await awsCall("Organizations ListAWSServiceAccessForOrganization", () =>
      client.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: nextToken })),
    );
    for (const { ServicePrincipal: name } of page.EnabledServicePrincipals ?? []) {
      if (name !== undefined && named.has(name)) enabled[name] = true;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { enabled };
}

export function planTrustedAccess(desired: DesiredTrustedAccess, live: LiveTrustedAccess) {
  const differences = [];
  const actions: TrustedAccessAction[] = [];
  for (const name of desired.enable) {
    if (live.enabled[name] === true) continue;
    differences.push({ subject: `trusted access for ${name}`, field: "enabled", desired: true, live: false });
    actions.push({ kind: "enable" as const, principal: name });
  }
  for (const name of desired.disable) {
    if (live.enabled[name] !== true) continue;
    differences.push({ subject: `trusted access for ${name}`, field: "enabled", desired: false, live: true });
    actions.push({ kind: "disable" as const, principal: name });
  }
  return { differences, actions };
}

const condition = (principals: readonly string[]) => ({
  StringEquals: { "organizations:ServicePrincipal": [...principals] },
});

/** The deploy role's writes of trusted access: the organization stack's, in either mode. */
function trustedAccessStatements(enable: readonly string[], disable: readonly string[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (enable.length > 0) {
    statements.push({
      Sid: "TrustedAccessEnable",
      Effect: "Allow",
      Action: ["organizations:EnableAWSServiceAccess"],
      Resource: ["*"],
      Condition: condition(enable),
    });
  }
  if (disable.length > 0) {
    statements.push({
      Sid: "TrustedAccessDisable",
      Effect: "Allow",
      Action: ["organizations:DisableAWSServiceAccess"],
      Resource: ["*"],
      Condition: condition(disable),
    });
  }
  return statements;
}

export const trustedAccess: ReconcileKind<DesiredTrustedAccess, LiveTrustedAccess, TrustedAccessAction> = {
  kind: trustedAccessKind,
  title: "trusted access",
  schema: desiredTrustedAccessSchema,
  read: readTrustedAccess,
  plan: planTrustedAccess,
  apply: async (target, _desired, actions) => {
    const client = clientFor(target);
    for (const action of actions) {
      const input = { ServicePrincipal: action.principal };
      if (action.kind === "enable") {
        await awsCall(`Organizations EnableAWSServiceAccess for ${action.principal}`, () =>
          client.send(new EnableAWSServiceAccessCommand(input)),
        );
      } else {
        await awsCall(`Organizations DisableAWSServiceAccess for ${action.principal}`, () =>
          client.send(new DisableAWSServiceAccessCommand(input)),
        );
      }
    }
  },
  risks: [
    {
      id: "service-access-principal-enabled",
      check: (before, after) =>
        (after?.enable ?? []).filter((name) => !before.enable.includes(name)).map(principalEnabledReason),
    },
    {
      // Disabling trusted access cuts the service off from every account of the organization.
      id: "service-access-principal-removed",
      check: (before, after) =>
        (after?.disable ?? [])
          .filter((name) => !before.disable.includes(name))
          .map(
            (name) =>
              `disables trusted access for ${name}: the service loses access to every account of the organization`,
          ),
    },
  ],
  // The writes serve the organization resource too (source: import), which enables the same principals; with
  // source: external the config's principals are License Manager's two only.
  permissions: (props) => ({
    read: [
      {
        Sid: "TrustedAccessRead",
        Effect: "Allow",
        Action: ["organizations:ListAWSServiceAccessForOrganization"],
        Resource: ["*"],
      },
    ],
    write: trustedAccessStatements(props.serviceAccessPrincipals, props.principalsAllowedToBeRemoved),
  }),
  summarize: (live) =>
    Object.entries(live.enabled).map(([name, enabled]) => `${name}: ${enabled ? "enabled" : "NOT enabled"}`),
};
