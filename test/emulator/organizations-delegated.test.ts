import {
  DeregisterDelegatedAdministratorCommand,
  EnableAWSServiceAccessCommand,
  ListDelegatedAdministratorsCommand,
  ListDelegatedServicesForAccountCommand,
  RegisterDelegatedAdministratorCommand,
} from "@aws-sdk/client-organizations";
import { clientsFor, errorCodeOf, useEmulator } from "./emulator-clients";

const LICENSE_MANAGER = "license-manager.amazonaws.com";

describe("Organizations delegated administrators", () => {
  const emulator = useEmulator();
  const organizations = () => clientsFor(emulator()).organizations;
  const register = (accountId: string) =>
    organizations().send(
      new RegisterDelegatedAdministratorCommand({ AccountId: accountId, ServicePrincipal: LICENSE_MANAGER }),
    );
  const trustLicenseManager = () =>
    organizations().send(new EnableAWSServiceAccessCommand({ ServicePrincipal: LICENSE_MANAGER }));

  it("refuses registration while trusted access for the service is not enabled", async () => {
    await expect(register("444444444444")).rejects.toMatchObject({
      name: "ConstraintViolationException",
      message: expect.stringContaining("You must enable service access"),
    });
  });

  it("refuses to register the management account", async () => {
    await trustLicenseManager();
    await expect(register("111111111111")).rejects.toMatchObject({
      name: "ConstraintViolationException",
      Reason: "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
    });
  });

  it("registers, lists and deregisters a member, refusing a double registration", async () => {
    await trustLicenseManager();
    await register("444444444444");
    expect(await errorCodeOf(register("444444444444"))).toBe("AccountAlreadyRegisteredException");

    const { DelegatedAdministrators } = await organizations().send(
      new ListDelegatedAdministratorsCommand({ ServicePrincipal: LICENSE_MANAGER }),
    );
    expect(DelegatedAdministrators).toEqual([
      expect.objectContaining({ Id: "444444444444", Name: "security", Status: "ACTIVE" }),
    ]);
    expect(DelegatedAdministrators![0].DelegationEnabledDate).toBeInstanceOf(Date);

    const { DelegatedServices } = await organizations().send(
      new ListDelegatedServicesForAccountCommand({ AccountId: "444444444444" }),
    );
    expect(DelegatedServices?.map((s) => s.ServicePrincipal)).toEqual([LICENSE_MANAGER]);

    await organizations().send(
      new DeregisterDelegatedAdministratorCommand({
        AccountId: "444444444444",
        ServicePrincipal: LICENSE_MANAGER,
      }),
    );
    const after = await organizations().send(new ListDelegatedAdministratorsCommand({}));
    expect(after.DelegatedAdministrators).toEqual([]);
    expect(
      await errorCodeOf(
        organizations().send(new ListDelegatedServicesForAccountCommand({ AccountId: "444444444444" })),
      ),
    ).toBe("AccountNotRegisteredException");
  });

  it("refuses an account outside the organization", async () => {
    await trustLicenseManager();
    expect(await errorCodeOf(register("999999999999"))).toBe("AccountNotFoundException");
  });
});
