import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CreateRoleCommand } from "@aws-sdk/client-iam";
import { ListAccountsCommand, paginateListAccounts } from "@aws-sdk/client-organizations";
import { trustPolicy } from "../../lib/access/trust";
import { defaultSeed, memberReadRole, seedWithMemberAccounts } from "../../sandbox/emulator/seed";
import { allow, clientsFor, errorCodeOf, sessionOf, useEmulator, type Credentials } from "./emulator-clients";

const outsideAccount = "555555555555";
const organizationId = "o-sandbox00001";

/** Keys of a user in a member account and of one in an account outside the organization. */
const memberUser: Credentials = { accessKeyId: "AKIASANDBOXMEMBER", secretAccessKey: "member-secret" };
const outsideUser: Credentials = { accessKeyId: "AKIASANDBOXOUTSIDE", secretAccessKey: "outside-secret" };

const seedWithOutsideAccount = {
  ...defaultSeed,
  accounts: [
    ...defaultSeed.accounts,
    { id: outsideAccount, name: "elsewhere", email: "elsewhere@example.com" },
  ],
  credentials: [
    ...defaultSeed.credentials,
    { ...memberUser, accountId: "222222222222", userName: "alice" },
    { ...outsideUser, accountId: outsideAccount, userName: "mallory" },
  ],
  roles: [...defaultSeed.roles, memberReadRole(outsideAccount, "111111111111")],
};

describe("ListAccounts pages as Organizations does", () => {
  const emulator = useEmulator({ seed: seedWithMemberAccounts(44) });
  const organizations = () => clientsFor(emulator()).organizations;

  it("returns at most 20 accounts a page, the rest behind NextToken, every account once", async () => {
    const first = await organizations().send(new ListAccountsCommand({}));
    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeDefined();
    const small = await organizations().send(new ListAccountsCommand({ MaxResults: 7 }));
    expect(small.Accounts).toHaveLength(7);
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: organizations() }, {})) {
      pages.push(page.Accounts!.length);
      ids.push(...page.Accounts!.map((account) => account.Id!));
    }
    expect(pages).toEqual([20, 20, 5]);
    expect(new Set(ids).size).toBe(45);
  });

  it.each([
    [{ MaxResults: 21 }, "MAX_VALUE_EXCEEDED"],
    [{ MaxResults: 0 }, "MIN_VALUE_EXCEEDED"],
    [{ NextToken: "not-a-token" }, "INVALID_NEXT_TOKEN"],
  ])("refuses %j with InvalidInputException %s", async (input, reason) => {
    await expect(organizations().send(new ListAccountsCommand(input))).rejects.toMatchObject({
      name: "InvalidInputException",
      Reason: reason,
    });
  });
});

describe("the organization in IAM conditions", () => {
  const emulator = useEmulator({ seed: seedWithOutsideAccount });

  it.each([organizationId, "${aws:PrincipalOrgID}"])(
    "aws:ResourceOrgID = %s lets a role into the read role of every member account, none outside",
    async (organization) => {
      const reader = (accountId: string) => `arn:aws:iam::${accountId}:role/LicenseManagerRoleReader`;
      const session = await sessionOf(
        emulator(),
        "Planner",
        allow([["sts:AssumeRole"], [reader("*")], { StringEquals: { "aws:ResourceOrgID": organization } }]),
      );
      const { sts } = clientsFor(emulator(), session);
      const assume = (accountId: string) =>
        sts.send(new AssumeRoleCommand({ RoleArn: reader(accountId), RoleSessionName: "roles" }));
      for (const member of ["222222222222", "333333333333", "444444444444"]) {
        await expect(assume(member)).resolves.toMatchObject({ Credentials: expect.anything() });
      }
      // The outside account's role trusts the management account too: only the identity policy refuses it.
      expect(await errorCodeOf(assume(outsideAccount))).toBe("AccessDenied");
    },
  );

  it("aws:PrincipalOrgID in a trust policy refuses a listed principal whose account is outside the organization", async () => {
    const trust = trustPolicy({
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      workflows: [],
      workstationPrincipals: [
        "arn:aws:iam::222222222222:user/alice",
        `arn:aws:iam::${outsideAccount}:user/mallory`,
      ],
      organizationId,
    });
    await clientsFor(emulator()).iam.send(
      new CreateRoleCommand({ RoleName: "Deployer", AssumeRolePolicyDocument: JSON.stringify(trust) }),
    );
    const assumeAs = (caller: Credentials) =>
      clientsFor(emulator(), caller).sts.send(
        new AssumeRoleCommand({
          RoleArn: "arn:aws:iam::111111111111:role/Deployer",
          RoleSessionName: "desk",
        }),
      );
    await expect(assumeAs(memberUser)).resolves.toMatchObject({ Credentials: expect.anything() });
    expect(await errorCodeOf(assumeAs(outsideUser))).toBe("AccessDenied");
  });
});
