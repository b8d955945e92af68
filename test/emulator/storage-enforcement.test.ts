import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { allow, callLog, managementCredentials, sessionOf, type Credentials } from "./emulator-clients";
import { callerHeaders, useStorageFront } from "./storage-front-clients";

const run = promisify(execFile);
const ACCOUNT = "111111111111";
const BUCKET = "sandbox-tf-state";
const TABLE = "sandbox-tf-lock";
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${TABLE}`;
const session = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/emulator-test`;

describe("IAM enforcement in the storage front (S3 and DynamoDB)", () => {
  const storage = useStorageFront(BUCKET);
  const s3 = storage.s3;

  beforeEach(async () => {
    const created = await dynamo(managementCredentials, "CreateTable", {
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: "LockID", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "LockID", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    });
    expect(created.status).toBe(200);
  });

  const dynamo = async (credentials: Credentials, operation: string, input: object) => {
    const response = await fetch(storage.front().url, {
      method: "POST",
      headers: {
        ...callerHeaders(credentials, "dynamodb"),
        "x-amz-target": `DynamoDB_20120810.${operation}`,
        "content-type": "application/x-amz-json-1.0",
      },
      body: JSON.stringify(input),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("allows a role session's S3 object and bucket calls its policy names, and answers S3's AccessDenied for others", async () => {
    const writer = await sessionOf(
      storage.emulator(),
      "StateWriter",
      allow(
        [["s3:ListBucket"], [`arn:aws:s3:::${BUCKET}`]],
        [["s3:GetObject", "s3:PutObject"], [`arn:aws:s3:::${BUCKET}/states/*`]],
      ),
    );
    expect((await s3(writer, `/${BUCKET}/states/a.tfstate`, { method: "PUT", body: "{}" })).status).toBe(200);
    expect(await (await s3(writer, `/${BUCKET}/states/a.tfstate`)).text()).toBe("{}");
    expect((await s3(writer, `/${BUCKET}?list-type=2&prefix=states/`)).status).toBe(200);

    const refused = await s3(writer, `/${BUCKET}/other/b.tfstate`, { method: "PUT", body: "{}" });
    expect(refused.status).toBe(403);
    const body = await refused.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
    expect(body).toContain(
      `<Message>User: ${session("StateWriter")} is not authorized to perform: s3:PutObject on resource: &quot;arn:aws:s3:::${BUCKET}/other/b.tfstate&quot; because no identity-based policy allows the s3:PutObject action</Message>`,
    );
    // Refused before s3rver: the object does not exist.
    expect((await s3(managementCredentials, `/${BUCKET}/other/b.tfstate`)).status).toBe(404);

    const policy = await s3(writer, `/${BUCKET}?policy`, { method: "PUT", body: "{}" });
    expect(policy.status).toBe(403);
    expect(await policy.text()).toContain(
      "is not authorized to perform: s3:PutBucketPolicy on resource: &quot;arn:aws:s3:::sandbox-tf-state&quot;",
    );
    const head = await s3(writer, `/${BUCKET}/other/b.tfstate`, { method: "HEAD" });
    expect(head.status).toBe(403);
    expect(await head.text()).toBe("");

    const entries = (await callLog(storage.emulator())).filter((e) => e.service === "s3" && e.roleArn);
    expect(
      entries.map(({ action, iamAction, resources, status, errorCode, decision }) => ({
        action,
        iamAction,
        resources,
        status,
        errorCode,
        decision,
      })),
    ).toEqual([
      {
        action: "PutObject",
        iamAction: "s3:PutObject",
        resources: [`arn:aws:s3:::${BUCKET}/states/a.tfstate`],
        status: 200,
        errorCode: undefined,
        decision: "allowed",
      },
      {
        action: "GetObject",
        iamAction: "s3:GetObject",
        resources: [`arn:aws:s3:::${BUCKET}/states/a.tfstate`],
        status: 200,
        errorCode: undefined,
        decision: "allowed",
      },
      {
        action: "ListObjectsV2",
        iamAction: "s3:ListBucket",
        resources: [`arn:aws:s3:::${BUCKET}`],
        status: 200,
        errorCode: undefined,
        decision: "allowed",
      },
      {
        action: "PutObject",
        iamAction: "s3:PutObject",
        resources: [`arn:aws:s3:::${BUCKET}/other/b.tfstate`],
        status: 403,
        errorCode: "AccessDenied",
        decision: "denied",
      },
      {
        action: "PutBucketPolicy",
        iamAction: "s3:PutBucketPolicy",
        resources: [`arn:aws:s3:::${BUCKET}`],
        status: 403,
        errorCode: "AccessDenied",
        decision: "denied",
      },
      {
        action: "HeadObject",
        iamAction: "s3:GetObject",
        resources: [`arn:aws:s3:::${BUCKET}/other/b.tfstate`],
        status: 403,
        errorCode: undefined,
        decision: "denied",
      },
    ]);
  });

  it("decides DynamoDB item calls on the table and dynamodb:LeadingKeys, with DynamoDB's AccessDeniedException", async () => {
    const locker = await sessionOf(
      storage.emulator(),
      "Locker",
      allow([
        ["dynamodb:PutItem", "dynamodb:GetItem"],
        [TABLE_ARN],
        { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [`${BUCKET}/states/a.tfstate`] } },
      ]),
    );
    const item = (lockId: string) => ({
      TableName: TABLE,
      Item: { LockID: { S: lockId }, Info: { S: "x" } },
    });
    expect((await dynamo(locker, "PutItem", item(`${BUCKET}/states/a.tfstate`))).status).toBe(200);
    const got = await dynamo(locker, "GetItem", {
      TableName: TABLE,
      Key: { LockID: { S: `${BUCKET}/states/a.tfstate` } },
    });
    expect(got.body.Item).toEqual({ LockID: { S: `${BUCKET}/states/a.tfstate` }, Info: { S: "x" } });

    expect(await dynamo(locker, "PutItem", item(`${BUCKET}/other.tfstate`))).toEqual({
      status: 400,
      body: {
        __type: "com.amazon.coral.service#AccessDeniedException",
        Message: `User: ${session("Locker")} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE_ARN} because no identity-based policy allows the dynamodb:PutItem action`,
      },
    });
    expect(
      (
        await dynamo(locker, "DeleteItem", {
          TableName: TABLE,
          Key: { LockID: { S: `${BUCKET}/states/a.tfstate` } },
        })
      ).status,
    ).toBe(400);
    expect((await dynamo(locker, "DescribeTable", { TableName: TABLE })).body.__type).toBe(
      "com.amazon.coral.service#AccessDeniedException",
    );
    const entries = (await callLog(storage.emulator())).filter((e) => e.service === "dynamodb" && e.roleArn);
    expect(
      entries.map(({ action, conditionKeys, decision }) => ({ action, conditionKeys, decision })),
    ).toEqual([
      {
        action: "PutItem",
        conditionKeys: { "dynamodb:LeadingKeys": [`${BUCKET}/states/a.tfstate`] },
        decision: "allowed",
      },
      {
        action: "GetItem",
        conditionKeys: { "dynamodb:LeadingKeys": [`${BUCKET}/states/a.tfstate`] },
        decision: "allowed",
      },
      {
        action: "PutItem",
        conditionKeys: { "dynamodb:LeadingKeys": [`${BUCKET}/other.tfstate`] },
        decision: "denied",
      },
      {
        action: "DeleteItem",
        conditionKeys: { "dynamodb:LeadingKeys": [`${BUCKET}/states/a.tfstate`] },
        decision: "denied",
      },
      { action: "DescribeTable", conditionKeys: undefined, decision: "denied" },
    ]);
  });

  it("answers an unknown key as S3 and DynamoDB do, and logs the administrator's calls as unrestricted", async () => {
    const stranger = { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" };
    const refused = await s3(stranger, `/${BUCKET}/a`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("<Code>InvalidAccessKeyId</Code>");
    expect(await dynamo(stranger, "DescribeTable", { TableName: TABLE })).toMatchObject({
      status: 400,
      body: { __type: "com.amazon.coral.service#UnrecognizedClientException" },
    });
    const [bucket, table] = await callLog(storage.emulator());
    expect(bucket).toMatchObject({
      service: "s3",
      action: "CreateBucket",
      principal: `arn:aws:iam::${ACCOUNT}:user/sandbox-admin`,
      status: 200,
      iamAction: "s3:CreateBucket",
      resources: [`arn:aws:s3:::${BUCKET}`],
      decision: "unrestricted",
    });
    expect(table).toMatchObject({
      service: "dynamodb",
      action: "CreateTable",
      iamAction: "dynamodb:CreateTable",
      resources: [TABLE_ARN],
    });
  });

  it("lets the real Terraform S3 backend lock and write state with exactly the actions it uses", async () => {
    const stateArn = `arn:aws:s3:::${BUCKET}/prefix/stack.tfstate`;
    const backendPolicy = (lockActions: string[]) =>
      allow(
        [["s3:ListBucket"], [`arn:aws:s3:::${BUCKET}`]],
        [["s3:GetObject", "s3:PutObject"], [stateArn]],
        [lockActions, [`${stateArn}.tflock`]],
      );
    await sessionOf(
      storage.emulator(),
      "Backend",
      backendPolicy(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]),
    );
    await sessionOf(storage.emulator(), "NoLockRead", backendPolicy(["s3:PutObject", "s3:DeleteObject"]));
    const terraform = async (role: string, ...args: string[]) => {
      const work = join(storage.directory(), role);
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, "main.tf"), backendConfiguration(role));
      return run("terraform", [...args, "-input=false", "-no-color"], {
        cwd: work,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          CHECKPOINT_DISABLE: "1",
          AWS_ENDPOINT_URL_S3: storage.front().url,
          AWS_ENDPOINT_URL_STS: storage.emulator().url,
          AWS_ACCESS_KEY_ID: managementCredentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: managementCredentials.secretAccessKey,
          AWS_REGION: "us-east-1",
          AWS_EC2_METADATA_DISABLED: "true",
        },
      });
    };
    await terraform("Backend", "init");
    expect((await terraform("Backend", "apply", "-auto-approve")).stdout).toContain(
      "Apply complete! Resources: 1 added",
    );
    const used = (await callLog(storage.emulator())).filter(
      (e) => e.roleArn === `arn:aws:iam::${ACCOUNT}:role/Backend`,
    );
    expect(used.filter((e) => e.decision !== "allowed")).toEqual([]);
    expect([...new Set(used.map((e) => `${e.action} ${e.iamAction} ${e.resources}`))].sort()).toEqual([
      `DeleteObject s3:DeleteObject ${stateArn}.tflock`,
      `GetObject s3:GetObject ${stateArn}.tflock`,
      `HeadObject s3:GetObject ${stateArn}`,
      `ListObjectsV2 s3:ListBucket arn:aws:s3:::${BUCKET}`,
      `PutObject s3:PutObject ${stateArn}`,
      `PutObject s3:PutObject ${stateArn}.tflock`,
    ]);

    // Terraform reads the lock file back before deleting it: without s3:GetObject on it the lock stays.
    await terraform("NoLockRead", "init");
    const failed = await terraform("NoLockRead", "apply", "-auto-approve").catch(
      (error: { stderr: string }) => error,
    );
    expect("stderr" in failed ? failed.stderr : "").toContain("AccessDenied");
    expect(
      (await callLog(storage.emulator())).filter((e) => e.decision === "denied").map((e) => e.iamAction),
    ).toEqual(["s3:GetObject"]);
  }, 300_000);
});

function backendConfiguration(role: string): string {
  return `terraform {
  backend "s3" {
    bucket                      = "${BUCKET}"
    key                         = "prefix/stack.tfstate"
    region                      = "us-east-1"
    encrypt                     = true
    use_lockfile                = true
    use_path_style              = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true
    skip_s3_checksum            = true
    assume_role = { role_arn = "arn:aws:iam::${ACCOUNT}:role/${role}", session_name = "state" }
  }
}
resource "terraform_data" "stack" { input = "${role}" }
`;
}
