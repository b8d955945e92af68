import { CreateServiceLinkedRoleCommand, GetRoleCommand, ListRolesCommand } from "@aws-sdk/client-iam";
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  GetServiceSettingsCommand,
  ListLicenseConfigurationsCommand,
} from "@aws-sdk/client-license-manager";
import {
  DescribeOrganizationCommand,
  DisableAWSServiceAccessCommand,
  EnableAWSServiceAccessCommand,
  ListAccountsCommand,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { resolveIamMode } from "../../sandbox/emulator/authorization/types";
import type { EmulatorState } from "../../sandbox/emulator/state";
import { allow, callLog, clientsFor, sessionOf, useEmulator, type Credentials } from "./emulator-clients";

const ACCOUNT = "111111111111";
const sessionArn = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/emulator-test`;
const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
const denied = (role: string, action: string, resource: string) =>
  `User: ${sessionArn(role)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

/** SNS over its query protocol (@aws-sdk/client-sns is not a dependency). */
async function sns(url: string, credentials: Credentials, params: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: "2010-03-31", ...params }).toString(),
  });
  return { status: response.status, body: await response.text() };
}

describe("IAM enforcement of role sessions", () => {
  const emulator = useEmulator();

  it("allows what the role's policy allows and answers each service's own error for the rest", async () => {
    const reader = await sessionOf(
      emulator(),
      "Reader",
      allow(
        [
          ["organizations:DescribeOrganization", "license-manager:GetServiceSettings", "sns:ListTopics"],
          ["*"],
        ],
        [["iam:GetRole"], [roleArn("Reader")]],
      ),
    );
    const { organizations, licenseManager, iam, sts } = clientsFor(emulator(), reader);

    expect((await organizations.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe(
      "o-sandbox00001",
    );
    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: denied("Reader", "organizations:ListAccounts", "*"),
      $metadata: { httpStatusCode: 400 },
    });

    await licenseManager.send(new GetServiceSettingsCommand({}));
    await expect(licenseManager.send(new ListLicenseConfigurationsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: denied("Reader", "license-manager:ListLicenseConfigurations", "*"),
      $metadata: { httpStatusCode: 400 },
    });

    expect((await iam.send(new GetRoleCommand({ RoleName: "Reader" }))).Role?.Arn).toBe(roleArn("Reader"));
    await expect(iam.send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: "AccessDenied",
      message: denied("Reader", "iam:ListRoles", "*"),
      $metadata: { httpStatusCode: 403 },
    });

    // Every principal may ask who it is.
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(sessionArn("Reader"));

    expect((await sns(emulator().url, reader, { Action: "ListTopics" })).status).toBe(200);
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
    const create = await sns(emulator().url, reader, { Action: "CreateTopic", Name: "alerts" });
    expect(create.status).toBe(403);
    expect(create.body).toContain("<Code>AuthorizationError</Code>");
    expect(create.body).toContain(
      `<Message>User: ${sessionArn("Reader")} is not authorized to perform: SNS:CreateTopic on resource: ${topic} because no identity-based policy allows the SNS:CreateTopic action</Message>`,
    );
  });

  it("answers the explicit-deny message when a Deny statement matches", async () => {
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "organizations:*", Resource: "*" },
        { Effect: "Deny", Action: "organizations:ListAccounts", Resource: "*" },
      ],
    };
    const { organizations } = clientsFor(emulator(), await sessionOf(emulator(), "Fenced", policy));
    await organizations.send(new DescribeOrganizationCommand({}));
    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: `User: ${sessionArn("Fenced")} is not authorized to perform: organizations:ListAccounts on resource: * with an explicit deny in an identity-based policy`,
    });
  });

  it("limits trusted access to the principals organizations:ServicePrincipal lists", async () => {
    const deployer = await sessionOf(
      emulator(),
      "Deployer",
      allow(
        [
          ["organizations:EnableAWSServiceAccess"],
          ["*"],
          { StringEquals: { "organizations:ServicePrincipal": ["license-manager.amazonaws.com"] } },
        ],
        [
          ["organizations:DisableAWSServiceAccess"],
          ["*"],
          { StringEquals: { "organizations:ServicePrincipal": ["cloudtrail.amazonaws.com"] } },
        ],
      ),
    );
    const { organizations } = clientsFor(emulator(), deployer);
    await organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
    );
    await expect(
      organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: "config.amazonaws.com" })),
    ).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: denied("Deployer", "organizations:EnableAWSServiceAccess", "*"),
    });
    await organizations.send(
      new DisableAWSServiceAccessCommand({ ServicePrincipal: "cloudtrail.amazonaws.com" }),
    );
    await expect(
      organizations.send(new DisableAWSServiceAccessCommand({ ServicePrincipal: "sso.amazonaws.com" })),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });

    const state = (await (await fetch(`${emulator().url}/_sandbox/state`)).json()) as EmulatorState;
    expect(Object.keys(state.organization!.enabledServicePrincipals).sort()).toEqual([
      "license-manager.amazonaws.com",
      "sso.amazonaws.com",
    ]);
    const enables = (await callLog(emulator())).filter((entry) => entry.action.endsWith("AWSServiceAccess"));
    expect(
      enables.map(({ action, status, decision, conditionKeys }) => ({
        action,
        status,
        decision,
        conditionKeys,
      })),
    ).toEqual([
      {
        action: "EnableAWSServiceAccess",
        status: 200,
        decision: "allowed",
        conditionKeys: { "organizations:ServicePrincipal": "license-manager.amazonaws.com" },
      },
      {
        action: "EnableAWSServiceAccess",
        status: 400,
        decision: "denied",
        conditionKeys: { "organizations:ServicePrincipal": "config.amazonaws.com" },
      },
      {
        action: "DisableAWSServiceAccess",
        status: 200,
        decision: "allowed",
        conditionKeys: { "organizations:ServicePrincipal": "cloudtrail.amazonaws.com" },
      },
      {
        action: "DisableAWSServiceAccess",
        status: 400,
        decision: "denied",
        conditionKeys: { "organizations:ServicePrincipal": "sso.amazonaws.com" },
      },
    ]);
  });

  it("lets iam:AWSServiceName pick the service-linked role a session may create", async () => {
    const { iam } = clientsFor(
      emulator(),
      await sessionOf(
        emulator(),
        "RoleMaker",
        allow([
          ["iam:CreateServiceLinkedRole"],
          ["*"],
          { StringEquals: { "iam:AWSServiceName": "license-manager.amazonaws.com" } },
        ]),
      ),
    );
    const { Role } = await iam.send(
      new CreateServiceLinkedRoleCommand({ AWSServiceName: "license-manager.amazonaws.com" }),
    );
    expect(Role?.RoleName).toBe("AWSServiceRoleForAWSLicenseManagerRole");
    await expect(
      iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: "sso.amazonaws.com" })),
    ).rejects.toMatchObject({
      name: "AccessDenied",
      message: denied(
        "RoleMaker",
        "iam:CreateServiceLinkedRole",
        `arn:aws:iam::${ACCOUNT}:role/aws-service-role/sso.amazonaws.com/AWSServiceRoleForSSO`,
      ),
      $metadata: { httpStatusCode: 403 },
    });
  });

  it("scopes license configurations by ARN and checks aws:RequestTag on creation", async () => {
    const admin = clientsFor(emulator()).licenseManager;
    const create = (tags: { Key: string; Value: string }[]) =>
      new CreateLicenseConfigurationCommand({ Name: "windows", LicenseCountingType: "vCPU", Tags: tags });
    const mine = (await admin.send(create([]))).LicenseConfigurationArn!;
    const other = (await admin.send(create([]))).LicenseConfigurationArn!;
    const { licenseManager } = clientsFor(
      emulator(),
      await sessionOf(
        emulator(),
        "Licenses",
        allow(
          [["license-manager:GetLicenseConfiguration"], [mine]],
          [
            ["license-manager:CreateLicenseConfiguration"],
            ["*"],
            { StringEquals: { "aws:RequestTag/team": "platform" } },
          ],
        ),
      ),
    );
    await licenseManager.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: mine }));
    await expect(
      licenseManager.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: other })),
    ).rejects.toMatchObject({
      message: denied("Licenses", "license-manager:GetLicenseConfiguration", other),
    });
    await licenseManager.send(create([{ Key: "team", Value: "platform" }]));
    await expect(licenseManager.send(create([{ Key: "team", Value: "data" }]))).rejects.toMatchObject({
      name: "AccessDeniedException",
      message: denied("Licenses", "license-manager:CreateLicenseConfiguration", "*"),
    });
  });

  it("logs the IAM action, resources, session role and decision of every call; user keys are unrestricted", async () => {
    await clientsFor(emulator()).organizations.send(new DescribeOrganizationCommand({}));
    const reader = await sessionOf(emulator(), "Reader", allow([["iam:GetRole"], [roleArn("Reader")]]));
    const { iam } = clientsFor(emulator(), reader);
    await iam.send(new GetRoleCommand({ RoleName: "Reader" }));
    await iam.send(new GetRoleCommand({ RoleName: "Other" })).catch(() => undefined);

    const log = (await callLog(emulator())).map(({ time: _time, ...entry }) => entry);
    expect(log[0]).toEqual({
      service: "organizations",
      action: "DescribeOrganization",
      accountId: ACCOUNT,
      principal: `arn:aws:iam::${ACCOUNT}:user/sandbox-admin`,
      region: "us-east-1",
      status: 200,
      iamAction: "organizations:DescribeOrganization",
      resources: ["*"],
      decision: "unrestricted",
    });
    expect(log.slice(-2)).toEqual([
      {
        service: "iam",
        action: "GetRole",
        accountId: ACCOUNT,
        principal: sessionArn("Reader"),
        region: "us-east-1",
        status: 200,
        iamAction: "iam:GetRole",
        resources: [roleArn("Reader")],
        roleArn: roleArn("Reader"),
        decision: "allowed",
      },
      {
        service: "iam",
        action: "GetRole",
        accountId: ACCOUNT,
        principal: sessionArn("Reader"),
        region: "us-east-1",
        status: 403,
        errorCode: "AccessDenied",
        iamAction: "iam:GetRole",
        resources: [roleArn("Other")],
        roleArn: roleArn("Reader"),
        decision: "denied",
      },
    ]);
  });

  it("records tag-on-create's tagging action beside the creation", async () => {
    const creator = await sessionOf(emulator(), "Topics", allow([["sns:CreateTopic"], ["*"]]));
    const reply = await sns(emulator().url, creator, {
      Action: "CreateTopic",
      Name: "alerts",
      "Tags.member.1.Key": "team",
      "Tags.member.1.Value": "platform",
    });
    expect(reply.status).toBe(403);
    expect(reply.body).toContain("SNS:TagResource");
    const entry = (await callLog(emulator())).at(-1)!;
    expect(entry).toMatchObject({
      iamAction: "sns:CreateTopic",
      decision: "denied",
      conditionKeys: { "aws:RequestTag/team": "platform", "aws:TagKeys": ["team"] },
      additionalChecks: [
        {
          iamAction: "sns:TagResource",
          resources: [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`],
          conditionKeys: { "aws:RequestTag/team": "platform", "aws:TagKeys": ["team"] },
          decision: "denied",
        },
      ],
    });
  });
});

describe("IAM modes", () => {
  describe("audit", () => {
    const emulator = useEmulator({ iamMode: "audit" });

    it("evaluates and logs audit-denied, but lets the call through", async () => {
      const { organizations } = clientsFor(
        emulator(),
        await sessionOf(emulator(), "Reader", allow([["iam:GetRole"], ["*"]])),
      );
      const { Accounts } = await organizations.send(new ListAccountsCommand({}));
      expect(Accounts).toHaveLength(4);
      expect((await callLog(emulator())).at(-1)).toMatchObject({
        action: "ListAccounts",
        status: 200,
        iamAction: "organizations:ListAccounts",
        roleArn: roleArn("Reader"),
        decision: "audit-denied",
      });
    });
  });

  describe("off", () => {
    const emulator = useEmulator({ iamMode: "off" });

    it("evaluates nothing: sessions and trust policies are unrestricted", async () => {
      const untrusting = {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" },
        ],
      };
      const { organizations } = clientsFor(
        emulator(),
        await sessionOf(emulator(), "Nobody", allow([["iam:GetRole"], ["*"]]), untrusting),
      );
      await organizations.send(new ListAccountsCommand({}));
      expect((await callLog(emulator())).at(-1)).toMatchObject({
        iamAction: "organizations:ListAccounts",
        roleArn: roleArn("Nobody"),
        decision: "unrestricted",
      });
    });
  });

  it("takes the option, else SANDBOX_IAM, else enforce, and names the allowed values", () => {
    const saved = process.env.SANDBOX_IAM;
    try {
      process.env.SANDBOX_IAM = "audit";
      expect(resolveIamMode(undefined)).toBe("audit");
      expect(resolveIamMode("off")).toBe("off");
      delete process.env.SANDBOX_IAM;
      expect(resolveIamMode(undefined)).toBe("enforce");
    } finally {
      if (saved === undefined) delete process.env.SANDBOX_IAM;
      else process.env.SANDBOX_IAM = saved;
    }
    expect(() => resolveIamMode("strict")).toThrow(
      'SANDBOX_IAM must be one of enforce, audit, off (got "strict")',
    );
  });
});
