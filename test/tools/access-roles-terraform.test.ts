/**
 * The access stack's roles applied by terraform (hashicorp/aws 5.100.0) against the emulator, for an organization
 * still to create: the plan role's policy names the organization by the IAM policy variable ${aws:PrincipalOrgID},
 * which Terraform would read as its own template unless escaped. IAM must receive it as written, and the next plan
 * must find nothing to change.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { AccessRoles } from "../../lib/access/access-roles";
import { accessPolicyProps } from "../../lib/access/access-scope";
import { deployPolicy, planPolicy } from "../../lib/access/policies";
import { deployWorkflows, planWorkflows } from "../../lib/access/trust";
import { stackNames } from "../../lib/names/stacks";
import type { EmulatorState } from "../../sandbox/emulator/state";
import { configWith } from "../helpers/config";
import { useStackAgainstEmulator } from "./stack-against-emulator";

const config = configWith((d) => {
  d.organization = {
    source: "create",
    serviceAccessPrincipals: [],
    memberAccounts: d.organization.memberAccounts,
  };
});

function accessRolesStack(): string {
  const stack = new TerraformStack(Testing.app(), "access");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const access = config.access!;
  const props = accessPolicyProps(config, stackNames);
  new AccessRoles(stack, "roles", {
    repository: access.github.repository,
    plan: {
      roleArn: config.planRoleArn!,
      description: "plan",
      policy: planPolicy(props),
      githubWorkflows: planWorkflows(access.github),
    },
    deploy: {
      roleArn: config.deployRoleArn!,
      description: "deploy",
      policy: deployPolicy(props),
      githubWorkflows: deployWorkflows(access.github),
    },
  });
  return Testing.synth(stack);
}

describe("the access roles' policies with an IAM policy variable, through terraform", () => {
  const stack = useStackAgainstEmulator("access");
  const { terraform, write } = stack;

  it("reach IAM with ${aws:PrincipalOrgID} as written, and plan no change afterwards", async () => {
    write(accessRolesStack());
    expect((await terraform("init", "-input=false")).exitCode).toBe(0);
    const applied = await terraform("apply", "-auto-approve", "-input=false");
    expect(applied.stderr).toBe("");
    expect(applied.exitCode).toBe(0);
    const state = (await (await fetch(`${stack.emulator().url}/_sandbox/state`)).json()) as EmulatorState;
    const planRoleName = config.planRoleArn!.split("/").pop()!;
    const policy = JSON.parse(
      Object.values(state.iam["111111111111"].roles[planRoleName].inlinePolicies ?? {})[0] as string,
    );
    expect(policy).toEqual(planPolicy(accessPolicyProps(config, stackNames)));
    expect(JSON.stringify(policy)).toContain('"aws:ResourceOrgID":"${aws:PrincipalOrgID}"');
    const replanned = await terraform("plan", "-input=false", "-detailed-exitcode");
    expect(replanned.stdout).toContain("No changes.");
    expect(replanned.exitCode).toBe(0);
  }, 300_000);
});
