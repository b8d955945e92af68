import { createValidatedPolicy, validateTrustPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { ContextValues, IamCheck, WebIdentityCheck } from "./types";

export type EvaluationResult = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface Evaluation {
  result: EvaluationResult;
  /** The first resource that was not allowed. */
  resource?: string;
  /** iam-simulate's validation message when it could not evaluate (counted as a denial). */
  error?: string;
}

export interface IdentityEvaluation {
  /** The caller: a role session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) or a user ARN. */
  principalArn: string;
  identityPolicies: { name: string; document: unknown }[];
  check: IamCheck;
  /** Account of the resources without an account in their ARN (`*`, S3 buckets and objects). */
  defaultResourceAccountId: string;
  /** Global condition keys of the request (aws:PrincipalArn, aws:RequestedRegion, …). */
  context: ContextValues;
  /** The organization of an account, when it is a member of one: aws:ResourceOrgID of its resources. */
  organizationOf?: (accountId: string) => string | undefined;
}

const accountOf = (arn: string, fallback: string): string =>
  /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] ?? fallback;

/**
 * Evaluates one check with @cloud-copilot/iam-simulate, once per resource: the call is allowed only if every
 * resource is. The check's resource policy (a trust policy) joins the identity policies as AWS combines them:
 * within one account either may grant, across accounts both must.
 */
export async function evaluateIdentity(request: IdentityEvaluation): Promise<Evaluation> {
  const { check } = request;
  for (const resource of check.resources) {
    const resourceAccountId =
      check.resourcePolicy?.accountId ??
      check.resourceAccountId ??
      accountOf(resource, request.defaultResourceAccountId);
    // aws:ResourceOrgID: "the identifier of the organization in AWS Organizations to which the resource
    // belongs", included only when the resource's account is a member of an organization (IAM User Guide, "AWS
    // global condition context keys").
    const resourceOrgId = request.organizationOf?.(resourceAccountId);
    const simulation: Simulation = {
      request: {
        principal: request.principalArn,
        action: check.action,
        resource: { resource, accountId: resourceAccountId },
        contextVariables: {
          ...request.context,
          ...(resourceOrgId !== undefined && { "aws:ResourceOrgID": resourceOrgId }),
          ...check.context,
          ...check.resourceContext?.[resource],
        },
      },
      identityPolicies: request.identityPolicies.map(({ name, document }) => ({ name, policy: document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: check.resourcePolicy?.document,
    };
    const response = await runSimulation(simulation, { simulationMode: "Strict" });
    if (response.resultType === "error") {
      return { result: "ImplicitlyDenied", resource, error: simulationErrorMessage(response.errors) };
    }
    // The policies are valid (the validating run said so); evaluate again keeping the keys it dropped.
    // runUnsafeSimulation names the resource policy after a validated policy's metadata.
    const result = check.unlistedContext
      ? runUnsafeSimulation(
          {
            ...simulation,
            resourcePolicy: check.resourcePolicy
              ? createValidatedPolicy(check.resourcePolicy.document, () => [], { name: "ResourcePolicy" })
              : undefined,
          },
          { simulationMode: "Strict" },
        )
      : response.overallResult;
    if (result !== "Allowed") return { result, resource };
  }
  return { result: "Allowed" };
}

/**
 * The trust policy of AssumeRoleWithWebIdentity. The validating runSimulation drops condition keys the Service
 * Authorization Reference does not list for the action, and it lists GitHub's claims but not the generic
 * `<issuer>:sub` and `<issuer>:aud` (IAM User Guide, "Available keys for AWS OIDC federation"), which every
 * GitHub trust policy conditions on. So the policy is validated with iam-policy's trust-policy validator and
 * evaluated by runUnsafeSimulation, which keeps every context key.
 */
export function evaluateWebIdentityTrust(check: WebIdentityCheck): Evaluation {
  const errors = validateTrustPolicy(check.trustPolicy);
  if (errors.length > 0) return { result: "ImplicitlyDenied", error: validationMessage(errors) };
  const result = runUnsafeSimulation(
    {
      request: {
        principal: check.providerArn,
        action: "sts:AssumeRoleWithWebIdentity",
        resource: { resource: check.roleArn, accountId: check.roleAccountId },
        contextVariables: check.context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      // runUnsafeSimulation names the resource policy after the validated policy's metadata.
      resourcePolicy: createValidatedPolicy(check.trustPolicy, () => [], { name: "TrustPolicy" }),
    },
    { simulationMode: "Strict" },
  );
  return { result, resource: check.roleArn };
}

function validationMessage(errors: { path: string; message: string }[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
}

function simulationErrorMessage(errors: {
  message: string;
  identityPolicyErrors?: Record<string, { path: string; message: string }[]>;
  resourcePolicyErrors?: { path: string; message: string }[];
}): string {
  const details = [
    ...Object.entries(errors.identityPolicyErrors ?? {}).map(
      ([name, e]) => `${name}: ${validationMessage(e)}`,
    ),
    ...(errors.resourcePolicyErrors?.length
      ? [`resource policy: ${validationMessage(errors.resourcePolicyErrors)}`]
      : []),
  ];
  return details.length > 0 ? `${errors.message} (${details.join("; ")})` : errors.message;
}
