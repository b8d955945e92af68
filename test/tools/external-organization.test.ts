/**
 * organization.source: external with terraform (hashicorp/aws 5.100.0) and the reconcile CLI against the
 * emulator: moving from import to external forgets the organization without disabling anything, another owner's
 * principals come and go without a change in the plan, License Manager's own principal disabled outside
 * Terraform is put back by the next apply, and moving back to import adopts the organization again.
 */
import {
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { licenseManagerPrincipals } from "../../lib/names/license-manager";
import { ExternalOrganization } from "../../lib/organization/external-organization";
import { projectTrustedAccess } from "../../lib/organization/trusted-access";
import { Organization } from "../../lib/organization/organization";
import { outOfBandChangeReverted } from "../../lib/review/risks/reconciled";
import { parsePlanJson } from "../../lib/terraform/plan-json";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { sandboxCredentials } from "./run-tool";
import { useStackAgainstEmulator } from "./stack-against-emulator";

const region = "us-east-1";
const [manager, member] = licenseManagerPrincipals;
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** The organization stack's constructs, at the ids OrganizationStack gives them. */
function importedStack(otherPrincipals: string[]): string {
  const stack = new TerraformStack(Testing.app(), "organization");
  new AwsProvider(stack, "aws", { region });
  new Organization(stack, "organization", {
    source: "import",
    organizationId: "o-sandbox00001",
    serviceAccessPrincipals: [...otherPrincipals, ...licenseManagerPrincipals],
    enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
    principalsAllowedToBeRemoved: [],
    configFile: "config/test.yaml",
  });
  return Testing.synth(stack);
}

function externalStack(importedAddress: string, disable: string[] = []): string {
  const stack = new TerraformStack(Testing.app(), "organization");
  new AwsProvider(stack, "aws", { region });
  new ExternalOrganization(stack, "organization", {
    region,
    organizationId: "o-sandbox00001",
    managementAccountId: "111111111111",
    principals: projectTrustedAccess(licenseManagerPrincipals, disable),
    configFile: "config/test.yaml",
    importedAddress,
  });
  return Testing.synth(stack);
}

describe("an organization owned elsewhere, with terraform and the reconcile CLI against the emulator", () => {
  const stack = useStackAgainstEmulator("organization");
  const { terraform, write } = stack;
  let organizations: OrganizationsClient;
  beforeAll(() => {
    organizations = new OrganizationsClient({
      region,
      endpoint: stack.emulator().url,
      credentials: sandboxCredentials,
    });
  });

  const apply = () => terraform("apply", "-auto-approve", "-input=false");
  /** Exit code of a plan: 0 no changes, 2 changes. */
  const plan = () => terraform("plan", "-input=false", "-detailed-exitcode");
  const enabled = async () =>
    (
      (await organizations.send(new ListAWSServiceAccessForOrganizationCommand({})))
        .EnabledServicePrincipals ?? []
    )
      .map((entry) => entry.ServicePrincipal!)
      .sort();
  const log = async () =>
    (await (await fetch(`${stack.emulator().url}/_sandbox/log`)).json()) as CallLogEntry[];
  const trustedAccessWrites = (entries: CallLogEntry[]) =>
    entries
      .filter((entry) => /^(Enable|Disable)AWSServiceAccess$/.test(entry.action))
      .map((entry) => `${entry.action} ${String(entry.conditionKeys?.["organizations:ServicePrincipal"])}`);

  it("moves from import to external and back without disabling anything, and puts back only License Manager's principals", async () => {
    const importJson = importedStack(["cloudtrail.amazonaws.com", "sso.amazonaws.com"]);
    const importedAddress = `aws_organizations_organization.${Object.keys(JSON.parse(importJson).resource.aws_organizations_organization)[0]}`;
    write(importJson);
    expect((await terraform("init", "-input=false")).exitCode).toBe(0);
    expect((await apply()).exitCode).toBe(0);
    const imported = await enabled();
    expect(imported).toEqual(["cloudtrail.amazonaws.com", manager, member, "sso.amazonaws.com"].sort());

    // Import → external: the plan forgets the organization; nothing is destroyed or disabled.
    const since = (await log()).length;
    write(externalStack(importedAddress));
    const move = await apply();
    expect(move.exitCode).toBe(0);
    expect(move.stdout).toContain(`${importedAddress} will no longer be managed by Terraform`);
    expect(move.stdout).toContain("0 destroyed");
    expect(await enabled()).toEqual(imported);
    expect((await terraform("state", "list")).stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^data\.aws_organizations_organization\./),
      expect.stringMatching(/^terraform_data\./),
    ]);
    expect(trustedAccessWrites((await log()).slice(since))).toEqual([]);

    // Another owner's principals come and go: nothing for this project to do.
    await organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "config.amazonaws.com" }));
    await organizations.send(
      new DisableAWSServiceAccessCommand({ ServicePrincipal: "cloudtrail.amazonaws.com" }),
    );
    expect((await plan()).exitCode).toBe(0);

    // License Manager's own, disabled outside Terraform: the plan replaces the reconciled resource, the apply
    // enables it again, and the next plan is clean.
    await organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: member }));
    const sinceDisabled = (await log()).length;
    const drifted = await terraform("plan", "-input=false", "-detailed-exitcode", "-out=drifted.tfplan");
    expect(drifted.exitCode).toBe(2);
    expect(drifted.stdout).toContain("must be replaced");
    // The review of that plan says why.
    const planJson = parsePlanJson(
      (await terraform("show", "-json", "drifted.tfplan")).stdout,
      "drifted plan",
    );
    const reasons = (planJson.resource_changes ?? []).flatMap((change) =>
      outOfBandChangeReverted.check({ stack: "organization", change }),
    );
    expect(reasons).toEqual([
      "puts back trusted access in us-east-1, changed outside Terraform since the last apply (npm run drift names what changed)",
    ]);
    const restore = await terraform("apply", "-auto-approve", "-input=false", "drifted.tfplan");
    expect(restore.stdout).toContain("Updated trusted access in us-east-1:");
    expect(restore.stdout).toContain(`trusted access for ${member}: enabled: false -> true`);
    expect(await enabled()).toEqual(["config.amazonaws.com", manager, member, "sso.amazonaws.com"].sort());
    expect((await plan()).exitCode).toBe(0);

    // What the project wrote to put it back: License Manager's principal only.
    expect(trustedAccessWrites((await log()).slice(sinceDisabled))).toEqual([
      `EnableAWSServiceAccess ${member}`,
    ]);

    // Disabled on purpose: only when the config lists it (principalsAllowedToBeRemoved), and only it.
    write(externalStack(importedAddress, [member]));
    expect((await apply()).exitCode).toBe(0);
    expect(await enabled()).toEqual(["config.amazonaws.com", manager, "sso.amazonaws.com"].sort());
    write(externalStack(importedAddress));
    expect((await apply()).exitCode).toBe(0);

    // External → import, listing what the other owner left enabled: the organization is imported again and
    // the reconciled resource goes without disabling anything.
    write(importedStack(["config.amazonaws.com", "sso.amazonaws.com"]));
    const back = await apply();
    expect(back.exitCode).toBe(0);
    expect(back.stdout).toContain("1 imported");
    expect(await enabled()).toEqual(["config.amazonaws.com", manager, member, "sso.amazonaws.com"].sort());
    expect((await plan()).exitCode).toBe(0);
  }, 480_000);
});
