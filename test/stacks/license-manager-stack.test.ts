import { configWith } from "../helpers/config";
import { settingsInput } from "../helpers/expected";
import { onlyResource, synthesizeStacks, type SynthesizedStack } from "../helpers/synth";

const resourcesOf = (stack: SynthesizedStack, type: string): [string, Record<string, any>][] =>
  Object.entries(stack.resource[type] ?? {});
const inRegion = (stack: SynthesizedStack, type: string, region: string) =>
  resourcesOf(stack, type).filter(([name]) => name.startsWith(`${region}_`));
const address = (type: string, name: string) => `${type}.${name}`;
const settingsIn = (stack: SynthesizedStack, region: string) =>
  inRegion(stack, "terraform_data", region).filter(([name]) => name.includes("_settings_"));

describe("license-manager stack (sandbox config: two regions, created bucket and topic)", () => {
  const stack = synthesizeStacks(configWith(() => {}))["license-manager"];
  const roleNamed = (service: string) =>
    resourcesOf(stack, "aws_iam_service_linked_role").find(
      ([, role]) => role.aws_service_name === service,
    )![0];
  const roleAddress = address("aws_iam_service_linked_role", roleNamed("license-manager.amazonaws.com"));
  const marketplaceRoleAddress = address(
    "aws_iam_service_linked_role",
    roleNamed("license-management.marketplace.amazonaws.com"),
  );
  const existingRoleNamed = (name: string) =>
    Object.entries(stack.data.aws_iam_roles as Record<string, { name_regex: string }>).find(
      ([, roles]) => roles.name_regex === `^${name}$`,
    )![0];

  it("has a provider alias per License Manager region beside the home-region default", () => {
    expect(stack.provider.aws.map((provider: any) => [provider.alias, provider.region])).toEqual([
      [undefined, "us-east-1"],
      ["us-east-1", "us-east-1"],
      ["eu-west-1", "eu-west-1"],
    ]);
    for (const provider of stack.provider.aws) {
      expect(provider.allowed_account_ids).toEqual(["111111111111"]);
    }
  });

  // The file is config/test.yaml: the environment tag comes from the config's environment.
  it("tags everything with the project, the environment and the stack", () => {
    for (const provider of stack.provider.aws) {
      expect(provider.default_tags).toEqual([
        {
          tags: {
            Project: "license-manager-org",
            Environment: "sandbox",
            "license-manager-org:project": "license-manager-org",
            "license-manager-org:environment": "sandbox",
            "license-manager-org:stack": "license-manager",
          },
        },
      ]);
    }
  });

  it("without an environment in the config, takes the environment tag from the config file's name", () => {
    const unnamed = synthesizeStacks(configWith((document) => delete document.environment));
    expect(unnamed["license-manager"].provider.aws[0].default_tags[0].tags).toMatchObject({
      "license-manager-org:environment": "test",
    });
  });

  describe("service-linked role", () => {
    it("is AWSServiceRoleForAWSLicenseManagerRole of license-manager.amazonaws.com, and AWS Marketplace's for the grants of its licenses", () => {
      expect(
        resourcesOf(stack, "aws_iam_service_linked_role")
          .map(([, role]) => role.aws_service_name)
          .sort(),
      ).toEqual(["license-management.marketplace.amazonaws.com", "license-manager.amazonaws.com"]);
      const withoutMarketplace = synthesizeStacks(
        configWith((document) => {
          for (const grant of document.licenseManager.grants) grant.marketplace = false;
          for (const grant of document.licenseManager.grants) delete grant.activationOverrideBehavior;
        }),
      )["license-manager"];
      expect(onlyResource(withoutMarketplace, "aws_iam_service_linked_role").aws_service_name).toBe(
        "license-manager.amazonaws.com",
      );
    });

    it("each is imported, not created, when IAM already has it", () => {
      const existing = existingRoleNamed("AWSServiceRoleForAWSLicenseManagerRole");
      const existingMarketplace = existingRoleNamed("AWSServiceRoleForMarketplaceLicenseManagement");
      expect(stack.data.aws_iam_roles[existing]).toMatchObject({
        path_prefix: "/aws-service-role/license-manager.amazonaws.com/",
      });
      expect(stack.data.aws_iam_roles[existingMarketplace]).toMatchObject({
        path_prefix: "/aws-service-role/license-management.marketplace.amazonaws.com/",
      });
      // The license configurations' import blocks are test/stacks/unmanaged-lookup.test.ts's.
      const roleImports = (stack.import as { to: string }[]).filter((block) =>
        block.to.startsWith("aws_iam_service_linked_role."),
      );
      expect(roleImports).toEqual([
        { for_each: `\${data.aws_iam_roles.${existing}.arns}`, to: roleAddress, id: "${each.value}" },
        {
          for_each: `\${data.aws_iam_roles.${existingMarketplace}.arns}`,
          to: marketplaceRoleAddress,
          id: "${each.value}",
        },
      ]);
    });

    it("AWS Marketplace's is created before the grants, which check its trusted access at plan time", () => {
      for (const [, grant] of resourcesOf(stack, "aws_licensemanager_grant")) {
        expect(grant.depends_on).toContain(marketplaceRoleAddress);
        expect(grant.lifecycle.precondition[0].error_message).toContain(
          "Trusted access for license-management.marketplace.amazonaws.com is not enabled in the organization",
        );
      }
    });
  });

  describe.each(["us-east-1", "eu-west-1"])("settings in %s", (region) => {
    const [[settingsName, settings]] = settingsIn(stack, region);
    const [[bucketName, bucket]] = inRegion(stack, "aws_s3_bucket", region);
    const [[topicName, topic]] = inRegion(stack, "aws_sns_topic", region);
    const [[bucketPolicyName]] = inRegion(stack, "aws_s3_bucket_policy", region);
    const [[topicPolicyName]] = inRegion(stack, "aws_sns_topic_policy", region);
    const desired = {
      enableIntegration: true,
      enableCrossAccountsDiscovery: true,
      s3BucketArn: `\${aws_s3_bucket.${bucketName}.arn}`,
      snsTopicArn: `\${aws_sns_topic.${topicName}.arn}`,
    };

    it("links Organizations with the configured discovery, bucket and topic, rerunning when they change", () => {
      const input = { kind: "license-manager-settings", region, desired };
      expect(settings.input).toEqual(input);
      expect(settings.triggers_replace).toEqual(input);
    });

    it("runs the reconcile CLI from the project root with the deploy role", () => {
      const { "local-exec": localExec } = settings.provisioner[0];
      expect(localExec.working_dir).toBe("${path.root}/../../..");
      expect(localExec.command).toBe(
        'npx --no-install tsx tools/reconcile.ts apply --input "$LM_RECONCILE_INPUT" ' +
          '--role-arn "$LM_RECONCILE_ROLE"',
      );
      expect(localExec.environment.LM_RECONCILE_INPUT).toMatch(
        /^\$\{jsonencode\(\{"kind" = "license-manager-settings", "region" = "[a-z0-9-]+", "desired" = \{/,
      );
      expect(localExec.environment.LM_RECONCILE_ROLE).toBe(
        "arn:aws:iam::111111111111:role/LicenseManagerDeployer",
      );
    });

    it("runs only after the service-linked role, bucket policy and topic policy exist", () => {
      expect(settings.depends_on).toEqual([
        roleAddress,
        address("aws_s3_bucket_policy", bucketPolicyName),
        address("aws_sns_topic_policy", topicPolicyName),
      ]);
    });

    it("fails the plan while trusted access for either License Manager principal is off", () => {
      expect(settings.lifecycle.precondition.map((p: any) => p.condition)).toEqual([
        '${contains(tolist(data.aws_organizations_organization.organization.aws_service_access_principals), "license-manager.amazonaws.com")}',
        '${contains(tolist(data.aws_organizations_organization.organization.aws_service_access_principals), "license-manager.member-account.amazonaws.com")}',
      ]);
      expect(settings.lifecycle.precondition[0].error_message).toBe(
        "Trusted access for license-manager.amazonaws.com is not enabled in the organization. Deploy the " +
          "organization stack first (npx cdktf deploy organization): it enables trusted access, and restores " +
          "it if it was disabled outside Terraform.",
      );
    });

    it("creates the report bucket with License Manager's required prefix, in the region", () => {
      expect(bucket).toMatchObject({
        bucket: `aws-license-manager-service-111111111111-${region}`,
        provider: `aws.${region}`,
      });
    });

    it("lets License Manager and the organization's resource data syncs use the bucket, over TLS only", () => {
      const [[, policy]] = inRegion(stack, "aws_s3_bucket_policy", region);
      const statements = JSON.parse(policy.policy).Statement;
      expect(statements.map((s: any) => s.Sid)).toEqual([
        "DenyInsecureTransport",
        "LicenseManagerBucketCheck",
        "LicenseManagerDelivery",
        "ResourceDataSyncBucketCheck",
        "ResourceDataSyncDelivery",
      ]);
      expect(statements[2]).toMatchObject({
        Principal: { Service: "license-manager.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
      });
      expect(statements[4].Condition).toEqual({
        StringEquals: { "aws:SourceOrgID": "${data.aws_organizations_organization.organization.id}" },
      });
    });

    it("hardens the report bucket like the state bucket", () => {
      expect(inRegion(stack, "aws_s3_bucket_public_access_block", region)[0][1]).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(
        inRegion(stack, "aws_s3_bucket_server_side_encryption_configuration", region)[0][1].rule,
      ).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" }, bucket_key_enabled: false },
      ]);
    });

    it("creates the alert topic License Manager may publish to", () => {
      expect(topic.name).toBe("aws-license-manager-service-notifications");
      const [[, topicPolicy]] = inRegion(stack, "aws_sns_topic_policy", region);
      expect(JSON.parse(topicPolicy.policy).Statement[0]).toMatchObject({
        Principal: { Service: "license-manager.amazonaws.com" },
        Action: "sns:Publish",
      });
    });

    it("creates the license configurations of the region only after the settings", () => {
      for (const [, configuration] of inRegion(stack, "aws_licensemanager_license_configuration", region)) {
        expect(configuration.depends_on).toEqual([address("terraform_data", settingsName)]);
        expect(configuration.provider).toBe(`aws.${region}`);
      }
    });
  });

  it("creates each license configuration in its regions, with typed rules turned into rule strings", () => {
    const configurations = resourcesOf(stack, "aws_licensemanager_license_configuration").map(([name, c]) => [
      name.split("_")[0],
      c.name,
    ]);
    expect(configurations).toEqual([
      ["eu-west-1", "windows-server-datacenter"],
      ["us-east-1", "sql-server-enterprise"],
      ["us-east-1", "windows-server-datacenter"],
    ]);
    const [[, windows]] = inRegion(stack, "aws_licensemanager_license_configuration", "us-east-1").filter(
      ([, c]) => c.name === "windows-server-datacenter",
    );
    expect(windows).toMatchObject({
      description: "Windows Server Datacenter, BYOL on dedicated hosts",
      license_counting_type: "Core",
      license_count: 96,
      license_count_hard_limit: true,
      license_rules: [
        "#minimumCores=8",
        "#maximumCores=128",
        "#allowedTenancy=EC2-DedicatedHost",
        "#licenseAffinityToHost=90",
      ],
    });
  });

  it("associates the configured AMIs, by ARN, in their region only", () => {
    const associations = resourcesOf(stack, "aws_licensemanager_association");
    expect(associations).toHaveLength(1);
    const [[name, association]] = associations;
    expect(name.startsWith("us-east-1_license-configuration-windows-server-datacenter_")).toBe(true);
    expect(association).toMatchObject({
      provider: "aws.us-east-1",
      resource_arn: "arn:aws:ec2:us-east-1::image/ami-0abc1234def567890",
    });
    expect(association.license_configuration_arn).toMatch(
      /^\$\{aws_licensemanager_license_configuration\.us-east-1_license-configuration-windows-server-datacenter_configuration_\w+\.arn\}$/,
    );
  });
});

describe("license-manager stack with an existing bucket and topic", () => {
  const topicArn = "arn:aws:sns:eu-west-1:111111111111:alerts";
  const bucketArn = "arn:aws:s3:::aws-license-manager-service-acme";
  const stack = synthesizeStacks(
    configWith((document) => {
      document.licenseManager.settings = {
        crossAccountDiscovery: false,
        reportBucketArn: bucketArn,
        snsTopicArns: { "eu-west-1": topicArn },
      };
    }),
  )["license-manager"];

  it("creates no bucket, and a topic only where none is given", () => {
    expect(stack.resource.aws_s3_bucket).toBeUndefined();
    expect(Object.keys(stack.resource.aws_sns_topic)).toEqual([expect.stringMatching(/^us-east-1_/)]);
  });

  it("uses the existing ARNs in the settings, with cross-account discovery off", () => {
    const [[, settings]] = settingsIn(stack, "eu-west-1");
    expect(settings.input).toEqual(
      settingsInput("eu-west-1", { s3BucketArn: bucketArn, snsTopicArn: topicArn }),
    );
  });
});

/** No access stack and no roles: every stack uses the caller's own credentials. */
function withoutRoles(document: Record<string, any>): void {
  delete document.deployRoleArn;
  delete document.planRoleArn;
  delete document.access;
}

describe("license-manager stack without a deploy role", () => {
  const stack = synthesizeStacks(configWith(withoutRoles))["license-manager"];

  it("runs the reconcile CLI with the caller's credentials", () => {
    const [[, settings]] = settingsIn(stack, "us-east-1");
    expect(settings.provisioner[0]["local-exec"].command).not.toContain("--role-arn");
  });
});
