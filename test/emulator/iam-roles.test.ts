import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListOpenIDConnectProvidersCommand,
  ListOpenIDConnectProviderTagsCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UntagOpenIDConnectProviderCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  UpdateRoleCommand,
} from "@aws-sdk/client-iam";
import { clientsFor, useEmulator } from "./emulator-clients";

const trust = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
  ],
};
const readOrganization = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["organizations:DescribeOrganization"], Resource: ["*"] }],
};
const ISSUER = "https://token.actions.githubusercontent.com";
const PROVIDER_ARN = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";

describe("IAM roles and inline policies", () => {
  const emulator = useEmulator();
  const iam = () => clientsFor(emulator()).iam;
  const createRole = (name = "LicenseManagerPlanner") =>
    iam().send(
      new CreateRoleCommand({
        RoleName: name,
        Path: "/deploy/",
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: "plans and drift checks",
        MaxSessionDuration: 7200,
        Tags: [{ Key: "team", Value: "platform" }],
      }),
    );

  it("creates a role and reads it back with its path, settings, tags and URL-encoded trust policy", async () => {
    const { Role: created } = await createRole();
    expect(created).toMatchObject({
      RoleName: "LicenseManagerPlanner",
      Path: "/deploy/",
      Arn: "arn:aws:iam::111111111111:role/deploy/LicenseManagerPlanner",
      RoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
    });
    const raw = await fetchRole(emulator().url, "LicenseManagerPlanner");
    expect(raw).toContain(
      `<AssumeRolePolicyDocument>${encodeURIComponent(JSON.stringify(trust))}</AssumeRolePolicyDocument>`,
    );
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: "LicenseManagerPlanner" }));
    expect(Role).toMatchObject({
      Description: "plans and drift checks",
      MaxSessionDuration: 7200,
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(trust);
  });

  it("refuses a second role of the same name and malformed or oversized documents as IAM does", async () => {
    await createRole();
    await expect(createRole()).rejects.toMatchObject({
      name: "EntityAlreadyExistsException",
      message: "Role with name LicenseManagerPlanner already exists.",
      $metadata: { httpStatusCode: 409 },
    });
    await expect(
      iam().send(new CreateRoleCommand({ RoleName: "Broken", AssumeRolePolicyDocument: "{not json" })),
    ).rejects.toMatchObject({
      name: "MalformedPolicyDocumentException",
      message: "This policy contains invalid Json",
    });
    await expect(
      iam().send(
        new PutRolePolicyCommand({
          RoleName: "LicenseManagerPlanner",
          PolicyName: "read",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3GetObject", Resource: "*" }],
          }),
        }),
      ),
    ).rejects.toMatchObject({
      name: "MalformedPolicyDocumentException",
      message:
        "Syntax errors in policy. Statement[0].Action: Action must be a wildcard (*) or have 2 segments",
    });
    const huge = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket/key-${i}`),
        },
      ],
    };
    await expect(
      iam().send(
        new PutRolePolicyCommand({
          RoleName: "LicenseManagerPlanner",
          PolicyName: "huge",
          PolicyDocument: JSON.stringify(huge),
        }),
      ),
    ).rejects.toMatchObject({
      name: "LimitExceededException",
      message: "Maximum policy size of 10240 bytes exceeded for role LicenseManagerPlanner",
      $metadata: { httpStatusCode: 409 },
    });
  });

  it("puts, lists, reads (URL-encoded) and deletes inline policies", async () => {
    await createRole();
    const document = JSON.stringify(readOrganization);
    await iam().send(
      new PutRolePolicyCommand({
        RoleName: "LicenseManagerPlanner",
        PolicyName: "read",
        PolicyDocument: document,
      }),
    );
    const { PolicyNames } = await iam().send(
      new ListRolePoliciesCommand({ RoleName: "LicenseManagerPlanner" }),
    );
    expect(PolicyNames).toEqual(["read"]);
    const raw = await query(emulator().url, {
      Action: "GetRolePolicy",
      RoleName: "LicenseManagerPlanner",
      PolicyName: "read",
    });
    expect(raw).toContain(`<PolicyDocument>${encodeURIComponent(document)}</PolicyDocument>`);
    const read = await iam().send(
      new GetRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" }),
    );
    expect(JSON.parse(decodeURIComponent(read.PolicyDocument!))).toEqual(readOrganization);

    await iam().send(new DeleteRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" }));
    await expect(
      iam().send(new GetRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" })),
    ).rejects.toMatchObject({
      name: "NoSuchEntityException",
      message: "The role policy with name read cannot be found.",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      iam().send(new DeleteRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("updates the trust policy and the session duration, and lists no attachments or instance profiles", async () => {
    await createRole();
    const narrower = {
      ...trust,
      Statement: [{ ...trust.Statement[0], Principal: { AWS: "arn:aws:iam::111111111111:role/Admin" } }],
    };
    await iam().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: "LicenseManagerPlanner",
        PolicyDocument: JSON.stringify(narrower),
      }),
    );
    await iam().send(new UpdateRoleCommand({ RoleName: "LicenseManagerPlanner", MaxSessionDuration: 3600 }));
    const { Role } = await iam().send(new GetRoleCommand({ RoleName: "LicenseManagerPlanner" }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(narrower);
    expect(Role!.MaxSessionDuration).toBe(3600);
    await expect(
      iam().send(new UpdateRoleCommand({ RoleName: "LicenseManagerPlanner", MaxSessionDuration: 60 })),
    ).rejects.toMatchObject({ name: "ValidationError" });
    expect(
      (await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: "LicenseManagerPlanner" })))
        .AttachedPolicies,
    ).toEqual([]);
    expect(
      (await iam().send(new ListInstanceProfilesForRoleCommand({ RoleName: "LicenseManagerPlanner" })))
        .InstanceProfiles,
    ).toEqual([]);
  });

  it("refuses to delete a role with inline policies (DeleteConflict), then deletes it and answers NoSuchEntity", async () => {
    await createRole();
    await iam().send(
      new PutRolePolicyCommand({
        RoleName: "LicenseManagerPlanner",
        PolicyName: "read",
        PolicyDocument: JSON.stringify(readOrganization),
      }),
    );
    await expect(
      iam().send(new DeleteRoleCommand({ RoleName: "LicenseManagerPlanner" })),
    ).rejects.toMatchObject({
      name: "DeleteConflictException",
      message: "Cannot delete entity, must delete policies first.",
      $metadata: { httpStatusCode: 409 },
    });
    await iam().send(new DeleteRolePolicyCommand({ RoleName: "LicenseManagerPlanner", PolicyName: "read" }));
    await iam().send(new DeleteRoleCommand({ RoleName: "LicenseManagerPlanner" }));
    for (const command of [
      new GetRoleCommand({ RoleName: "LicenseManagerPlanner" }),
      new ListRolePoliciesCommand({ RoleName: "LicenseManagerPlanner" }),
      new ListAttachedRolePoliciesCommand({ RoleName: "LicenseManagerPlanner" }),
      new ListInstanceProfilesForRoleCommand({ RoleName: "LicenseManagerPlanner" }),
      new DeleteRoleCommand({ RoleName: "LicenseManagerPlanner" }),
    ]) {
      await expect(iam().send(command as GetRoleCommand)).rejects.toMatchObject({
        name: "NoSuchEntityException",
        message: "The role with name LicenseManagerPlanner cannot be found.",
        $metadata: { httpStatusCode: 404 },
      });
    }
  });
});

describe("IAM OpenID Connect providers", () => {
  const emulator = useEmulator();
  const iam = () => clientsFor(emulator()).iam;
  const thumbprint = "6938fd4d98bab03faadb97b34396831e3780aea1";

  it("creates GitHub's provider, reads, lists, updates, tags and deletes it", async () => {
    const created = await iam().send(
      new CreateOpenIDConnectProviderCommand({
        Url: ISSUER,
        ClientIDList: ["sts.amazonaws.com"],
        ThumbprintList: [thumbprint],
        Tags: [{ Key: "team", Value: "platform" }],
      }),
    );
    expect(created.OpenIDConnectProviderArn).toBe(PROVIDER_ARN);
    const provider = { OpenIDConnectProviderArn: PROVIDER_ARN };
    expect(await iam().send(new GetOpenIDConnectProviderCommand(provider))).toMatchObject({
      Url: "token.actions.githubusercontent.com",
      ClientIDList: ["sts.amazonaws.com"],
      ThumbprintList: [thumbprint],
      CreateDate: expect.any(Date),
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect((await iam().send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([
      { Arn: PROVIDER_ARN },
    ]);

    await iam().send(new AddClientIDToOpenIDConnectProviderCommand({ ...provider, ClientID: "other" }));
    await iam().send(
      new RemoveClientIDFromOpenIDConnectProviderCommand({ ...provider, ClientID: "sts.amazonaws.com" }),
    );
    await iam().send(
      new UpdateOpenIDConnectProviderThumbprintCommand({ ...provider, ThumbprintList: ["a".repeat(40)] }),
    );
    await iam().send(
      new TagOpenIDConnectProviderCommand({ ...provider, Tags: [{ Key: "env", Value: "sandbox" }] }),
    );
    await iam().send(new UntagOpenIDConnectProviderCommand({ ...provider, TagKeys: ["team"] }));
    expect(await iam().send(new GetOpenIDConnectProviderCommand(provider))).toMatchObject({
      ClientIDList: ["other"],
      ThumbprintList: ["a".repeat(40)],
    });
    expect((await iam().send(new ListOpenIDConnectProviderTagsCommand(provider))).Tags).toEqual([
      { Key: "env", Value: "sandbox" },
    ]);

    await expect(
      iam().send(
        new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ["sts.amazonaws.com"] }),
      ),
    ).rejects.toMatchObject({ name: "EntityAlreadyExistsException", $metadata: { httpStatusCode: 409 } });
    await iam().send(new DeleteOpenIDConnectProviderCommand(provider));
    await expect(iam().send(new GetOpenIDConnectProviderCommand(provider))).rejects.toMatchObject({
      name: "NoSuchEntityException",
      message: `OpenIDConnect Provider not found for arn ${PROVIDER_ARN}`,
      $metadata: { httpStatusCode: 404 },
    });
  });
});

async function query(url: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIASANDBOXMANAGEMENT/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: new URLSearchParams({ Version: "2010-05-08", ...params }).toString(),
  });
  return response.text();
}

const fetchRole = (url: string, name: string) => query(url, { Action: "GetRole", RoleName: name });
