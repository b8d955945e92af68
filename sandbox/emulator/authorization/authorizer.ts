import { administratorAccessPolicy } from "../seed";
import { iamAccount, type CredentialState, type EmulatorState, type RoleState } from "../state";
import { globalContext, type RequestPrincipal } from "./context-keys";
import { evaluateIdentity, evaluateWebIdentityTrust, type Evaluation } from "./evaluate";
import type {
  AuthorizationOutcome,
  CheckOutcome,
  ContextValues,
  IamCheck,
  IamDecision,
  IamMode,
  WebIdentityCheck,
} from "./types";

const SESSION_ARN = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\//;

/** The role behind session credentials; undefined for a user's long-term keys. */
export function sessionRoleArn(state: EmulatorState, credential: CredentialState): string | undefined {
  if (credential.roleArn) return credential.roleArn;
  // State files saved before IAM enforcement kept only the session ARN.
  const match = SESSION_ARN.exec(credential.principalArn);
  return match
    ? (findRole(state, match[1], match[2])?.arn ?? `arn:aws:iam::${match[1]}:role/${match[2]}`)
    : undefined;
}

function findRole(state: EmulatorState, accountId: string, roleName: string): RoleState | undefined {
  return state.iam[accountId]?.roles[roleName];
}

export function roleOfArn(state: EmulatorState, roleArn: string): RoleState | undefined {
  const match = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  const role = match ? iamAccount(state, match[1]).roles[match[2]] : undefined;
  return role?.arn === roleArn ? role : undefined;
}

/** The identity policies of a role as iam-simulate takes them: inline policies (managed ones are not modelled). */
function identityPoliciesOf(role: RoleState | undefined): { name: string; document: unknown }[] {
  return Object.entries(role?.inlinePolicies ?? {}).map(([name, document]) => ({
    name,
    document: JSON.parse(document) as unknown,
  }));
}

function decisionOf(evaluation: Evaluation, mode: IamMode): IamDecision {
  if (evaluation.result === "Allowed") return "allowed";
  return mode === "enforce" ? "denied" : "audit-denied";
}

function summarize(checks: CheckOutcome[], roleArn: string | undefined): AuthorizationOutcome {
  const refused = checks.find((check) => check.decision === "denied" || check.decision === "audit-denied");
  const decision: IamDecision =
    refused?.decision ??
    (checks.every((check) => check.decision === "unrestricted") ? "unrestricted" : "allowed");
  return {
    decision,
    iamAction: checks[0]?.iamAction,
    resources: checks[0]?.resources,
    roleArn,
    checks,
    refused,
  };
}

/**
 * Decides every call of a role session by its identity policies, with @cloud-copilot/iam-simulate. Long-term
 * user keys stand for an administrator: unrestricted, except where a resource's own policy decides (a role's
 * trust policy on sts:AssumeRole), which is evaluated for them as for AdministratorAccess.
 */
export class Authorizer {
  constructor(
    private readonly currentState: () => EmulatorState,
    readonly mode: IamMode,
  ) {}

  async authorize(
    credential: CredentialState,
    region: string,
    checks: IamCheck[],
  ): Promise<AuthorizationOutcome> {
    const state = this.currentState();
    const roleArn = sessionRoleArn(state, credential);
    const unrestricted = (check: IamCheck): CheckOutcome => ({
      iamAction: check.action,
      resources: check.resources,
      ...(check.context ? { context: check.context } : {}),
      decision: "unrestricted",
    });
    if (this.mode === "off") return summarize(checks.map(unrestricted), roleArn);
    if (checks.length === 0) {
      // A request the sandbox maps to no IAM action: unrestricted for the administrator, refused for a role
      // (and visible in the log) rather than silently allowed.
      if (!roleArn) return summarize([], roleArn);
      const refused = this.outcome("(unmapped)", ["*"], {
        result: "ImplicitlyDenied",
        error: "the sandbox maps no IAM action to this request",
      });
      return summarize([refused], roleArn);
    }

    const role = roleArn ? roleOfArn(state, roleArn) : undefined;
    const organization = state.organization;
    const principal: RequestPrincipal = {
      principalArn: credential.principalArn,
      roleArn,
      accountId: credential.accountId,
      userId: credential.userId,
      tags: role?.tags,
      organizationId: organization?.accountIds.includes(credential.accountId) ? organization.id : undefined,
    };
    const identityPolicies = roleArn
      ? identityPoliciesOf(role)
      : [{ name: "AdministratorAccess", document: administratorAccessPolicy }];
    const context = globalContext(principal, region);

    const outcomes: CheckOutcome[] = [];
    for (const check of checks) {
      if (!roleArn && !check.resourcePolicy) {
        outcomes.push(unrestricted(check));
        continue;
      }
      const evaluation = await evaluateIdentity({
        principalArn: credential.principalArn,
        identityPolicies,
        check,
        defaultResourceAccountId: credential.accountId,
        context,
        organizationOf: (accountId) =>
          organization?.accountIds.includes(accountId) ? organization.id : undefined,
      });
      const outcome = this.outcome(check.action, check.resources, evaluation, check.context);
      if (check.resourcePolicy && check.resourcePolicy.kind !== "key" && outcome.denialReason)
        outcome.denialReason = "trust";
      outcomes.push(outcome);
      // AWS stops at the first refusal; audit mode goes on to log every check.
      if (outcome.decision === "denied") break;
    }
    return summarize(outcomes, roleArn);
  }

  authorizeWebIdentity(check: WebIdentityCheck): AuthorizationOutcome {
    const action = "sts:AssumeRoleWithWebIdentity";
    if (this.mode === "off") {
      return summarize(
        [{ iamAction: action, resources: [check.roleArn], context: check.context, decision: "unrestricted" }],
        undefined,
      );
    }
    const outcome = this.outcome(action, [check.roleArn], evaluateWebIdentityTrust(check), check.context);
    if (outcome.denialReason) outcome.denialReason = "trust";
    return summarize([outcome], undefined);
  }

  private outcome(
    iamAction: string,
    resources: string[],
    evaluation: Evaluation,
    context?: ContextValues,
  ): CheckOutcome {
    const outcome: CheckOutcome = {
      iamAction,
      resources,
      ...(context ? { context } : {}),
      decision: decisionOf(evaluation, this.mode),
    };
    if (evaluation.result !== "Allowed") {
      outcome.denialReason = evaluation.result === "ExplicitlyDenied" ? "explicit" : "implicit";
      outcome.deniedResource = evaluation.resource;
    }
    if (evaluation.error) outcome.evaluationError = evaluation.error;
    return outcome;
  }
}
