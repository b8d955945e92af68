import {
  CreateOrganizationCommand,
  DeleteOrganizationCommand,
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  DisableAWSServiceAccessCommand,
  DisablePolicyTypeCommand,
  EnableAWSServiceAccessCommand,
  EnablePolicyTypeCommand,
  ListAccountsCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-organizations";
import { defaultSeed } from "../../sandbox/emulator/seed";
import { assumeRole, clientsFor, errorCodeOf, memberAccessRole, useEmulator } from "./emulator-clients";

describe("Organizations emulation", () => {
  const emulator = useEmulator();
  const organizations = () => clientsFor(emulator()).organizations;
  const memberOrganizations = async () =>
    clientsFor(emulator(), await assumeRole(emulator(), memberAccessRole("333333333333"))).organizations;

  it("describes the seeded organization with ALL features", async () => {
    const { Organization } = await organizations().send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({
      Id: "o-sandbox00001",
      FeatureSet: "ALL",
      MasterAccountId: "111111111111",
      Arn: "arn:aws:organizations::111111111111:organization/o-sandbox00001",
    });
    expect(Organization!.Id).toMatch(/^o-[a-z0-9]{10,32}$/);
  });

  it("lists the four accounts and the root with SCPs enabled", async () => {
    const { Accounts } = await organizations().send(new ListAccountsCommand({}));
    expect(Accounts!.map((a) => [a.Id, a.Name])).toEqual([
      ["111111111111", "management"],
      ["222222222222", "workloads-dev"],
      ["333333333333", "workloads-prod"],
      ["444444444444", "security"],
    ]);
    expect(Accounts![0].JoinedTimestamp).toBeInstanceOf(Date);
    const { Roots } = await organizations().send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      expect.objectContaining({
        Id: "r-sb01",
        PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
      }),
    ]);
  });

  it("describes one account and refuses an unknown one", async () => {
    const { Account } = await organizations().send(new DescribeAccountCommand({ AccountId: "444444444444" }));
    expect(Account?.Name).toBe("security");
    expect(
      await errorCodeOf(organizations().send(new DescribeAccountCommand({ AccountId: "999999999999" }))),
    ).toBe("AccountNotFoundException");
  });

  it("lets a member describe the organization but not call management APIs", async () => {
    const member = await memberOrganizations();
    const { Organization } = await member.send(new DescribeOrganizationCommand({}));
    expect(Organization?.Id).toBe("o-sandbox00001");
    expect(await errorCodeOf(member.send(new ListAccountsCommand({})))).toBe("AccessDeniedException");
    expect(
      await errorCodeOf(
        member.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" })),
      ),
    ).toBe("AccessDeniedException");
  });

  it("enables and disables trusted service access, idempotently", async () => {
    const enable = new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" });
    await organizations().send(enable);
    await organizations().send(enable);
    const listPrincipals = async () =>
      (await organizations().send(new ListAWSServiceAccessForOrganizationCommand({})))
        .EnabledServicePrincipals!.map((p) => p.ServicePrincipal)
        .sort();
    expect(await listPrincipals()).toEqual([
      "cloudtrail.amazonaws.com",
      "license-manager.amazonaws.com",
      "sso.amazonaws.com",
    ]);
    await organizations().send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }));
    expect(await listPrincipals()).toEqual(["cloudtrail.amazonaws.com", "license-manager.amazonaws.com"]);
  });

  it("enables and disables policy types on the root with AWS's errors", async () => {
    const scp = { RootId: "r-sb01", PolicyType: "SERVICE_CONTROL_POLICY" as const };
    expect(await errorCodeOf(organizations().send(new EnablePolicyTypeCommand(scp)))).toBe(
      "PolicyTypeAlreadyEnabledException",
    );
    const { Root } = await organizations().send(
      new EnablePolicyTypeCommand({ RootId: "r-sb01", PolicyType: "TAG_POLICY" }),
    );
    expect(Root?.PolicyTypes?.map((p) => p.Type)).toEqual(["SERVICE_CONTROL_POLICY", "TAG_POLICY"]);
    await organizations().send(new DisablePolicyTypeCommand(scp));
    expect(await errorCodeOf(organizations().send(new DisablePolicyTypeCommand(scp)))).toBe(
      "PolicyTypeNotEnabledException",
    );
    expect(
      await errorCodeOf(organizations().send(new EnablePolicyTypeCommand({ ...scp, RootId: "r-nope" }))),
    ).toBe("RootNotFoundException");
  });

  it("refuses to create a second organization or delete one that still has members", async () => {
    expect(
      await errorCodeOf(organizations().send(new CreateOrganizationCommand({ FeatureSet: "ALL" }))),
    ).toBe("AlreadyInOrganizationException");
    expect(await errorCodeOf(organizations().send(new DeleteOrganizationCommand({})))).toBe(
      "OrganizationNotEmptyException",
    );
  });

  it("tags accounts and lists the tags", async () => {
    await organizations().send(
      new TagResourceCommand({ ResourceId: "222222222222", Tags: [{ Key: "env", Value: "dev" }] }),
    );
    const { Tags } = await organizations().send(
      new ListTagsForResourceCommand({ ResourceId: "222222222222" }),
    );
    expect(Tags).toEqual([{ Key: "env", Value: "dev" }]);
  });
});

describe("Organizations emulation without an organization", () => {
  const emulator = useEmulator({ seed: { ...defaultSeed, organization: null } });
  const organizations = () => clientsFor(emulator()).organizations;

  it("reports AWSOrganizationsNotInUseException, then creates and deletes an organization", async () => {
    expect(await errorCodeOf(organizations().send(new DescribeOrganizationCommand({})))).toBe(
      "AWSOrganizationsNotInUseException",
    );
    const { Organization } = await organizations().send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    expect(Organization?.Id).toMatch(/^o-[a-z0-9]{10,32}$/);
    expect(Organization?.MasterAccountId).toBe("111111111111");
    await organizations().send(new DeleteOrganizationCommand({}));
    expect(await errorCodeOf(organizations().send(new DescribeOrganizationCommand({})))).toBe(
      "AWSOrganizationsNotInUseException",
    );
  });
});
