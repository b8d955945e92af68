import {
  AcceptGrantCommand,
  CreateGrantCommand,
  CreateGrantVersionCommand,
  DeleteGrantCommand,
  GetGrantCommand,
  GetLicenseCommand,
  ListReceivedGrantsCommand,
  ListReceivedGrantsForOrganizationCommand,
  ListReceivedLicensesCommand,
  RejectGrantCommand,
  UpdateServiceSettingsCommand,
} from "@aws-sdk/client-license-manager";
import { CreateServiceLinkedRoleCommand } from "@aws-sdk/client-iam";
import { EnableAWSServiceAccessCommand } from "@aws-sdk/client-organizations";
import { grantActivation, type DesiredGrantActivation } from "../../lib/license-manager/grant-activation";
import { SANDBOX_MARKETPLACE_LICENSE_ARN as LICENSE } from "../../sandbox/emulator/seed";
import { assumeRole, clientsFor, errorCodeOf, memberAccessRole, useEmulator } from "./emulator-clients";

const ORGANIZATION = "arn:aws:organizations::111111111111:organization/o-sandbox00001";
const SECURITY = "444444444444";
const members = ["222222222222", "333333333333", SECURITY];

describe("License Manager grants of a license the management account holds", () => {
  const emulator = useEmulator();
  const management = () => clientsFor(emulator()).licenseManager;
  const member = async (accountId: string) =>
    clientsFor(emulator(), await assumeRole(emulator(), memberAccessRole(accountId))).licenseManager;
  /** What sharing a Marketplace license needs (AWS Marketplace Buyer Guide). */
  const marketplaceRole = () =>
    clientsFor(emulator()).iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: "license-management.marketplace.amazonaws.com" }),
    );
  const link = async () => {
    await marketplaceRole();
    await clientsFor(emulator()).organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
    );
    await management().send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
    );
  };
  const grant = (principal: string, name = "analytics") =>
    management().send(
      new CreateGrantCommand({
        ClientToken: `${name}-${principal}`,
        GrantName: name,
        LicenseArn: LICENSE,
        Principals: [principal],
        HomeRegion: "us-east-1",
        AllowedOperations: ["CheckoutLicense", "CheckInLicense"],
      }),
    );
  /** The reconcile CLI's target: the sandbox's administrator, in the license's home region. */
  const target = {
    region: "us-east-1",
    credentials: async () => ({ accessKeyId: "AKIASANDBOXMANAGEMENT", secretAccessKey: "sandbox-secret" }),
  };
  type DesiredGrant = DesiredGrantActivation["grants"][number];
  const desiredGrant = (
    name: string,
    principal: string,
    grantArn: string,
    changes: Partial<DesiredGrant> = {},
  ): DesiredGrant => ({ name, principal, grantArn, licenseArn: LICENSE, activate: true, ...changes });

  /** Each account's status of one grant, as the management account lists them. */
  const receivedStatuses = async (grantArn: string | undefined) => {
    const { Grants } = await management().send(
      new ListReceivedGrantsForOrganizationCommand({ LicenseArn: LICENSE }),
    );
    return Object.fromEntries(
      (Grants ?? [])
        .filter((each) => each.GrantArn === grantArn)
        .map((each) => [/::(\d{12}):root$/.exec(each.GranteePrincipalArn!)![1], each.GrantStatus]),
    );
  };

  it("waits for the recipient to accept when License Manager is not linked to the organization", async () => {
    const created = await grant(`arn:aws:iam::${SECURITY}:root`);
    expect(created).toMatchObject({ Status: "PENDING_ACCEPT", Version: "1" });
    const security = await member(SECURITY);
    const received = await security.send(new ListReceivedGrantsCommand({}));
    expect(received.Grants?.map((each) => each.GrantStatus)).toEqual(["PENDING_ACCEPT"]);
    const activate = (token: string) =>
      management().send(
        new CreateGrantVersionCommand({ ClientToken: token, GrantArn: created.GrantArn, Status: "ACTIVE" }),
      );
    const refusedFor = (reason: string) => ({
      name: "ValidationException",
      message: expect.stringContaining(reason),
    });
    // The grantor cannot activate what nobody accepted.
    await expect(activate("a")).rejects.toMatchObject(refusedFor("pending acceptance"));
    expect(await security.send(new AcceptGrantCommand({ GrantArn: created.GrantArn }))).toMatchObject({
      Status: "DISABLED",
    });
    // Accepted, but a Marketplace license is shared only with AWS Marketplace's service-linked role.
    await expect(activate("c")).rejects.toMatchObject(
      refusedFor("AWSServiceRoleForMarketplaceLicenseManagement"),
    );
    await marketplaceRole();
    await activate("b");
    const { Grant } = await security.send(new GetGrantCommand({ GrantArn: created.GrantArn }));
    expect(Grant).toMatchObject({ GrantStatus: "ACTIVE", Version: "2", LicenseArn: LICENSE });
    expect(
      (await security.send(new ListReceivedLicensesCommand({}))).Licenses?.map((l) => l.LicenseArn),
    ).toEqual([LICENSE]);
  });

  it("is accepted for every account of the organization when the management account grants it with the link on", async () => {
    await link();
    const created = await grant(ORGANIZATION);
    expect(created.Status).toBe("DISABLED");
    expect(await receivedStatuses(created.GrantArn)).toEqual(
      Object.fromEntries(members.map((id) => [id, "DISABLED"])),
    );

    await management().send(
      new CreateGrantVersionCommand({
        ClientToken: "activate",
        GrantArn: created.GrantArn,
        Status: "ACTIVE",
        Options: { ActivationOverrideBehavior: "DISTRIBUTED_GRANTS_ONLY" },
      }),
    );
    expect(await receivedStatuses(created.GrantArn)).toEqual(
      Object.fromEntries(members.map((id) => [id, "ACTIVE"])),
    );

    // One account rejects: only its own copy changes.
    await (await member("222222222222")).send(new RejectGrantCommand({ GrantArn: created.GrantArn }));
    expect(await receivedStatuses(created.GrantArn)).toMatchObject({
      "222222222222": "REJECTED",
      [SECURITY]: "ACTIVE",
    });

    const { Grant } = await management().send(new GetGrantCommand({ GrantArn: created.GrantArn }));
    await management().send(new DeleteGrantCommand({ GrantArn: created.GrantArn, Version: Grant!.Version }));
    expect(
      (await management().send(new GetGrantCommand({ GrantArn: created.GrantArn }))).Grant?.GrantStatus,
    ).toBe("DELETED");
  });

  it("refuses what License Manager refuses, with its error codes", async () => {
    const created = await grant(`arn:aws:iam::${SECURITY}:root`);
    const security = await member(SECURITY);
    // Only the license's holder may grant it; a recipient cannot change the grantor's grant.
    expect(
      await errorCodeOf(
        security.send(
          new CreateGrantCommand({
            ClientToken: "x",
            GrantName: "x",
            LicenseArn: LICENSE,
            Principals: ["arn:aws:iam::222222222222:root"],
            HomeRegion: "us-east-1",
            AllowedOperations: ["CheckoutLicense"],
          }),
        ),
      ),
    ).toBe("AccessDeniedException");
    expect(
      await errorCodeOf(
        security.send(
          new CreateGrantVersionCommand({ ClientToken: "x", GrantArn: created.GrantArn, Status: "DISABLED" }),
        ),
      ),
    ).toBe("AccessDeniedException");
    // ActivationOverrideBehavior only with Status ACTIVE (API Reference, Options).
    expect(
      await errorCodeOf(
        management().send(
          new CreateGrantVersionCommand({
            ClientToken: "y",
            GrantArn: created.GrantArn,
            Options: { ActivationOverrideBehavior: "ALL_GRANTS_PERMITTED_BY_ISSUER" },
          }),
        ),
      ),
    ).toBe("ValidationException");
    expect(
      await errorCodeOf(
        management().send(new DeleteGrantCommand({ GrantArn: created.GrantArn, Version: "7" })),
      ),
    ).toBe("ValidationException");
    expect(
      await errorCodeOf(
        management().send(
          new GetGrantCommand({
            GrantArn: "arn:aws:license-manager::111111111111:grant:g-00000000000000000000000000000000",
          }),
        ),
      ),
    ).toBe("ResourceNotFoundException");
    expect(
      await errorCodeOf(
        clientsFor(emulator(), undefined, "eu-west-1").licenseManager.send(
          new CreateGrantCommand({
            ClientToken: "z",
            GrantName: "z",
            LicenseArn: LICENSE,
            Principals: [ORGANIZATION],
            HomeRegion: "eu-west-1",
            AllowedOperations: ["CheckoutLicense"],
          }),
        ),
      ),
    ).toBe("InvalidParameterValueException");
    expect(
      (await management().send(new GetLicenseCommand({ LicenseArn: LICENSE }))).License?.Issuer?.Name,
    ).toBe("AWS/Marketplace");
  });

  it("the grant-activation kind applies a new Marketplace option, disables a grant no longer activated, and names a recipient's rejection", async () => {
    await link();
    const organizationGrant = (await grant(ORGANIZATION, "organization")).GrantArn!;
    const desiredWith = (changes: Partial<DesiredGrant>): DesiredGrantActivation => ({
      grants: [desiredGrant("organization", "organization", organizationGrant, changes)],
    });
    process.env.AWS_ENDPOINT_URL_LICENSE_MANAGER = emulator().url;
    try {
      const converge = async (desired: DesiredGrantActivation) => {
        const plan = grantActivation.plan(desired, await grantActivation.read(target, desired));
        await grantActivation.apply(target, desired, plan.actions);
        return plan;
      };
      await converge(desiredWith({}));
      const overridden = await converge(
        desiredWith({ activationOverrideBehavior: "ALL_GRANTS_PERMITTED_BY_ISSUER" }),
      );
      expect(overridden.differences).toEqual([
        {
          subject: 'grant "organization" to organization',
          field: "activationOverrideBehavior",
          desired: "ALL_GRANTS_PERMITTED_BY_ISSUER",
          live: null,
        },
      ]);
      const { Grant } = await management().send(new GetGrantCommand({ GrantArn: organizationGrant }));
      expect(Grant?.Options).toEqual({ ActivationOverrideBehavior: "ALL_GRANTS_PERMITTED_BY_ISSUER" });

      const disabled = await converge(desiredWith({ activate: false }));
      expect(disabled.actions).toEqual([
        expect.objectContaining({ grantArn: organizationGrant, status: "DISABLED" }),
      ]);
      expect(await receivedStatuses(organizationGrant)).toMatchObject({ [SECURITY]: "DISABLED" });

      await converge(desiredWith({}));
      await (await member("222222222222")).send(new RejectGrantCommand({ GrantArn: organizationGrant }));
      const rejected = await converge(desiredWith({}));
      expect(rejected.differences).toEqual([
        {
          subject: 'grant "organization" to organization, as account 222222222222 received it',
          field: "status",
          desired: "ACTIVE",
          live: "REJECTED",
        },
      ]);
      expect(rejected.actions).toEqual([]);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_LICENSE_MANAGER;
    }
  });

  it("is activated by the grant-activation kind, which names a deactivation made outside Terraform and restores it", async () => {
    await link();
    const organizationGrant = (await grant(ORGANIZATION, "organization")).GrantArn!;
    const securityGrant = (await grant(`arn:aws:iam::${SECURITY}:root`, "security")).GrantArn!;
    const desired: DesiredGrantActivation = {
      grants: [
        desiredGrant("organization", "organization", organizationGrant),
        desiredGrant("security", SECURITY, securityGrant, { activate: false }),
      ],
    };
    const organizationDisabled = [
      {
        subject: 'grant "organization" to organization',
        field: "status",
        desired: "ACTIVE",
        live: "DISABLED",
      },
    ];
    process.env.AWS_ENDPOINT_URL_LICENSE_MANAGER = emulator().url;
    try {
      const first = grantActivation.plan(desired, await grantActivation.read(target, desired));
      expect(first.differences).toEqual(organizationDisabled);
      await grantActivation.apply(target, desired, first.actions);
      const live = await grantActivation.read(target, desired);
      expect(grantActivation.plan(desired, live).differences).toEqual([]);
      expect(grantActivation.summarize(live)[0]).toContain(`${SECURITY} ACTIVE`);

      // Deactivated out of band: the kind names it, and applying restores it.
      await management().send(
        new CreateGrantVersionCommand({
          ClientToken: "oob",
          GrantArn: organizationGrant,
          Status: "DISABLED",
        }),
      );
      const drifted = grantActivation.plan(desired, await grantActivation.read(target, desired));
      expect(drifted.differences).toEqual(organizationDisabled);
      await grantActivation.apply(target, desired, drifted.actions);
      expect(await receivedStatuses(organizationGrant)).toMatchObject({
        "222222222222": "ACTIVE",
        [SECURITY]: "ACTIVE",
      });

      // Deleted out of band: named, and left to Terraform, which creates it again.
      const { Grant } = await management().send(new GetGrantCommand({ GrantArn: securityGrant }));
      await management().send(new DeleteGrantCommand({ GrantArn: securityGrant, Version: Grant!.Version }));
      const deleted = grantActivation.plan(desired, await grantActivation.read(target, desired));
      expect(deleted.differences).toEqual([
        {
          subject: `grant "security" to ${SECURITY}`,
          field: "status",
          desired: "DISABLED",
          live: "DELETED",
        },
      ]);
      expect(deleted.actions).toEqual([]);

      // Unlinking (before a destroy) deletes them with their current version, which the AWS provider cannot:
      // it sends the word "version" (terraform-provider-aws #47901), and AWS refuses it.
      expect(
        await errorCodeOf(
          management().send(new DeleteGrantCommand({ GrantArn: organizationGrant, Version: "version" })),
        ),
      ).toBe("ValidationException");
      const unlinked = grantActivation.unlinked!(desired);
      const unlink = grantActivation.plan(unlinked, await grantActivation.read(target, unlinked));
      expect(unlink.differences).toEqual([
        {
          subject: 'grant "organization" to organization',
          field: "status",
          desired: "DELETED",
          live: "ACTIVE",
        },
      ]);
      await grantActivation.apply(target, unlinked, unlink.actions);
      const { Grant: gone } = await management().send(new GetGrantCommand({ GrantArn: organizationGrant }));
      expect(gone?.GrantStatus).toBe("DELETED");
      expect(grantActivation.plan(unlinked, await grantActivation.read(target, unlinked)).actions).toEqual(
        [],
      );
    } finally {
      delete process.env.AWS_ENDPOINT_URL_LICENSE_MANAGER;
    }
  });
});
