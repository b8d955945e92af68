/**
 * The access section: the access stack's GitHub OIDC trust and the plan and deploy roles' extra principals, each
 * field documented once in `field`.
 */
import { z } from "zod";
import { field } from "./field-docs";
import {
  formatted,
  githubBranch,
  githubEnvironment,
  githubOidcProviderArn,
  githubRepository,
  iamPrincipalArn,
  iamRoleName,
  section,
  uniqueItems,
} from "./formats";

/**
 * GitHub's id of the repository, which no rename or re-creation under the same name carries over: tokens carry it
 * as the `repository_id` claim, a string of digits.
 */
const githubRepositoryId = formatted(
  /^[1-9][0-9]{0,19}$/,
  "GitHub's numeric id of the repository (gh api repos/<owner>/<name> --jq .id)",
  ' as a quoted string, e.g. "1296269"',
);

export const access = section(
  {
    github: field(
      section(
        {
          repository: field(githubRepository, { meaning: "The repository whose workflows plan and deploy" }),
          environment: field(githubEnvironment, {
            meaning: "The protected environment deploy.yml runs in; only its jobs may assume the deploy role",
          }),
          defaultBranch: field(githubBranch.default("main"), {
            meaning:
              "The branch whose deploy.yml may assume the deploy role and whose scheduled drift checks the plan role",
          }),
          repositoryId: field(githubRepositoryId.optional(), {
            meaning:
              "The repository's numeric id: the roles then trust this repository only, not one created later under the same name (npm run access -- github-check asks for it)",
            default: "the trust matches the repository by name",
          }),
        },
        "the GitHub repository: { repository, environment, defaultBranch, repositoryId }",
      ),
      { meaning: "Where GitHub Actions' OIDC tokens come from" },
    ),
    oidcProviderArn: field(githubOidcProviderArn.optional(), {
      meaning: "GitHub's OIDC provider when the account already has one (an account holds one per issuer)",
      default: "created by the access stack",
    }),
    workstationPrincipals: field(
      section(
        {
          plan: field(z.array(iamPrincipalArn).superRefine(uniqueItems("principal")).default([]), {
            meaning:
              "IAM principals that may also assume the plan role, each of the management account or a listed member account (the trust adds aws:PrincipalOrgID)",
          }),
          deploy: field(z.array(iamPrincipalArn).superRefine(uniqueItems("principal")).default([]), {
            meaning:
              "IAM principals that may also assume the deploy role, each of the management account or a listed member account (the trust adds aws:PrincipalOrgID)",
          }),
        },
        "the workstation principals: { plan, deploy }",
      ).default({}),
      { meaning: "IAM principals that may assume each role from a workstation" },
    ),
    memberReadRoleName: field(iamRoleName.optional(), {
      meaning:
        "A read-only role in every account of the organization (e.g. rolled out by StackSets) that the plan role may assume for `npm run roles`: any account whose aws:ResourceOrgID is the organization's, listed in the config or not",
      default: "none: the plan role cannot enter member accounts",
    }),
  },
  "the access section: { github, oidcProviderArn, workstationPrincipals, memberReadRoleName }",
);
