import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { roleNameAndPath } from "../aws/arn";
import type { PolicyDocument } from "./policies";
import { trustPolicy, trustPolicySizeProblem, type WorkflowTrust } from "./trust";

interface AccessRoleProps {
  /** arn:aws:iam::<account>:role/[path/]<name> */
  readonly roleArn: string;
  readonly description: string;
  readonly policy: PolicyDocument;
  /** The GitHub workflows whose jobs may assume the role (trust.ts). */
  readonly githubWorkflows: readonly WorkflowTrust[];
  /** @default [] */
  readonly workstationPrincipals?: readonly string[];
}

interface AccessRolesProps {
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** `owner/repo` */
  readonly repository: string;
  /** GitHub's id of the repository. @default - matched by name only */
  readonly repositoryId?: string;
  /**
   * GitHub's OIDC provider, when the account has one already (one per issuer and account).
   * @default - created here
   */
  readonly oidcProviderArn?: string;
  /** The organization workstation principals must be in. @default - not known yet: no aws:PrincipalOrgID condition */
  readonly organizationId?: string;
  readonly plan: AccessRoleProps;
  readonly deploy: AccessRoleProps;
}

/**
 * A string Terraform keeps as written: `${` and `%{` open its template sequences, so an IAM policy variable such
 * as `${aws:PrincipalOrgID}` is written `$${…}` (Terraform language, "Strings and Templates": escape sequences).
 */
const terraformLiteral = (text: string): string => text.replace(/([$%])\{/g, "$1$1{");

const githubIssuerUrl = "https://token.actions.githubusercontent.com";

/** GitHub Actions' OIDC provider and the plan and deploy roles with their inline policies. */
export class AccessRoles extends Construct {
  readonly oidcProviderArn: string;
  readonly planRole: IamRole;
  readonly deployRole: IamRole;

  constructor(scope: Construct, id: string, props: AccessRolesProps) {
    super(scope, id);
    if (props.oidcProviderArn) {
      this.oidcProviderArn = props.oidcProviderArn;
    } else {
      // AWS no longer checks thumbprints for GitHub's issuer (it trusts its CA library), so none is pinned.
      const provider = new IamOpenidConnectProvider(this, "github-oidc-provider", {
        provider: props.provider,
        url: githubIssuerUrl,
        clientIdList: ["sts.amazonaws.com"],
      });
      this.oidcProviderArn = provider.arn;
    }
    this.planRole = this.role("plan", props.plan, props);
    this.deployRole = this.role("deploy", props.deploy, props);
  }

  private role(id: string, props: AccessRoleProps, roles: AccessRolesProps): IamRole {
    const { provider, repositoryId } = roles;
    const { name, path } = roleNameAndPath(props.roleArn);
    const trust = (oidcProviderArn: string) =>
      trustPolicy({
        oidcProviderArn,
        repositoryId,
        workflows: props.githubWorkflows,
        workstationPrincipals: props.workstationPrincipals,
        organizationId: roles.organizationId,
      });
    // Measured as IAM will see it: a provider the stack creates is a token here, its ARN as long as this one.
    const tooLarge = trustPolicySizeProblem(
      id,
      trust(
        roles.oidcProviderArn ??
          "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      ),
    );
    if (tooLarge) throw new Error(tooLarge);
    const role = new IamRole(this, `${id}-role`, {
      provider,
      name,
      path,
      description: props.description,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify(trust(this.oidcProviderArn)),
    });
    new IamRolePolicy(this, `${id}-policy`, {
      provider,
      name: `license-manager-org-${id}`,
      role: role.name,
      policy: terraformLiteral(JSON.stringify(props.policy)),
    });
    return role;
  }
}
