import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateLicenseConfigurationCommand } from "@aws-sdk/client-license-manager";
import { Terraform, TerraformError } from "../../lib/terraform/terraform";
import { callLog, clientsFor, managementCredentials, useEmulator } from "./emulator-clients";

/** Terraform.importAll (npm run adopt): every resource adopted in one plan and apply, or nothing applied. */
describe("adopting resources in one plan of import blocks, with hashicorp/aws 5.100.0", () => {
  const emulator = useEmulator();
  let workDir: string;
  let terraform: Terraform;

  beforeEach(async () => {
    workDir = mkdtempSync(join(tmpdir(), "emulator-adopt-"));
    copyFileSync(join(__dirname, "fixtures", "adopt.tf"), join(workDir, "main.tf"));
    const url = emulator().url;
    terraform = new Terraform(workDir, {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ACCESS_KEY_ID: managementCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: managementCredentials.secretAccessKey,
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
    await terraform.init();
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  const create = async (name: string, count: number) =>
    (
      await clientsFor(emulator()).licenseManager.send(
        new CreateLicenseConfigurationCommand({
          Name: name,
          LicenseCountingType: "vCPU",
          LicenseCount: count,
        }),
      )
    ).LicenseConfigurationArn!;
  const stateAddresses = async () =>
    (
      (JSON.parse(await terraform.showJson()).values?.root_module?.resources ?? []) as { address: string }[]
    ).map((resource) => resource.address);

  const applySettings = () =>
    terraform.run(["apply", "-auto-approve", "-input=false", "-target=terraform_data.settings"]);

  it("imports them all in one apply, updates what differs from the config, and leaves the rest to the deploy", async () => {
    await applySettings(); // what the configurations depend on is planned too, and left as it is
    const windows = await create("windows-server", 10);
    const sql = await create("sql-server", 2);
    const { oneByOne, updated } = await terraform.importAll(
      [
        { address: "aws_licensemanager_license_configuration.windows", id: windows },
        { address: "aws_licensemanager_license_configuration.sql", id: sql },
      ],
      join(workDir, "adopt.tfplan"),
    );
    expect(oneByOne).toBeUndefined();
    expect(updated).toEqual(["aws_licensemanager_license_configuration.sql"]);
    expect((await stateAddresses()).sort()).toEqual([
      "aws_licensemanager_license_configuration.sql",
      "aws_licensemanager_license_configuration.windows",
      "terraform_data.settings",
    ]);
    // The import file was for this run only; the association (not targeted) is the deploy's to create.
    expect(existsSync(join(workDir, "adopt-imports.tf.json"))).toBe(false);
    const creates = (await callLog(emulator())).filter(
      (entry) => entry.action === "CreateLicenseConfiguration",
    );
    expect(creates).toHaveLength(2); // the two made above: none by the adopt
  });

  it("imports one by one, applying nothing else, when the plan would also create what they depend on", async () => {
    const windows = await create("windows-server", 10);
    const { oneByOne } = await terraform.importAll(
      [{ address: "aws_licensemanager_license_configuration.windows", id: windows }],
      join(workDir, "adopt.tfplan"),
    );
    expect(oneByOne).toBe("the plan of import blocks did more than import: terraform_data.settings: create");
    expect(await stateAddresses()).toEqual(["aws_licensemanager_license_configuration.windows"]);
    expect(existsSync(join(workDir, "adopt-imports.tf.json"))).toBe(false);
  });

  it("applies nothing when an import would not find its resource", async () => {
    await applySettings();
    const windows = await create("windows-server", 10);
    const missing = windows.replace(/lic-[0-9a-f]+$/, "lic-00000000000000000000000000000000");
    expect(missing).not.toBe(windows);
    const adopting = terraform.importAll(
      [
        { address: "aws_licensemanager_license_configuration.windows", id: windows },
        { address: "aws_licensemanager_license_configuration.sql", id: missing },
      ],
      join(workDir, "adopt.tfplan"),
    );
    await expect(adopting).rejects.toBeInstanceOf(TerraformError);
    expect(await stateAddresses()).toEqual(["terraform_data.settings"]);
    expect(existsSync(join(workDir, "adopt-imports.tf.json"))).toBe(false);
  });
});
