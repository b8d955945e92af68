/**
 * What an organization has today, read with the plan role (npm run org), and the `organization` section of a
 * config for either mode, so a team writes its config without guessing: with `source: import` every principal
 * and policy type enabled now must be listed, or the removal guard fails the first plan.
 */
import {
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { stringify } from "yaml";
import { awsCall } from "../aws/errors";
import { policyTypes } from "../config/sections";
import { licenseManagerPrincipal, licenseManagerPrincipals } from "../names/license-manager";

interface OrganizationSurvey {
  readonly id: string;
  readonly featureSet: string;
  readonly managementAccountId: string;
  /** Every principal with trusted access, sorted. */
  readonly servicePrincipals: readonly string[];
  /** The policy types enabled on the root, sorted. */
  readonly enabledPolicyTypes: readonly string[];
  /** Delegated administrators of any service: account id and name. */
  readonly delegatedAdministrators: readonly { readonly id: string; readonly name: string }[];
  /** The delegated administrator for License Manager, if any. */
  readonly licenseManagerAdministrator?: string;
}

async function pages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}

export async function surveyOrganization(client: OrganizationsClient): Promise<OrganizationSurvey> {
  const call = <T>(operation: string, send: () => Promise<T>) => awsCall(`Organizations ${operation}`, send);
  const { Organization } = await call("DescribeOrganization", () =>
    client.send(new DescribeOrganizationCommand({})),
  );
  const principals = await pages(async (NextToken) => {
    const page = await call("ListAWSServiceAccessForOrganization", () =>
      client.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken })),
    );
    return {
      items: (page.EnabledServicePrincipals ?? []).map((entry) => entry.ServicePrincipal ?? ""),
      next: page.NextToken,
    };
  });
  const roots = await pages(async (NextToken) => {
    const page = await call("ListRoots", () => client.send(new ListRootsCommand({ NextToken })));
    return { items: page.Roots ?? [], next: page.NextToken };
  });
  const administrators = (ServicePrincipal?: string) =>
    pages(async (NextToken) => {
      const page = await call("ListDelegatedAdministrators", () =>
        client.send(new ListDelegatedAdministratorsCommand({ NextToken, ServicePrincipal })),
      );
      return { items: page.DelegatedAdministrators ?? [], next: page.NextToken };
    });
  const licenseManager = await administrators(licenseManagerPrincipal);
  return {
    id: Organization?.Id ?? "",
    featureSet: Organization?.FeatureSet ?? "",
    managementAccountId: Organization?.MasterAccountId ?? "",
    servicePrincipals: principals.filter(Boolean).sort(),
    enabledPolicyTypes: roots
      .flatMap((root) => root.PolicyTypes ?? [])
      .filter((policyType) => policyType.Status === "ENABLED")
      .map((policyType) => policyType.Type ?? "")
      .sort(),
    delegatedAdministrators: (await administrators()).map((account) => ({
      id: account.Id ?? "",
      name: account.Name ?? "",
    })),
    ...(licenseManager[0]?.Id !== undefined && { licenseManagerAdministrator: licenseManager[0].Id }),
  };
}

/** Principals whose presence says who else owns the organization; each is a reason to pick external. */
const ownerSignatures: Readonly<Record<string, string>> = {
  "controltower.amazonaws.com": "AWS Control Tower",
};

/** Policy types enabled that aws_organizations_organization cannot list here (config/sections.ts's policyTypes). */
function unsupportedPolicyTypes(survey: OrganizationSurvey): string[] {
  return survey.enabledPolicyTypes.filter((type) => !(policyTypes as readonly string[]).includes(type));
}

/** Which mode fits, and why: another owner's signature, policy types import cannot hold, or none. */
export function recommendedSource(survey: OrganizationSurvey): {
  source: "import" | "external";
  reason: string;
} {
  const unsupported = unsupportedPolicyTypes(survey);
  if (unsupported.length > 0) {
    return {
      source: "external",
      reason: `the root has ${unsupported.join(", ")} enabled, which source: import cannot list (the removal guard would fail every plan)`,
    };
  }
  const owners = survey.servicePrincipals.flatMap((principal) => ownerSignatures[principal] ?? []);
  if (owners.length > 0) {
    return {
      source: "external",
      reason: `${owners.join(", ")} manages this organization (trusted access for ${Object.keys(
        ownerSignatures,
      )
        .filter((principal) => survey.servicePrincipals.includes(principal))
        .join(", ")}): leave it the organization`,
    };
  }
  return {
    source: "import",
    reason:
      "no other owner shows in trusted access; pick external anyway if a Landing Zone Accelerator, AFT or another Terraform state manages the organization",
  };
}

/** The `organization` section of a config for each mode, as YAML. */
export function configSnippets(survey: OrganizationSurvey): { import: string; external: string } {
  const others = survey.servicePrincipals.filter(
    (principal) => !(licenseManagerPrincipals as readonly string[]).includes(principal),
  );
  const section = (organization: object) => stringify({ organization }, { flow: false }).trimEnd();
  return {
    import: section({
      source: "import",
      id: survey.id,
      // Everything enabled now: the removal guard fails a plan that would disable any of them.
      serviceAccessPrincipals: others,
      enabledPolicyTypes: survey.enabledPolicyTypes.filter(
        (type) => !unsupportedPolicyTypes(survey).includes(type),
      ),
      principalsAllowedToBeRemoved: [],
    }),
    external: section({ source: "external", id: survey.id }),
  };
}
