/**
 * The access section: the access stack's GitHub OIDC trust and the plan and deploy roles' extra principals, each
 * field documented once in `field`.
 */
import { z } from "zod";
import { field } from "./field-docs";
import {
  githubBranch,
  githubEnvironment,
  githubOidcProviderArn,
  githubRepository,
  iamPrincipalArn,
  iamRoleName,
  section,
  uniqueItems,
} from "./formats";

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
            meaning: "The branch whose scheduled drift checks may assume the plan role",
          }),
        },
        "the GitHub repository: { repository, environment, defaultBranch }",
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
            meaning: "IAM principals that may also assume the plan role",
          }),
          deploy: field(z.array(iamPrincipalArn).superRefine(uniqueItems("principal")).default([]), {
            meaning: "IAM principals that may also assume the deploy role",
          }),
        },
        "the workstation principals: { plan, deploy }",
      ).default({}),
      { meaning: "IAM principals that may assume each role from a workstation" },
    ),
    memberReadRoleName: field(iamRoleName.optional(), {
      meaning:
        "A read-only role in each member account (e.g. rolled out by StackSets) that the plan role may assume for `npm run roles`",
      default: "none: the plan role cannot enter member accounts",
    }),
  },
  "the access section: { github, oidcProviderArn, workstationPrincipals, memberReadRoleName }",
);
