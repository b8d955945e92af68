import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { AccessRoles } from "../lib/access/access-roles";
import { accessPolicyProps } from "../lib/access/access-scope";
import { deployPolicy, planPolicy } from "../lib/access/policies";
import { deployWorkflows, planWorkflows } from "../lib/access/trust";
import { useRemoteState } from "../lib/backend/remote-state";
import type { AccessConfig, EnvironmentConfig } from "../lib/config/model";
import { addAwsProvider } from "../lib/providers/aws-provider";
import { stackNames } from "../lib/names/stacks";
import { awsProviderProps, remoteStateProps } from "./construct-props";
import type { StackOptions } from "./stack-options";

/**
 * Who may change the organization: GitHub's OIDC provider, a read-only plan role for pull requests' plan.yml
 * and the default branch's drift.yml, and a deploy role that only the default branch's deploy.yml in the
 * protected environment can assume (lib/access/trust.ts). Deployed once by
 * an administrator right after the bootstrap, apart from the stacks the roles deploy, so that no code those
 * roles run can widen its own permissions.
 */
export class AccessStack extends TerraformStack {
  readonly roles: AccessRoles;

  constructor(
    scope: Construct,
    config: EnvironmentConfig & { access: AccessConfig; planRoleArn: string; deployRoleArn: string },
    options: StackOptions = {},
  ) {
    super(scope, stackNames.access);
    useRemoteState(this, remoteStateProps(config, stackNames.access, options.roleArn));
    addAwsProvider(
      this,
      "aws",
      awsProviderProps(config, {
        region: config.homeRegion,
        stack: stackNames.access,
        roleArn: options.roleArn,
      }),
    );

    const { access } = config;
    const scopeProps = accessPolicyProps(config, stackNames);
    this.roles = new AccessRoles(this, "roles", {
      repository: access.github.repository,
      repositoryId: access.github.repositoryId,
      oidcProviderArn: access.oidcProviderArn,
      organizationId: scopeProps.organizationId,
      plan: {
        roleArn: config.planRoleArn,
        description: `Read-only: plans and drift checks of ${access.github.repository} (license-manager-org)`,
        policy: planPolicy(scopeProps),
        githubWorkflows: planWorkflows(access.github),
        workstationPrincipals: access.workstationPrincipals.plan,
      },
      deploy: {
        roleArn: config.deployRoleArn,
        description: `Deploys of ${access.github.repository} from its ${access.github.environment} environment (license-manager-org)`,
        policy: deployPolicy(scopeProps),
        githubWorkflows: deployWorkflows(access.github),
        workstationPrincipals: access.workstationPrincipals.deploy,
      },
    });
    new TerraformOutput(this, "plan_role_arn", { value: this.roles.planRole.arn });
    new TerraformOutput(this, "deploy_role_arn", { value: this.roles.deployRole.arn });
    new TerraformOutput(this, "oidc_provider_arn", { value: this.roles.oidcProviderArn });
  }
}
