import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand,
} from "@aws-sdk/client-iam";
import {
  DeleteLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from "@aws-sdk/client-license-manager";
import {
  DeregisterDelegatedAdministratorCommand,
  EnableAWSServiceAccessCommand,
} from "@aws-sdk/client-organizations";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { callLog, clientsFor, useEmulator } from "./emulator-clients";

const run = promisify(execFile);
const AMI = "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0";
const LICENSE_MANAGER = "license-manager.amazonaws.com";

/**
 * Each resource type the stacks manage that the emulator serves, deleted behind Terraform's back: the provider's
 * read must see AWS's own "not found" answer and plan to create it again, never fail the refresh.
 */
describe("resources deleted out of band, read by hashicorp/aws 5.100.0", () => {
  const emulator = useEmulator({ capture: true });
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "emulator-deleted-"));
    copyFileSync(join(__dirname, "fixtures", "deleted-out-of-band.tf"), join(workDir, "main.tf"));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  const terraform = (...args: string[]) => {
    const url = emulator().url;
    return run("terraform", [...args, "-input=false", "-no-color"], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        AWS_ENDPOINT_URL_ORGANIZATIONS: url,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_IAM: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ENDPOINT_URL_SNS: url,
        AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
        AWS_SECRET_ACCESS_KEY: "sandbox-secret",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
  };

  async function deleteEverything(): Promise<void> {
    const { iam, organizations, licenseManager } = clientsFor(emulator());
    await organizations.send(
      new DeregisterDelegatedAdministratorCommand({
        AccountId: "444444444444",
        ServicePrincipal: LICENSE_MANAGER,
      }),
    );
    const { LicenseConfigurations = [] } = await licenseManager.send(
      new ListLicenseConfigurationsCommand({}),
    );
    const arn = LicenseConfigurations[0].LicenseConfigurationArn!;
    await licenseManager.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: AMI,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      }),
    );
    await licenseManager.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    await iam.send(
      new DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "LicenseManagerPlanner" }));
    await iam.send(
      new DeleteOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn:
          "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      }),
    );
    const topic = await fetch(emulator().url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization:
          "AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: new URLSearchParams({
        Action: "DeleteTopic",
        Version: "2010-03-31",
        TopicArn: "arn:aws:sns:us-east-1:111111111111:aws-license-manager-service-notifications",
      }).toString(),
    });
    expect(topic.status).toBe(200);
  }

  it("refreshes without an error and plans to create each one again", async () => {
    // Delegated administrators need License Manager's trusted access first.
    await clientsFor(emulator()).organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: LICENSE_MANAGER }),
    );
    await terraform("init");
    const apply = await terraform("apply", "-auto-approve");
    expect(apply.stdout).toContain("Apply complete! Resources: 9 added, 0 changed, 0 destroyed.");

    await deleteEverything();
    const before = (await callLog(emulator())).length;

    const refresh = await terraform("plan", "-refresh-only");
    for (const address of [
      "aws_organizations_delegated_administrator.license_manager",
      "aws_iam_service_linked_role.license_manager",
      "aws_licensemanager_license_configuration.windows",
      "aws_licensemanager_association.golden_ami",
      "aws_sns_topic.notifications",
      "aws_sns_topic_policy.notifications",
      "aws_iam_openid_connect_provider.github",
      "aws_iam_role.planner",
      "aws_iam_role_policy.planner",
    ]) {
      expect(refresh.stdout).toContain(`# ${address} has been deleted`);
    }
    const plan = await terraform("plan");
    expect(plan.stdout).toContain(
      "Plan: 9 to add, 0 to change, 0 destroy.".replace("0 destroy", "0 to destroy"),
    );

    // What the provider read as "not found": each service's own code, as AWS answers it.
    const notFound = (await callLog(emulator()))
      .slice(before)
      .filter((entry: CallLogEntry) => entry.status >= 400)
      .map((entry) => `${entry.service} ${entry.action} ${entry.errorCode}`);
    expect([...new Set(notFound)].sort()).toEqual([
      "iam GetOpenIDConnectProvider NoSuchEntity",
      "iam GetRole NoSuchEntity",
      "iam GetRolePolicy NoSuchEntity",
      "license-manager GetLicenseConfiguration InvalidParameterValueException",
      "sns GetTopicAttributes NotFound",
    ]);
  });
});
