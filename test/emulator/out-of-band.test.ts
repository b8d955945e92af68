import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  AddClientIDToOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteServiceLinkedRoleCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import {
  DeleteLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
  UpdateServiceSettingsCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from "@aws-sdk/client-license-manager";
import {
  DeregisterDelegatedAdministratorCommand,
  DisableAWSServiceAccessCommand,
  DisablePolicyTypeCommand,
  ListRootsCommand,
} from "@aws-sdk/client-organizations";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { DeleteTopicCommand, SetTopicAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { analyzePlanDrift } from "../../lib/drift/analyze";
import { diffSettings, readLiveSettings } from "../../lib/license-manager/settings";
import { deployedInputs } from "../../lib/reconcile/deployed";
import { parsePlanJson, type StateJson } from "../../lib/terraform/plan-json";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import { startStorageBackends } from "../../sandbox/emulator/storage-backends";
import type { RunningStorageFront } from "../../sandbox/emulator/storage-front";
import { runTool } from "../tools/run-tool";
import { callLog, clientsFor, managementCredentials, useEmulator } from "./emulator-clients";

const run = promisify(execFile);
const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const LICENSE_MANAGER = "license-manager.amazonaws.com";
const AMI = "arn:aws:ec2:us-east-1::image/ami-0abc1234def567890";
const topicArn = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
const oidcArn = (host: string) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
const stateBucket = (key: string) => `sandbox-license-manager-tfstate-${key}`;
const lockTable = (key: string) => `sandbox-license-manager-tflock-${key}`;

/** The fixture's lifecycle rule, as the bootstrap stack writes it; `noncurrentDays` differs when changed. */
const lifecycleRules = (noncurrentDays: number) => ({
  Rules: [
    {
      ID: "expire-noncurrent-state-versions",
      Status: "Enabled" as const,
      Filter: { Prefix: "" },
      NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    },
  ],
});

/**
 * Bucket settings the stacks never set, which aws_s3_bucket reads on every refresh of a bucket that exists:
 * "not configured" answers (s3rver answers NotImplemented for some), not out-of-band deletions.
 */
const UNSET_BUCKET_SETTINGS = new Set([
  "GetBucketAcl",
  "GetBucketCors",
  "GetBucketWebsite",
  "GetBucketReplication",
  "GetBucketRequestPayment",
  "GetObjectLockConfiguration",
]);

/** Every drift the plan must name: [address, "delete"] or [address, "update", changed attributes]. */
const expectedDrift: [string, "delete" | "update", string[]?][] = [
  // organization stack
  [
    "aws_organizations_organization.changed",
    "update",
    ["aws_service_access_principals", "enabled_policy_types", "roots"],
  ],
  ["aws_organizations_delegated_administrator.gone", "delete"],
  // license-manager stack
  ["aws_iam_service_linked_role.gone", "delete"],
  ["aws_iam_service_linked_role.changed", "update", ["tags", "tags_all.license-manager-org:environment"]],
  ["aws_licensemanager_license_configuration.gone", "delete"],
  ["aws_licensemanager_license_configuration.changed", "update", ["license_count"]],
  ["aws_licensemanager_association.gone", "delete"],
  ["aws_sns_topic.gone", "delete"],
  ["aws_sns_topic.changed", "update", ["display_name"]],
  ["aws_sns_topic_policy.gone", "delete"],
  ["aws_sns_topic_policy.changed", "update", ["policy"]],
  // bootstrap and license-manager stacks
  ["aws_s3_bucket.gone", "delete"],
  ["aws_s3_bucket_versioning.gone", "delete"],
  ['aws_s3_bucket.state["changed"]', "update", ["tags", "tags_all.license-manager-org:environment"]],
  ['aws_s3_bucket_policy.state["stripped"]', "delete"],
  ['aws_s3_bucket_policy.state["changed"]', "update", ["policy"]],
  ['aws_s3_bucket_public_access_block.state["stripped"]', "delete"],
  ['aws_s3_bucket_public_access_block.state["changed"]', "update", ["block_public_policy"]],
  ['aws_s3_bucket_ownership_controls.state["stripped"]', "delete"],
  ['aws_s3_bucket_ownership_controls.state["changed"]', "update", ["rule"]],
  ["aws_s3_bucket_server_side_encryption_configuration.stripped", "update", ["rule"]],
  ["aws_s3_bucket_server_side_encryption_configuration.changed", "update", ["rule"]],
  ['aws_s3_bucket_versioning.state["changed"]', "update", ["versioning_configuration"]],
  ['aws_s3_bucket_lifecycle_configuration.state["stripped"]', "delete"],
  ['aws_s3_bucket_lifecycle_configuration.state["changed"]', "update", ["rule"]],
  ['aws_dynamodb_table.lock["gone"]', "delete"],
  ['aws_dynamodb_table.lock["changed"]', "update", ["point_in_time_recovery"]],
  // access stack
  ['aws_iam_openid_connect_provider.github["gone"]', "delete"],
  ['aws_iam_openid_connect_provider.github["changed"]', "update", ["client_id_list"]],
  ['aws_iam_role.planner["gone"]', "delete"],
  ['aws_iam_role.planner["changed"]', "update", ["assume_role_policy"]],
  ['aws_iam_role_policy.planner["gone"]', "delete"],
  ['aws_iam_role_policy.planner["changed"]', "update", ["policy"]],
];

/**
 * Every resource type the four stacks manage, applied with hashicorp/aws 5.100.0, then one instance of each
 * deleted and one changed outside Terraform, all at once: the plan's refresh reads each as AWS reports it and
 * never fails, the project's drift analysis (what `npm run drift` runs on the plan) names each deletion and
 * each changed attribute, applying the plan restores them all, and the next plan has nothing to do.
 * License Manager's settings (terraform_data, which no provider reads back) go the way npm run drift and
 * npm run reconcile -- restore take: their drift from the state's desired settings and the live ones.
 * The restore costs the provider's fixed ~55 s wait after a lifecycle configuration write (the two run
 * side by side); the rest takes ~25 s.
 */
describe("resources deleted or changed out of band, with hashicorp/aws 5.100.0", () => {
  const emulator = useEmulator({ capture: true });
  let dir: string;
  let front: RunningStorageFront;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "emulator-out-of-band-"));
    front = await startStorageBackends({
      s3Directory: join(dir, "s3"),
      authorization: emulator().storageAuthorization,
    });
    mkdirSync(join(dir, "tf"));
    copyFileSync(join(__dirname, "fixtures", "out-of-band.tf"), join(dir, "tf", "main.tf"));
  });
  afterEach(async () => {
    await front.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const terraform = (...args: string[]) => {
    const url = emulator().url;
    const flags = args[0] === "show" ? ["-no-color"] : ["-input=false", "-no-color"];
    return run("terraform", [...args.slice(0, 1), ...flags, ...args.slice(1)], {
      cwd: join(dir, "tf"),
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        AWS_ENDPOINT_URL_ORGANIZATIONS: url,
        AWS_ENDPOINT_URL_LICENSE_MANAGER: url,
        AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API: url,
        AWS_ENDPOINT_URL_IAM: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ENDPOINT_URL_SNS: url,
        AWS_ENDPOINT_URL_S3: front.url,
        AWS_ENDPOINT_URL_DYNAMODB: front.url,
        AWS_ACCESS_KEY_ID: managementCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: managementCredentials.secretAccessKey,
        AWS_REGION: REGION,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        TF_VAR_project_root: join(__dirname, "..", ".."),
      },
    });
  };

  /** What tools/drift.ts reports of each settings resource in the state: the live differences. */
  async function settingsDrift(state: StateJson) {
    return Promise.all(
      deployedInputs(state)
        .filter(({ kind }) => kind === "license-manager-settings")
        .map(async ({ address, region, desired }) => {
          const { licenseManager } = clientsFor(emulator(), managementCredentials, region);
          return {
            address,
            differences: diffSettings(
              desired as Parameters<typeof diffSettings>[0],
              await readLiveSettings(licenseManager, region),
            ),
          };
        }),
    );
  }

  const clients = () => {
    const config = {
      region: REGION,
      credentials: managementCredentials,
      maxAttempts: 1,
    };
    return {
      ...clientsFor(emulator()),
      sns: new SNSClient({ ...config, endpoint: emulator().url }),
      s3: new S3Client({ ...config, endpoint: front.url, forcePathStyle: true }),
    };
  };

  /** DynamoDB's JSON 1.0 protocol (the project has no DynamoDB client). */
  async function dynamodb(operation: string, input: object): Promise<void> {
    const response = await fetch(front.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": `DynamoDB_20120810.${operation}`,
        "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""),
        authorization: `AWS4-HMAC-SHA256 Credential=${managementCredentials.accessKeyId}/20260101/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify(input),
    });
    expect([operation, response.status, response.ok ? "" : await response.text()]).toEqual([
      operation,
      200,
      "",
    ]);
  }

  /** The state buckets with their lifecycle configuration, which the first apply imports. */
  async function createLifecycleBuckets(): Promise<void> {
    const { s3 } = clients();
    for (const key of ["stripped", "changed"]) {
      await s3.send(new CreateBucketCommand({ Bucket: stateBucket(key) }));
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: stateBucket(key),
          LifecycleConfiguration: lifecycleRules(90),
        }),
      );
    }
  }

  async function licenseConfigurationArn(name: string): Promise<string> {
    const { LicenseConfigurations = [] } = await clients().licenseManager.send(
      new ListLicenseConfigurationsCommand({}),
    );
    return LicenseConfigurations.find((configuration) => configuration.Name === name)!
      .LicenseConfigurationArn!;
  }

  async function deleteOneOfEach(): Promise<void> {
    const { iam, organizations, licenseManager, sns, s3 } = clients();
    await organizations.send(
      new DeregisterDelegatedAdministratorCommand({
        AccountId: "444444444444",
        ServicePrincipal: LICENSE_MANAGER,
      }),
    );
    await iam.send(
      new DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerMemberAccountRole" }),
    );
    await licenseManager.send(
      new DeleteLicenseConfigurationCommand({
        LicenseConfigurationArn: await licenseConfigurationArn("sql-server-enterprise"),
      }),
    );
    await licenseManager.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: AMI,
        RemoveLicenseSpecifications: [
          { LicenseConfigurationArn: await licenseConfigurationArn("windows-server-datacenter") },
        ],
      }),
    );
    await sns.send(
      new DeleteTopicCommand({ TopicArn: topicArn("aws-license-manager-service-notifications") }),
    );
    await s3.send(new DeleteBucketCommand({ Bucket: "aws-license-manager-service-111111111111-gone" }));
    const stripped = { Bucket: stateBucket("stripped") };
    await s3.send(new DeleteBucketPolicyCommand(stripped));
    await s3.send(new DeletePublicAccessBlockCommand(stripped));
    await s3.send(new DeleteBucketOwnershipControlsCommand(stripped));
    await s3.send(new DeleteBucketEncryptionCommand(stripped));
    await s3.send(new DeleteBucketLifecycleCommand(stripped));
    await dynamodb("UpdateTable", { TableName: lockTable("gone"), DeletionProtectionEnabled: false });
    await dynamodb("DeleteTable", { TableName: lockTable("gone") });
    await iam.send(
      new DeleteOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: oidcArn("token.actions.githubusercontent.com"),
      }),
    );
    await iam.send(
      new DeleteRolePolicyCommand({
        RoleName: "LicenseManagerPlanner-gone",
        PolicyName: "license-manager-org-plan",
      }),
    );
    await iam.send(new DeleteRoleCommand({ RoleName: "LicenseManagerPlanner-gone" }));
  }

  async function changeOneOfEach(): Promise<void> {
    const { iam, organizations, licenseManager, sns, s3 } = clients();
    await licenseManager.send(new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: false }));
    await clientsFor(emulator(), managementCredentials, "eu-west-1").licenseManager.send(
      new UpdateServiceSettingsCommand({ OrganizationConfiguration: { EnableIntegration: false } }),
    );
    await organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }));
    const { Roots = [] } = await organizations.send(new ListRootsCommand({}));
    await organizations.send(
      new DisablePolicyTypeCommand({ RootId: Roots[0].Id, PolicyType: "SERVICE_CONTROL_POLICY" }),
    );
    await iam.send(
      new TagRoleCommand({
        RoleName: "AWSServiceRoleForAWSLicenseManagerRole",
        Tags: [{ Key: "license-manager-org:environment", Value: "elsewhere" }],
      }),
    );
    await licenseManager.send(
      new UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: await licenseConfigurationArn("windows-server-datacenter"),
        LicenseCount: 10,
      }),
    );
    const alerts = topicArn("aws-license-manager-service-alerts");
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: alerts,
        AttributeName: "DisplayName",
        AttributeValue: "Alerts",
      }),
    );
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: alerts,
        AttributeName: "Policy",
        AttributeValue: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "Anyone",
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "sns:Publish",
              Resource: alerts,
            },
          ],
        }),
      }),
    );
    const changed = { Bucket: stateBucket("changed") };
    await s3.send(
      new PutBucketTaggingCommand({
        ...changed,
        Tagging: {
          TagSet: [
            { Key: "license-manager-org:project", Value: "license-manager-org" },
            { Key: "license-manager-org:environment", Value: "elsewhere" },
          ],
        },
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        ...changed,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AnyoneReads",
              Effect: "Allow",
              Principal: "*",
              Action: "s3:GetObject",
              Resource: `arn:aws:s3:::${stateBucket("changed")}/*`,
            },
          ],
        }),
      }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        ...changed,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: false,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        ...changed,
        OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] },
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        ...changed,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" }, BucketKeyEnabled: true },
          ],
        },
      }),
    );
    await s3.send(
      new PutBucketVersioningCommand({ ...changed, VersioningConfiguration: { Status: "Suspended" } }),
    );
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({ ...changed, LifecycleConfiguration: lifecycleRules(30) }),
    );
    await dynamodb("UpdateContinuousBackups", {
      TableName: lockTable("changed"),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
    });
    await iam.send(
      new AddClientIDToOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: oidcArn("gitlab.example.com"),
        ClientID: "someone-else",
      }),
    );
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "LicenseManagerPlanner-changed",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: "sts:AssumeRole",
            },
          ],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "LicenseManagerPlanner-changed",
        PolicyName: "license-manager-org-plan",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
  }

  it("a plan names each one, applying it restores them all, and the next plan is empty", async () => {
    await createLifecycleBuckets();
    await terraform("init");
    const apply = await terraform("apply", "-auto-approve");
    expect(apply.stdout).toMatch(
      /Apply complete! Resources: 5 imported, \d+ added, \d+ changed, 0 destroyed\./,
    );
    expect(apply.stdout).not.toMatch(/aws_s3_bucket_lifecycle_configuration\.\S+: Modifying/);

    await deleteOneOfEach();
    await changeOneOfEach();
    const before = (await callLog(emulator())).length;

    // As npm run drift does: a full plan, whose refresh must not fail, then show -json.
    await terraform("plan", "-out=drift.tfplan");
    const planCalls = (await callLog(emulator())).slice(before);
    const planJson = (await terraform("show", "-json", "drift.tfplan")).stdout;
    const { drift, pendingChanges } = analyzePlanDrift(parsePlanJson(planJson, "out-of-band"));
    const named = drift.map(({ address, actions, changedAttributes }) =>
      actions.includes("delete") ? [address, "delete"] : [address, actions.join(","), changedAttributes],
    );
    expect(named.sort()).toEqual(expectedDrift.sort());
    // The plan reverts each drift, and changes nothing else.
    expect(pendingChanges.filter((change) => !change.revertsDrift)).toEqual([]);
    expect(pendingChanges.map((change) => change.address).sort()).toEqual(drift.map((d) => d.address).sort());

    // No provider reads License Manager's settings: the plan cannot see them, npm run drift's settings check does.
    const settingsState = (JSON.parse(planJson) as { prior_state: StateJson }).prior_state;
    expect(await settingsDrift(settingsState)).toEqual([
      {
        address: 'terraform_data.settings["eu-west-1"]',
        differences: [
          { field: "enableIntegration", desired: true, live: false },
          { field: "enableCrossAccountsDiscovery", desired: true, live: false },
        ],
      },
      {
        address: 'terraform_data.settings["us-east-1"]',
        differences: [{ field: "enableCrossAccountsDiscovery", desired: true, live: false }],
      },
    ]);

    const restore = await terraform("apply", "drift.tfplan");
    expect(restore.stdout).toContain("Apply complete!");
    // As after a deploy (test/e2e/lifecycle.test.ts does the same): the settings recorded in the state, re-applied.
    const reconcile = await runTool(
      "reconcile",
      emulator().url,
      dir,
      ["restore", "--stack-dir", join(dir, "tf")],
      { LM_ROLE: "none" }, // the sandbox's keys as they are, as the fixture's apply used them
    );
    expect([reconcile.exitCode, reconcile.stderr]).toEqual([0, expect.stringContaining("Restored")]);
    const after = await terraform("plan", "-detailed-exitcode");
    expect(after.stdout).toContain("No changes.");
    expect((await settingsDrift(settingsState)).flatMap((resource) => resource.differences)).toEqual([]);

    // What the plan's refresh read as "not found": each service's own code, as AWS answers it.
    const notFound = planCalls
      .filter((entry: CallLogEntry) => entry.status >= 400 && !UNSET_BUCKET_SETTINGS.has(entry.action))
      .map((entry) => `${entry.service} ${entry.action} ${entry.errorCode ?? entry.status}`);
    expect([...new Set(notFound)].sort()).toEqual([
      "dynamodb DescribeTable ResourceNotFoundException",
      "iam GetOpenIDConnectProvider NoSuchEntity",
      "iam GetRole NoSuchEntity",
      "iam GetRolePolicy NoSuchEntity",
      "license-manager GetLicenseConfiguration InvalidParameterValueException",
      "s3 GetBucketLifecycleConfiguration NoSuchLifecycleConfiguration",
      "s3 GetBucketOwnershipControls OwnershipControlsNotFoundError",
      "s3 GetBucketPolicy NoSuchBucketPolicy",
      "s3 GetBucketVersioning NoSuchBucket",
      "s3 GetPublicAccessBlock NoSuchPublicAccessBlockConfiguration",
      "s3 HeadBucket 404",
      "sns GetTopicAttributes NotFound",
    ]);
  }, 480_000);
});
