import { Authorizer } from "../../sandbox/emulator/authorization/authorizer";
import { dynamoChecks } from "../../sandbox/emulator/authorization/dynamodb-operations";
import { s3Operation, type S3Request } from "../../sandbox/emulator/authorization/s3-operations";
import {
  BUCKET_SUBRESOURCES,
  OBJECT_SUBRESOURCES,
} from "../../sandbox/emulator/authorization/s3-subresource-actions";
import type { IamCheck } from "../../sandbox/emulator/authorization/types";
import { QueryParams } from "../../sandbox/emulator/query-params";
import { jsonServices, queryServices } from "../../sandbox/emulator/services";
import type { CallContext } from "../../sandbox/emulator/services/types";
import { stateFromSeed, type CredentialState } from "../../sandbox/emulator/state";
import { administratorRoleArn, seedWithAdministratorRole } from "../helpers/sandbox-seed";

const ACCOUNT = "111111111111";
const LICENSE_CONFIGURATION = `arn:aws:license-manager:us-east-1:${ACCOUNT}:license-configuration:lic-0123456789abcdef0123456789abcdef`;
const REPORT_GENERATOR = `arn:aws:license-manager:us-east-1:${ACCOUNT}:report-generator:r-0123456789abcdef0123456789abcdef`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

const state = stateFromSeed(seedWithAdministratorRole);
const administratorSession: CredentialState = {
  accessKeyId: "ASIAADMINISTRATOR",
  secretAccessKey: "x",
  accountId: ACCOUNT,
  principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/SandboxAdministrator/mapping`,
  userId: "AROAADMIN:mapping",
  roleArn: administratorRoleArn,
};
state.credentials[administratorSession.accessKeyId] = administratorSession;
// Passing session tags needs sts:TagSession from the trust policy too: this role's trust allows both.
state.iam[ACCOUNT].roles.SandboxAdministrator.assumeRolePolicyDocument = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    },
  ],
});
const call: CallContext = {
  state,
  caller: {
    accountId: ACCOUNT,
    arn: administratorSession.principalArn,
    userId: "x",
    accessKeyId: "ASIAADMINISTRATOR",
  },
  region: "us-east-1",
  requestId: "mapping",
};

/**
 * A role session holding AdministratorAccess: iam-simulate allows every check whose action exists in the
 * Service Authorization Reference and whose resources are of the action's resource types, and reports an
 * evaluation error for anything else. So "allowed, no error" proves the mapping names real actions and ARNs.
 */
async function expectValid(checks: IamCheck[]) {
  const outcome = await new Authorizer(() => state, "enforce").authorize(
    administratorSession,
    "us-east-1",
    checks,
  );
  expect(outcome.checks.filter((check) => check.evaluationError || check.decision !== "allowed")).toEqual([]);
  return outcome;
}

/** One input that gives every operation the fields its authorization reads. */
const jsonInput = {
  AccountId: "222222222222",
  RootId: "r-sb01",
  ResourceId: "r-sb01",
  ServicePrincipal: "license-manager.amazonaws.com",
  PolicyType: "SERVICE_CONTROL_POLICY",
  LicenseConfigurationArn: LICENSE_CONFIGURATION,
  LicenseManagerReportGeneratorArn: REPORT_GENERATOR,
  ResourceArn: LICENSE_CONFIGURATION,
  AddLicenseSpecifications: [{ LicenseConfigurationArn: LICENSE_CONFIGURATION }],
  Tags: [{ Key: "team", Value: "platform" }],
  TagKeys: ["team"],
};

const queryInput = (service: string) =>
  new QueryParams(
    new URLSearchParams({
      RoleName: "SandboxAdministrator",
      PolicyName: "access",
      AWSServiceName: "license-manager.amazonaws.com",
      DeletionTaskId:
        "task/aws-service-role/license-manager.amazonaws.com/AWSServiceRoleForAWSLicenseManagerRole/0",
      Url: "https://token.actions.githubusercontent.com",
      OpenIDConnectProviderArn: PROVIDER,
      RoleArn: administratorRoleArn,
      RoleSessionName: "mapping",
      Name: "alerts",
      TopicArn: TOPIC,
      ...(service === "sns" ? { ResourceArn: TOPIC } : {}),
      "Tags.member.1.Key": "team",
      "Tags.member.1.Value": "platform",
      "TagKeys.member.1": "team",
    }),
  );

describe("the operation → IAM action mapping", () => {
  it("authorizes every operation the emulator serves, and nothing it does not", () => {
    for (const service of Object.values(jsonServices)) {
      expect(Object.keys(service.authorization).sort()).toEqual(Object.keys(service.actions).sort());
    }
    for (const [name, service] of Object.entries(queryServices)) {
      // AssumeRoleWithWebIdentity has no IAM caller: its token and trust policy are checked apart.
      const served = Object.keys(service.actions).filter((action) => action !== "AssumeRoleWithWebIdentity");
      expect([name, Object.keys(service.authorization).sort()]).toEqual([name, served.sort()]);
    }
  });

  it.each(
    Object.values(jsonServices).flatMap((service) =>
      Object.keys(service.authorization).map((action) => [service.name, action]),
    ),
  )("%s %s names a real IAM action and resources of its types", async (serviceName, action) => {
    const service = Object.values(jsonServices).find((s) => s.name === serviceName)!;
    const checks = service.authorization[action](call, jsonInput);
    expect(checks[0].action).toBe(`${serviceName}:${action}`);
    await expectValid(checks);
  });

  it.each(
    Object.entries(queryServices).flatMap(([name, service]) =>
      Object.keys(service.authorization).map((action) => [name, action]),
    ),
  )("%s %s names a real IAM action and resources of its types", async (serviceName, action) => {
    const checks = queryServices[serviceName].authorization[action](call, queryInput(serviceName));
    expect(checks[0].action).toBe(`${serviceName}:${action}`);
    await expectValid(checks);
  });

  it("names the resources and condition keys the Service Authorization Reference gives", () => {
    const org = jsonServices.AWSOrganizationsV20161128.authorization;
    expect(org.RegisterDelegatedAdministrator(call, jsonInput)).toEqual([
      {
        action: "organizations:RegisterDelegatedAdministrator",
        resources: [`arn:aws:organizations::${ACCOUNT}:account/o-sandbox00001/222222222222`],
        context: { "organizations:ServicePrincipal": "license-manager.amazonaws.com" },
      },
    ]);
    expect(org.EnablePolicyType(call, jsonInput)[0]).toMatchObject({
      resources: [`arn:aws:organizations::${ACCOUNT}:root/o-sandbox00001/r-sb01`],
      context: { "organizations:PolicyType": "SERVICE_CONTROL_POLICY" },
    });
    const licenseManager = jsonServices.AWSLicenseManager.authorization;
    expect(licenseManager.UpdateLicenseManagerReportGenerator(call, jsonInput)).toEqual([
      { action: "license-manager:UpdateLicenseManagerReportGenerator", resources: [REPORT_GENERATOR] },
    ]);
    expect(licenseManager.CreateLicenseManagerReportGenerator(call, jsonInput)).toEqual([
      {
        action: "license-manager:CreateLicenseManagerReportGenerator",
        resources: ["*"],
        context: { "aws:RequestTag/team": "platform", "aws:TagKeys": ["team"] },
      },
    ]);
    const iam = queryServices.iam.authorization;
    expect(iam.CreateServiceLinkedRole(call, queryInput("iam"))).toEqual([
      {
        action: "iam:CreateServiceLinkedRole",
        resources: [
          `arn:aws:iam::${ACCOUNT}:role/aws-service-role/license-manager.amazonaws.com/AWSServiceRoleForAWSLicenseManagerRole`,
        ],
        context: { "iam:AWSServiceName": "license-manager.amazonaws.com" },
      },
    ]);
    expect(iam.CreateRole(call, queryInput("iam")).map((check) => check.action)).toEqual([
      "iam:CreateRole",
      "iam:TagRole",
    ]);
    const assume = queryServices.sts.authorization.AssumeRole(call, queryInput("sts"));
    expect(assume[0]).toMatchObject({
      action: "sts:AssumeRole",
      resources: [administratorRoleArn],
      resourcePolicy: { accountId: ACCOUNT },
    });
    expect(assume[1]).toMatchObject({
      action: "sts:TagSession",
      context: { "aws:RequestTag/team": "platform" },
    });
  });
});

describe("S3 requests → IAM actions", () => {
  const request = (
    method: string,
    url: string,
    headers: S3Request["headers"] = {},
    body = "",
  ): S3Request => ({
    method,
    url,
    headers,
    body: Buffer.from(body),
  });

  it.each([
    ["GET", "/", "ListBuckets", "s3:ListAllMyBuckets", ["*"]],
    ["PUT", "/state", "CreateBucket", "s3:CreateBucket", ["arn:aws:s3:::state"]],
    ["HEAD", "/state", "HeadBucket", "s3:ListBucket", ["arn:aws:s3:::state"]],
    ["GET", "/state?list-type=2&prefix=a%2F", "ListObjectsV2", "s3:ListBucket", ["arn:aws:s3:::state"]],
    ["DELETE", "/state", "DeleteBucket", "s3:DeleteBucket", ["arn:aws:s3:::state"]],
    ["GET", "/state/a/b.tfstate", "GetObject", "s3:GetObject", ["arn:aws:s3:::state/a/b.tfstate"]],
    ["HEAD", "/state/a/b.tfstate", "HeadObject", "s3:GetObject", ["arn:aws:s3:::state/a/b.tfstate"]],
    [
      "GET",
      "/state/a/b.tfstate?versionId=v1",
      "GetObject",
      "s3:GetObjectVersion",
      ["arn:aws:s3:::state/a/b.tfstate"],
    ],
    ["PUT", "/state/a/b.tfstate", "PutObject", "s3:PutObject", ["arn:aws:s3:::state/a/b.tfstate"]],
    [
      "DELETE",
      "/state/a/b.tfstate.tflock",
      "DeleteObject",
      "s3:DeleteObject",
      ["arn:aws:s3:::state/a/b.tfstate.tflock"],
    ],
    ["DELETE", "/state/a?versionId=v1", "DeleteObject", "s3:DeleteObjectVersion", ["arn:aws:s3:::state/a"]],
    ["POST", "/state/a?uploads", "CreateMultipartUpload", "s3:PutObject", ["arn:aws:s3:::state/a"]],
    [
      "DELETE",
      "/state/a?uploadId=u",
      "AbortMultipartUpload",
      "s3:AbortMultipartUpload",
      ["arn:aws:s3:::state/a"],
    ],
    ["GET", "/state/a%20b", "GetObject", "s3:GetObject", ["arn:aws:s3:::state/a b"]],
  ])("%s %s is %s, authorized as %s", async (method, url, operation, action, resources) => {
    const mapped = s3Operation(request(method, url));
    expect(mapped.operation).toBe(operation);
    expect(mapped.checks[0]).toMatchObject({ action, resources });
    await expectValid(mapped.checks);
  });

  it("maps every bucket and object subresource S3 serves to a real action", async () => {
    for (const [name, methods] of Object.entries(BUCKET_SUBRESOURCES)) {
      for (const method of Object.keys(methods))
        await expectValid(s3Operation(request(method, `/state?${name}`)).checks);
    }
    for (const [name, methods] of Object.entries(OBJECT_SUBRESOURCES)) {
      for (const method of Object.keys(methods)) {
        await expectValid(s3Operation(request(method, `/state/key?${name}`)).checks);
        await expectValid(s3Operation(request(method, `/state/key?${name}&versionId=v`)).checks);
      }
    }
  });

  it("authorizes what one request needs several actions for: copies, tags, ACLs, batch deletes, bucket options", async () => {
    const copy = s3Operation(request("PUT", "/state/b", { "x-amz-copy-source": "/state/a?versionId=v1" }));
    expect(copy.checks.map((c) => [c.action, c.resources])).toEqual([
      ["s3:PutObject", ["arn:aws:s3:::state/b"]],
      ["s3:GetObjectVersion", ["arn:aws:s3:::state/a"]],
    ]);
    const tagged = s3Operation(
      request("PUT", "/state/b", { "x-amz-tagging": "team=platform", "if-none-match": "*" }),
    );
    expect(tagged.checks.map((c) => [c.action, c.context])).toEqual([
      ["s3:PutObject", { "s3:if-none-match": "*" }],
      ["s3:PutObjectTagging", { "aws:RequestTag/team": "platform", "aws:TagKeys": ["team"] }],
    ]);
    const batch = s3Operation(
      request(
        "POST",
        "/state?delete",
        {},
        "<Delete><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key><VersionId>1</VersionId></Object></Delete>",
      ),
    );
    expect(batch).toEqual({
      operation: "DeleteObjects",
      checks: [
        { action: "s3:DeleteObject", resources: ["arn:aws:s3:::state/a&b"] },
        { action: "s3:DeleteObjectVersion", resources: ["arn:aws:s3:::state/c"] },
      ],
    });
    const bucket = s3Operation(
      request("PUT", "/locked", {
        "x-amz-object-ownership": "BucketOwnerEnforced",
        "x-amz-bucket-object-lock-enabled": "true",
      }),
    );
    expect(bucket.checks.map((c) => c.action)).toEqual([
      "s3:CreateBucket",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketObjectLockConfiguration",
      "s3:PutBucketVersioning",
    ]);
    const withAcl = s3Operation(request("PUT", "/state/b", { "x-amz-acl": "private" }));
    expect(withAcl.checks.map((c) => c.action)).toEqual(["s3:PutObject", "s3:PutObjectAcl"]);
    // The AWS provider creates buckets with `x-amz-acl: private`: s3:CreateBucket alone covers it.
    expect(
      s3Operation(request("PUT", "/state", { "x-amz-acl": "private" })).checks.map((c) => c.action),
    ).toEqual(["s3:CreateBucket"]);
    expect(
      s3Operation(request("PUT", "/state", { "x-amz-acl": "public-read" })).checks.map((c) => c.action),
    ).toEqual(["s3:CreateBucket", "s3:PutBucketAcl"]);
    for (const mapped of [copy, tagged, batch, bucket, withAcl]) await expectValid(mapped.checks);
  });
});

describe("DynamoDB operations → IAM actions", () => {
  const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/locks`;
  const checks = (operation: string, input: object) =>
    dynamoChecks(operation, input as Record<string, unknown>, "us-east-1", ACCOUNT, async () => "LockID");

  it.each([
    ["CreateTable", { TableName: "locks" }, [table]],
    ["DescribeTable", { TableName: "locks" }, [table]],
    ["UpdateTable", { TableName: "locks" }, [table]],
    ["DeleteTable", { TableName: "locks" }, [table]],
    ["DescribeContinuousBackups", { TableName: "locks" }, [table]],
    ["UpdateContinuousBackups", { TableName: "locks" }, [table]],
    ["DescribeTimeToLive", { TableName: "locks" }, [table]],
    ["ListTagsOfResource", { ResourceArn: "arn:aws:dynamodb:us-east-1:000000000000:table/locks" }, [table]],
    ["TagResource", { ResourceArn: table, Tags: [{ Key: "a", Value: "b" }] }, [table]],
    ["UntagResource", { ResourceArn: table, TagKeys: ["a"] }, [table]],
    ["GetItem", { TableName: "locks", Key: { LockID: { S: "state/a" } } }, [table]],
    ["PutItem", { TableName: "locks", Item: { LockID: { S: "state/a" } } }, [table]],
    ["DeleteItem", { TableName: "locks", Key: { LockID: { S: "state/a" } } }, [table]],
    ["Query", { TableName: "locks", IndexName: "byOwner" }, [table, `${table}/index/byOwner`]],
    ["BatchWriteItem", { RequestItems: { locks: [] } }, [table]],
    ["ListTables", {}, ["*"]],
  ])("%s is authorized on the table, index or resource it names", async (operation, input, resources) => {
    const mapped = await checks(operation, input);
    expect(mapped[0]).toMatchObject({ action: `dynamodb:${operation}`, resources });
    await expectValid(mapped);
  });

  it("gives item calls dynamodb:LeadingKeys, and tag-on-create dynamodb:TagResource", async () => {
    expect(
      (
        await checks("PutItem", {
          TableName: "locks",
          Item: { LockID: { S: "state/a-md5" }, Digest: { S: "x" } },
        })
      )[0].context,
    ).toEqual({
      "dynamodb:LeadingKeys": ["state/a-md5"],
    });
    const created = await checks("CreateTable", {
      TableName: "locks",
      Tags: [{ Key: "team", Value: "platform" }],
    });
    expect(created.map((c) => c.action)).toEqual(["dynamodb:CreateTable", "dynamodb:TagResource"]);
  });
});
