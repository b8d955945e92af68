import {
  CreateServiceLinkedRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { UpdateServiceSettingsCommand } from "@aws-sdk/client-license-manager";
import { EnableAWSServiceAccessCommand } from "@aws-sdk/client-organizations";
import { ADMINISTRATOR_ROLE_NAME, seedWithAdministratorRole } from "../helpers/sandbox-seed";
import { clientsFor, errorCodeOf, managementCredentials, useEmulator } from "./emulator-clients";

const ROLE = "AWSServiceRoleForAWSLicenseManagerRole";

describe("IAM service-linked roles", () => {
  const emulator = useEmulator({ seed: seedWithAdministratorRole });
  const iam = () => clientsFor(emulator()).iam;
  const createRole = () =>
    iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "license-manager.amazonaws.com" }));

  it("creates License Manager's role under its service path", async () => {
    const { Role } = await createRole();
    expect(Role).toMatchObject({
      RoleName: ROLE,
      Path: "/aws-service-role/license-manager.amazonaws.com/",
      Arn: `arn:aws:iam::111111111111:role/aws-service-role/license-manager.amazonaws.com/${ROLE}`,
    });
    const read = await iam().send(new GetRoleCommand({ RoleName: ROLE }));
    expect(read.Role?.CreateDate).toBeInstanceOf(Date);
    expect(
      JSON.parse(decodeURIComponent(read.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal,
    ).toEqual({
      Service: "license-manager.amazonaws.com",
    });
  });

  it("refuses a second creation with AWS's InvalidInput message", async () => {
    await createRole();
    await expect(createRole()).rejects.toMatchObject({
      name: "InvalidInputException",
      message: `Service role name ${ROLE} has been taken in this account, please try a different suffix.`,
    });
  });

  it("answers NoSuchEntity for a missing role", async () => {
    await expect(iam().send(new GetRoleCommand({ RoleName: ROLE }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
      $metadata: { httpStatusCode: 404 },
    });
  });

  it("filters ListRoles by path prefix", async () => {
    await createRole();
    const all = await iam().send(new ListRolesCommand({}));
    expect(all.Roles?.map((r) => r.RoleName)).toEqual([ROLE, ADMINISTRATOR_ROLE_NAME].sort());
    const serviceRoles = await iam().send(new ListRolesCommand({ PathPrefix: "/aws-service-role/" }));
    expect(serviceRoles.Roles?.map((r) => r.RoleName)).toEqual([ROLE]);
  });

  it("tags, untags and updates the description", async () => {
    await createRole();
    await iam().send(
      new TagRoleCommand({
        RoleName: ROLE,
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      }),
    );
    await iam().send(new UntagRoleCommand({ RoleName: ROLE, TagKeys: ["a"] }));
    const { Tags } = await iam().send(new ListRoleTagsCommand({ RoleName: ROLE }));
    expect(Tags).toEqual([{ Key: "b", Value: "2" }]);
    await iam().send(new UpdateRoleCommand({ RoleName: ROLE, Description: "managed by terraform" }));
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: ROLE }));
    expect(Role?.Description).toBe("managed by terraform");
    expect(Role?.Tags).toEqual([{ Key: "b", Value: "2" }]);
  });

  it("deletes a service-linked role through a deletion task", async () => {
    await createRole();
    const { DeletionTaskId } = await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE }));
    const { Status } = await iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    expect(Status).toBe("SUCCEEDED");
    expect(await errorCodeOf(iam().send(new GetRoleCommand({ RoleName: ROLE })))).toBe(
      "NoSuchEntityException",
    );
  });

  it("fails the deletion while License Manager's Organizations integration uses the role", async () => {
    const { organizations, licenseManager } = clientsFor(emulator(), managementCredentials, "eu-west-1");
    await organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
    );
    await licenseManager.send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: true } }),
    );
    const { DeletionTaskId } = await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE }));
    const status = await iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    expect(status.Status).toBe("FAILED");
    expect(status.Reason?.Reason).toBe(
      `${ROLE} is in use by License Manager's Organizations integration in eu-west-1; turn it off first.`,
    );
    expect((await iam().send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleName).toBe(ROLE);

    await licenseManager.send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: false } }),
    );
    const again = await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: ROLE }));
    const done = await iam().send(
      new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: again.DeletionTaskId }),
    );
    expect(done.Status).toBe("SUCCEEDED");
  });

  it("refuses to delete an ordinary role as service-linked", async () => {
    expect(
      await errorCodeOf(
        iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: ADMINISTRATOR_ROLE_NAME })),
      ),
    ).toBe("InvalidInputException");
  });
});
