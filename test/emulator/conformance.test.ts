import * as iamApi from "@aws-sdk/client-iam";
import * as lm from "@aws-sdk/client-license-manager";
import * as org from "@aws-sdk/client-organizations";
import ResourceGroupsTaggingAPI from "aws-sdk/clients/resourcegroupstaggingapi";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { coverage } from "../../sandbox/emulator/conformance/check";
import { mintGitHubActionsToken } from "../../sandbox/emulator/github-oidc-token";
import { SANDBOX_MARKETPLACE_LICENSE_ARN } from "../../sandbox/emulator/seed";
import { assumeRole, callLog, clientsFor, memberAccessRole, useEmulator } from "./emulator-clients";

// @aws-sdk/client-sns is not a dependency: SNS is driven over the query protocol as the SDK would send it.
async function sns(url: string, params: Record<string, string>): Promise<void> {
  await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: new URLSearchParams({ Version: "2010-03-31", ...params }).toString(),
  });
}

/** A call whose answer (success or the documented error) is all the check needs. */
const either = (promise: Promise<unknown>): Promise<unknown> => promise.catch(() => undefined);

const LM = "license-manager.amazonaws.com";
const ISSUER = "https://token.actions.githubusercontent.com";
const AMI = "arn:aws:ec2:us-east-1::image/ami-0abcdef1234567890";
const LICENSE = SANDBOX_MARKETPLACE_LICENSE_ARN;

describe("the emulator against AWS's API models (aws-sdk v2 apis/*.min.json)", () => {
  const emulator = useEmulator({ capture: true, iamMode: "enforce" });

  it("serves every operation with requests, responses and errors the models and SDK v3 error schemas accept", async () => {
    const url = emulator().url;
    const { iam, organizations, licenseManager, sts } = clientsFor(emulator());

    // Organizations
    await organizations.send(new org.DescribeOrganizationCommand({}));
    await either(organizations.send(new org.CreateOrganizationCommand({ FeatureSet: "ALL" })));
    const { Roots } = await organizations.send(new org.ListRootsCommand({}));
    await organizations.send(new org.ListAccountsCommand({}));
    await organizations.send(new org.DescribeAccountCommand({ AccountId: "222222222222" }));
    await either(organizations.send(new org.DescribeAccountCommand({ AccountId: "999999999999" })));
    await organizations.send(new org.EnableAWSServiceAccessCommand({ ServicePrincipal: LM }));
    await organizations.send(new org.ListAWSServiceAccessForOrganizationCommand({}));
    await either(
      organizations.send(
        new org.EnablePolicyTypeCommand({ RootId: Roots![0].Id!, PolicyType: "TAG_POLICY" }),
      ),
    );
    await either(
      organizations.send(
        new org.DisablePolicyTypeCommand({ RootId: Roots![0].Id!, PolicyType: "TAG_POLICY" }),
      ),
    );
    await organizations.send(
      new org.RegisterDelegatedAdministratorCommand({ AccountId: "444444444444", ServicePrincipal: LM }),
    );
    await organizations.send(new org.ListDelegatedAdministratorsCommand({ ServicePrincipal: LM }));
    await organizations.send(new org.ListDelegatedServicesForAccountCommand({ AccountId: "444444444444" }));
    await organizations.send(
      new org.DeregisterDelegatedAdministratorCommand({ AccountId: "444444444444", ServicePrincipal: LM }),
    );
    await either(
      organizations.send(
        new org.TagResourceCommand({ ResourceId: Roots![0].Id!, Tags: [{ Key: "a", Value: "1" }] }),
      ),
    );
    await either(organizations.send(new org.ListTagsForResourceCommand({ ResourceId: Roots![0].Id! })));
    await either(
      organizations.send(new org.UntagResourceCommand({ ResourceId: Roots![0].Id!, TagKeys: ["a"] })),
    );
    await organizations.send(
      new org.DisableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" }),
    );
    await either(organizations.send(new org.DeleteOrganizationCommand({})));

    // License Manager
    await organizations.send(new org.EnableAWSServiceAccessCommand({ ServicePrincipal: LM }));
    await licenseManager.send(new lm.GetServiceSettingsCommand({}));
    await either(
      licenseManager.send(
        new lm.UpdateServiceSettingsCommand({
          OrganizationConfiguration: { EnableIntegration: true },
          EnableCrossAccountsDiscovery: false,
        }),
      ),
    );
    const { LicenseConfigurationArn: arn } = await licenseManager.send(
      new lm.CreateLicenseConfigurationCommand({
        Name: "windows",
        LicenseCountingType: "vCPU",
        LicenseCount: 10,
        LicenseRules: ["#minimumVcpus=2"],
        Tags: [{ Key: "a", Value: "1" }],
      }),
    );
    await licenseManager.send(new lm.GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    await either(
      licenseManager.send(new lm.GetLicenseConfigurationCommand({ LicenseConfigurationArn: `${arn}0` })),
    );
    await licenseManager.send(new lm.ListLicenseConfigurationsCommand({}));
    await licenseManager.send(
      new lm.UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 20 }),
    );
    await licenseManager.send(
      new lm.UpdateLicenseConfigurationCommand({
        LicenseConfigurationArn: arn,
        DisassociateWhenNotFound: true,
        ProductInformationList: [
          {
            ResourceType: "SSM_MANAGED",
            ProductInformationFilterList: [
              {
                ProductInformationFilterName: "Application Name",
                ProductInformationFilterValue: ["SQL Server"],
                ProductInformationFilterComparator: "EQUALS",
              },
            ],
          },
        ],
      }),
    );
    const { LicenseManagerReportGeneratorArn: generatorArn } = await licenseManager.send(
      new lm.CreateLicenseManagerReportGeneratorCommand({
        ReportGeneratorName: "weekly",
        Type: ["LicenseConfigurationUsageReport"],
        ReportContext: { licenseConfigurationArns: [arn!] },
        ReportFrequency: { value: 1, period: "WEEK" },
        ClientToken: "conformance",
        Tags: [{ Key: "a", Value: "1" }],
      }),
    );
    await licenseManager.send(
      new lm.GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
    );
    await either(
      licenseManager.send(
        new lm.GetLicenseManagerReportGeneratorCommand({
          LicenseManagerReportGeneratorArn: `${generatorArn}0`,
        }),
      ),
    );
    await licenseManager.send(
      new lm.UpdateLicenseManagerReportGeneratorCommand({
        LicenseManagerReportGeneratorArn: generatorArn,
        ReportGeneratorName: "weekly",
        Type: ["LicenseConfigurationSummaryReport"],
        ReportContext: { licenseConfigurationArns: [arn!] },
        ReportFrequency: { value: 1, period: "MONTH" },
        ClientToken: "conformance-2",
        Description: "monthly",
      }),
    );
    await licenseManager.send(new lm.ListLicenseManagerReportGeneratorsCommand({}));
    await licenseManager.send(
      new lm.DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
    );
    await licenseManager.send(
      new lm.TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "b", Value: "2" }] }),
    );
    await licenseManager.send(new lm.UntagResourceCommand({ ResourceArn: arn, TagKeys: ["a"] }));
    await licenseManager.send(new lm.ListTagsForResourceCommand({ ResourceArn: arn }));
    await licenseManager.send(
      new lm.UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: AMI,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      }),
    );
    await licenseManager.send(new lm.ListLicenseSpecificationsForResourceCommand({ ResourceArn: AMI }));
    await licenseManager.send(
      new lm.ListAssociationsForLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
    );
    await licenseManager.send(
      new lm.UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: AMI,
        RemoveLicenseSpecifications: [{ LicenseConfigurationArn: arn }],
      }),
    );
    await licenseManager.send(new lm.DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));

    // Licenses and grants: the seeded Marketplace license, granted to one member account, which accepts it
    // (already accepted by the organization link: the documented refusal), lists it and rejects it.
    await licenseManager.send(new lm.GetLicenseCommand({ LicenseArn: LICENSE }));
    await either(licenseManager.send(new lm.GetLicenseCommand({ LicenseArn: `${LICENSE.slice(0, -1)}f` })));
    await licenseManager.send(new lm.ListReceivedLicensesCommand({}));
    const { GrantArn: grantArn } = await licenseManager.send(
      new lm.CreateGrantCommand({
        ClientToken: "conformance",
        GrantName: "analytics",
        LicenseArn: LICENSE,
        Principals: ["arn:aws:iam::444444444444:root"],
        HomeRegion: "us-east-1",
        AllowedOperations: ["CheckoutLicense", "CheckInLicense"],
      }),
    );
    await licenseManager.send(new lm.GetGrantCommand({ GrantArn: grantArn }));
    await either(licenseManager.send(new lm.GetGrantCommand({ GrantArn: `${grantArn}0` })));
    const security = clientsFor(
      emulator(),
      await assumeRole(emulator(), memberAccessRole("444444444444")),
    ).licenseManager;
    await either(security.send(new lm.AcceptGrantCommand({ GrantArn: grantArn })));
    await security.send(new lm.ListReceivedGrantsCommand({}));
    await iam.send(
      new iamApi.CreateServiceLinkedRoleCommand({
        AWSServiceName: "license-management.marketplace.amazonaws.com",
      }),
    );
    await licenseManager.send(
      new lm.CreateGrantVersionCommand({
        ClientToken: "conformance-activate",
        GrantArn: grantArn,
        Status: "ACTIVE",
        Options: { ActivationOverrideBehavior: "DISTRIBUTED_GRANTS_ONLY" },
      }),
    );
    await licenseManager.send(new lm.ListDistributedGrantsCommand({}));
    await licenseManager.send(new lm.ListReceivedGrantsForOrganizationCommand({ LicenseArn: LICENSE }));
    await security.send(new lm.RejectGrantCommand({ GrantArn: grantArn }));
    const { Grant: rejected } = await licenseManager.send(new lm.GetGrantCommand({ GrantArn: grantArn }));
    await licenseManager.send(new lm.DeleteGrantCommand({ GrantArn: grantArn, Version: rejected!.Version }));

    // IAM
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
      ],
    });
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }],
    });
    await iam.send(
      new iamApi.CreateRoleCommand({
        RoleName: "Checked",
        AssumeRolePolicyDocument: trust,
        Description: "d",
        Tags: [{ Key: "a", Value: "1" }],
      }),
    );
    await iam.send(new iamApi.GetRoleCommand({ RoleName: "Checked" }));
    await either(iam.send(new iamApi.GetRoleCommand({ RoleName: "Missing" })));
    await iam.send(new iamApi.ListRolesCommand({}));
    await iam.send(
      new iamApi.PutRolePolicyCommand({ RoleName: "Checked", PolicyName: "p", PolicyDocument: policy }),
    );
    await iam.send(new iamApi.GetRolePolicyCommand({ RoleName: "Checked", PolicyName: "p" }));
    await iam.send(new iamApi.ListRolePoliciesCommand({ RoleName: "Checked" }));
    await iam.send(new iamApi.ListAttachedRolePoliciesCommand({ RoleName: "Checked" }));
    await iam.send(new iamApi.ListInstanceProfilesForRoleCommand({ RoleName: "Checked" }));
    await iam.send(new iamApi.UpdateAssumeRolePolicyCommand({ RoleName: "Checked", PolicyDocument: trust }));
    await iam.send(new iamApi.UpdateRoleCommand({ RoleName: "Checked", MaxSessionDuration: 7200 }));
    await iam.send(new iamApi.UpdateRoleDescriptionCommand({ RoleName: "Checked", Description: "e" }));
    await iam.send(new iamApi.TagRoleCommand({ RoleName: "Checked", Tags: [{ Key: "b", Value: "2" }] }));
    await iam.send(new iamApi.UntagRoleCommand({ RoleName: "Checked", TagKeys: ["a"] }));
    await iam.send(new iamApi.ListRoleTagsCommand({ RoleName: "Checked" }));
    await iam.send(new iamApi.DeleteRolePolicyCommand({ RoleName: "Checked", PolicyName: "p" }));
    await iam.send(new iamApi.DeleteRoleCommand({ RoleName: "Checked" }));
    await either(iam.send(new iamApi.CreateServiceLinkedRoleCommand({ AWSServiceName: LM })));
    const { DeletionTaskId } = await iam.send(
      new iamApi.DeleteServiceLinkedRoleCommand({ RoleName: "AWSServiceRoleForAWSLicenseManagerRole" }),
    );
    await iam.send(new iamApi.GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }));
    const { OpenIDConnectProviderArn } = await iam.send(
      new iamApi.CreateOpenIDConnectProviderCommand({
        Url: ISSUER,
        ClientIDList: ["sts.amazonaws.com"],
        Tags: [{ Key: "a", Value: "1" }],
      }),
    );
    const provider = { OpenIDConnectProviderArn };
    await iam.send(new iamApi.GetOpenIDConnectProviderCommand(provider));
    await iam.send(new iamApi.ListOpenIDConnectProvidersCommand({}));
    await iam.send(new iamApi.AddClientIDToOpenIDConnectProviderCommand({ ...provider, ClientID: "other" }));
    await iam.send(
      new iamApi.RemoveClientIDFromOpenIDConnectProviderCommand({ ...provider, ClientID: "other" }),
    );
    await iam.send(
      new iamApi.UpdateOpenIDConnectProviderThumbprintCommand({
        ...provider,
        ThumbprintList: ["a".repeat(40)],
      }),
    );
    await iam.send(
      new iamApi.TagOpenIDConnectProviderCommand({ ...provider, Tags: [{ Key: "b", Value: "2" }] }),
    );
    await iam.send(new iamApi.UntagOpenIDConnectProviderCommand({ ...provider, TagKeys: ["a"] }));
    await iam.send(new iamApi.ListOpenIDConnectProviderTagsCommand(provider));

    // STS
    await sts.send(new GetCallerIdentityCommand({}));
    await assumeRole(emulator(), memberAccessRole("222222222222"));
    const repository = "example-org/app";
    await iam.send(
      new iamApi.CreateRoleCommand({
        RoleName: "Deployer",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: OpenIDConnectProviderArn },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
            },
          ],
        }),
      }),
    );
    await new STSClient({ endpoint: url, region: "us-east-1", maxAttempts: 1 }).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: "arn:aws:iam::111111111111:role/Deployer",
        RoleSessionName: "github-actions",
        WebIdentityToken: mintGitHubActionsToken({ repository, context: { environment: "production" } }),
      }),
    );
    await iam.send(new iamApi.DeleteOpenIDConnectProviderCommand(provider));

    // SNS
    const topic = "arn:aws:sns:us-east-1:111111111111:checked";
    await sns(url, {
      Action: "CreateTopic",
      Name: "checked",
      "Tags.member.1.Key": "a",
      "Tags.member.1.Value": "1",
    });
    await sns(url, { Action: "GetTopicAttributes", TopicArn: topic });
    await sns(url, {
      Action: "SetTopicAttributes",
      TopicArn: topic,
      AttributeName: "DisplayName",
      AttributeValue: "x",
    });
    await sns(url, { Action: "ListTopics" });
    await sns(url, {
      Action: "TagResource",
      ResourceArn: topic,
      "Tags.member.1.Key": "b",
      "Tags.member.1.Value": "2",
    });
    await sns(url, { Action: "UntagResource", ResourceArn: topic, "TagKeys.member.1": "a" });
    await sns(url, { Action: "ListTagsForResource", ResourceArn: topic });

    // Resource Groups Tagging API (the SDK v2 client: no v3 client among the dependencies)
    const tagging = new ResourceGroupsTaggingAPI({
      endpoint: url,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIASANDBOXMANAGEMENT", secretAccessKey: "sandbox-secret" },
      maxRetries: 0,
    });
    const page = await tagging
      .getResources({
        ResourceTypeFilters: ["license-manager"],
        ResourcesPerPage: 1,
        TagFilters: [{ Key: "a" }],
      })
      .promise();
    await tagging.getResources({ PaginationToken: page.PaginationToken || undefined }).promise();
    await either(tagging.getResources({ ResourcesPerPage: 500 }).promise());
    await sns(url, { Action: "DeleteTopic", TopicArn: topic });
    await sns(url, { Action: "GetTopicAttributes", TopicArn: topic });

    const { operations, violations } = coverage(await callLog(emulator()));
    expect(violations).toEqual([]);
    expect(
      operations.filter((o) => o.served && o.checked === 0).map((o) => `${o.service} ${o.action}`),
    ).toEqual([]);
  });
});
