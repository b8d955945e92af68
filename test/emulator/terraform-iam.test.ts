import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { EmulatorState } from "../../sandbox/emulator/state";
import { seedWithAdministratorRole } from "../helpers/sandbox-seed";
import { callLog, useEmulator } from "./emulator-clients";

const run = promisify(execFile);
const ROLE = "arn:aws:iam::111111111111:role/SandboxAdministrator";

/** The real hashicorp/aws provider manages roles, inline policies and the OIDC provider through a role session. */
describe("terraform with hashicorp/aws 5.100.0: aws_iam_role, aws_iam_role_policy, aws_iam_openid_connect_provider", () => {
  const emulator = useEmulator({ seed: seedWithAdministratorRole });
  let workDir: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "emulator-terraform-iam-"));
    copyFileSync(join(__dirname, "fixtures", "access-roles.tf"), join(workDir, "main.tf"));
  });
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  const terraform = (...args: string[]) =>
    run("terraform", [...args, "-input=false", "-no-color"], {
      cwd: workDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CHECKPOINT_DISABLE: "1",
        AWS_ENDPOINT_URL_IAM: emulator().url,
        AWS_ENDPOINT_URL_STS: emulator().url,
        AWS_ACCESS_KEY_ID: "AKIASANDBOXMANAGEMENT",
        AWS_SECRET_ACCESS_KEY: "sandbox-secret",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    });
  const state = async () => (await (await fetch(`${emulator().url}/_sandbox/state`)).json()) as EmulatorState;

  it("creates, plans no changes, updates in place and destroys, every call authorized for the session", async () => {
    await terraform("init");
    const created = await terraform("apply", "-auto-approve");
    expect(created.stdout).toContain("Apply complete! Resources: 3 added, 0 changed, 0 destroyed.");
    expect((await terraform("plan", "-detailed-exitcode")).stdout).toContain("No changes.");
    const role = (await state()).iam["111111111111"].roles.LicenseManagerPlanner;
    expect(role.tags).toEqual(
      expect.arrayContaining([
        { Key: "Role", Value: "plan" },
        { Key: "Project", Value: "license-manager-org" },
      ]),
    );
    expect(Object.keys(role.inlinePolicies ?? {})).toEqual(["read"]);

    const updated = await terraform("apply", "-auto-approve", "-var", "revision=2");
    expect(updated.stdout).toContain("Apply complete! Resources: 0 added, 3 changed, 0 destroyed.");
    expect((await terraform("plan", "-detailed-exitcode", "-var", "revision=2")).stdout).toContain(
      "No changes.",
    );
    const provider = (await state()).iam["111111111111"].openIdConnectProviders!;
    expect(Object.values(provider).map((p) => p.clientIds)).toEqual([["sts.amazonaws.com", "sigstore"]]);

    const destroyed = await terraform("destroy", "-auto-approve", "-var", "revision=2");
    expect(destroyed.stdout).toContain("Destroy complete! Resources: 3 destroyed.");
    const after = (await state()).iam["111111111111"];
    expect(after.roles.LicenseManagerPlanner).toBeUndefined();
    expect(after.openIdConnectProviders).toEqual({});

    const calls = (await callLog(emulator())).filter((entry) => entry.service === "iam");
    expect(calls.filter((entry) => entry.roleArn !== ROLE || entry.decision !== "allowed")).toEqual([]);
    // Only the reads after the destroy may miss: the provider treats NoSuchEntity as "gone".
    expect(calls.filter((entry) => entry.status !== 200).map((entry) => entry.errorCode)).toEqual(
      calls.filter((entry) => entry.status !== 200).map(() => "NoSuchEntity"),
    );
    expect(new Set(calls.map((entry) => entry.iamAction))).toEqual(
      new Set([
        "iam:CreateOpenIDConnectProvider",
        "iam:GetOpenIDConnectProvider",
        "iam:AddClientIDToOpenIDConnectProvider",
        "iam:DeleteOpenIDConnectProvider",
        "iam:CreateRole",
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:UpdateAssumeRolePolicy",
        "iam:UpdateRoleDescription",
        "iam:ListInstanceProfilesForRole",
        "iam:DeleteRole",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
      ]),
    );
    // Tag-on-create: CreateRole and CreateOpenIDConnectProvider with tags also need their tagging action.
    expect(calls.find((entry) => entry.action === "CreateRole")?.additionalChecks).toEqual([
      expect.objectContaining({ iamAction: "iam:TagRole", decision: "allowed" }),
    ]);
  }, 300_000);
});
