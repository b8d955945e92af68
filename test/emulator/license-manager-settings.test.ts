import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  EnableAWSServiceAccessCommand,
  ListAWSServiceAccessForOrganizationCommand,
} from "@aws-sdk/client-organizations";
import { GetServiceSettingsCommand, UpdateServiceSettingsCommand } from "@aws-sdk/client-license-manager";
import { defaultSeed } from "../../sandbox/emulator/seed";
import { assumeRole, clientsFor, errorCodeOf, memberAccessRole, useEmulator } from "./emulator-clients";

const enableIntegration = new UpdateServiceSettingsCommand({
  OrganizationConfiguration: { EnableIntegration: true },
});

async function roleExists(iam: IAMClient, roleName: string): Promise<boolean> {
  return iam.send(new GetRoleCommand({ RoleName: roleName })).then(
    () => true,
    (error: { name: string }) => (error.name === "NoSuchEntityException" ? false : Promise.reject(error)),
  );
}

describe("License Manager service settings", () => {
  const emulator = useEmulator();
  const management = () => clientsFor(emulator());
  const trustLicenseManager = () =>
    management().organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
    );

  it("starts with integration and discovery off", async () => {
    const settings = await management().licenseManager.send(new GetServiceSettingsCommand({}));
    expect(settings.OrganizationConfiguration).toEqual({ EnableIntegration: false });
    expect(settings.EnableCrossAccountsDiscovery).toBe(false);
    expect(settings.LicenseManagerResourceShareArn).toBeUndefined();
  });

  it("enables trusted access for License Manager's two principals when integration is turned on, and leaves the others", async () => {
    const enabled = async () =>
      (
        (await management().organizations.send(new ListAWSServiceAccessForOrganizationCommand({})))
          .EnabledServicePrincipals ?? []
      )
        .map((entry) => entry.ServicePrincipal)
        .sort();
    const before = await enabled();
    expect(before).not.toContain("license-manager.amazonaws.com");
    await management().licenseManager.send(enableIntegration);
    expect(await enabled()).toEqual(
      [...before, "license-manager.amazonaws.com", "license-manager.member-account.amazonaws.com"].sort(),
    );
  });

  it("refuses integration for a member account", async () => {
    await trustLicenseManager();
    const member = clientsFor(emulator(), await assumeRole(emulator(), memberAccessRole("222222222222")));
    expect(await errorCodeOf(member.licenseManager.send(enableIntegration))).toBe("AccessDeniedException");
  });

  it("creates the service-linked roles and a resource share when integration is enabled", async () => {
    await trustLicenseManager();
    const memberIam = clientsFor(
      emulator(),
      await assumeRole(emulator(), memberAccessRole("333333333333")),
    ).iam;
    expect(await roleExists(management().iam, "AWSServiceRoleForAWSLicenseManagerRole")).toBe(false);
    expect(await roleExists(memberIam, "AWSServiceRoleForAWSLicenseManagerMemberAccountRole")).toBe(false);

    await management().licenseManager.send(enableIntegration);

    expect(await roleExists(management().iam, "AWSServiceRoleForAWSLicenseManagerRole")).toBe(true);
    expect(await roleExists(management().iam, "AWSServiceRoleForAWSLicenseManagerMasterAccountRole")).toBe(
      true,
    );
    expect(await roleExists(memberIam, "AWSServiceRoleForAWSLicenseManagerMemberAccountRole")).toBe(true);
    const settings = await management().licenseManager.send(new GetServiceSettingsCommand({}));
    expect(settings.OrganizationConfiguration?.EnableIntegration).toBe(true);
    expect(settings.LicenseManagerResourceShareArn).toMatch(
      /^arn:aws:ram:us-east-1:111111111111:resource-share\/[0-9a-f-]{36}$/,
    );
  });

  it("requires integration for cross-account discovery", async () => {
    const discovery = new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true });
    expect(await errorCodeOf(management().licenseManager.send(discovery))).toBe(
      "InvalidParameterValueException",
    );
    await trustLicenseManager();
    await management().licenseManager.send(enableIntegration);
    await management().licenseManager.send(discovery);
    const settings = await management().licenseManager.send(new GetServiceSettingsCommand({}));
    expect(settings.EnableCrossAccountsDiscovery).toBe(true);
  });

  it("stores the S3 bucket and SNS topic per region and validates their ARNs", async () => {
    await management().licenseManager.send(
      new UpdateServiceSettingsCommand({
        S3BucketArn: "arn:aws:s3:::license-reports",
        SnsTopicArn: "arn:aws:sns:us-east-1:111111111111:license-alerts",
      }),
    );
    const east = await management().licenseManager.send(new GetServiceSettingsCommand({}));
    expect(east.S3BucketArn).toBe("arn:aws:s3:::license-reports");
    const west = await clientsFor(emulator(), undefined, "eu-west-1").licenseManager.send(
      new GetServiceSettingsCommand({}),
    );
    expect(west.S3BucketArn).toBeUndefined();
    expect(
      await errorCodeOf(
        management().licenseManager.send(
          new UpdateServiceSettingsCommand({ S3BucketArn: "license-reports" }),
        ),
      ),
    ).toBe("InvalidParameterValueException");
  });
});

describe("License Manager integration in a consolidated-billing organization", () => {
  const emulator = useEmulator({
    seed: {
      ...defaultSeed,
      organization: {
        ...defaultSeed.organization!,
        featureSet: "CONSOLIDATED_BILLING",
        enabledServicePrincipals: ["license-manager.amazonaws.com"],
      },
    },
  });

  it("is refused because the organization lacks all features", async () => {
    expect(await errorCodeOf(clientsFor(emulator()).licenseManager.send(enableIntegration))).toBe(
      "InvalidParameterValueException",
    );
  });
});
