import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { assumeRole, clientsFor, errorCodeOf, memberAccessRole, useEmulator } from "./emulator-clients";

describe("STS emulation", () => {
  const emulator = useEmulator();

  it("names the management account for the seeded access key", async () => {
    const identity = await clientsFor(emulator()).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("111111111111");
    expect(identity.Arn).toBe("arn:aws:iam::111111111111:user/sandbox-admin");
  });

  it("rejects an unknown access key like AWS: InvalidClientTokenId for STS, UnrecognizedClient for JSON APIs", async () => {
    const stranger = clientsFor(emulator(), { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" });
    await expect(stranger.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: "InvalidClientTokenId",
      $metadata: { httpStatusCode: 403 },
    });
    expect(await errorCodeOf(stranger.organizations.send(new ListAccountsCommand({})))).toBe(
      "UnrecognizedClientException",
    );
  });

  it("AssumeRole switches the caller to the role's account", async () => {
    const credentials = await assumeRole(emulator(), memberAccessRole("222222222222"));
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    const identity = await clientsFor(emulator(), credentials).sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe("222222222222");
    expect(identity.Arn).toBe(
      "arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/emulator-test",
    );
  });

  it("refuses to assume a role that does not exist in the target account", async () => {
    await expect(
      assumeRole(emulator(), "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"),
    ).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  });

  it("seeds no role in the management account: the access stack creates the deploy and plan roles", async () => {
    await expect(
      assumeRole(emulator(), "arn:aws:iam::111111111111:role/LicenseManagerDeployer"),
    ).rejects.toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  });
});
