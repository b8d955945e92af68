import { appendFileSync } from "node:fs";
import type { AuthorizationOutcome, ContextValues, IamDecision } from "./authorization/types";

/** Another IAM action the same call needed (tag-on-create's tagging action, CopyObject's source read). */
export interface AdditionalCheck {
  iamAction: string;
  resources: string[];
  conditionKeys?: ContextValues;
  decision: IamDecision;
}

export interface CallLogEntry {
  time: string;
  /** organizations, license-manager, iam, sts, sns (the emulator); s3, dynamodb (the storage front). */
  service: string;
  /** The API operation, e.g. EnableAWSServiceAccess, PutObject, PutItem. */
  action: string;
  accountId?: string;
  principal?: string;
  region: string;
  status: number;
  errorCode?: string;
  /** The IAM action the operation was authorized as, e.g. organizations:EnableAWSServiceAccess. */
  iamAction?: string;
  /** The resource ARNs it was authorized on (`*` for actions without a resource type). */
  resources?: string[];
  /**
   * The request's own condition keys (organizations:ServicePrincipal, iam:AWSServiceName, aws:RequestTag/…,
   * dynamodb:LeadingKeys, …); the global ones every call carries (aws:PrincipalArn, …) are left out.
   */
  conditionKeys?: ContextValues;
  /** The IAM role of the caller's session, if the caller used one. */
  roleArn?: string;
  /** Absent only for calls that never reached authorization (unknown key, unknown operation, bad request). */
  decision?: IamDecision;
  /** Other IAM actions the same call needed, each with its own decision. */
  additionalChecks?: AdditionalCheck[];
  /** Why iam-simulate could not evaluate (an action or resource the mapping got wrong): counted as denied. */
  evaluationError?: string;
  /**
   * Set when a fault answered the call instead of the service: `throttle` and `5xx` drawn by the random profile
   * (SANDBOX_FAULTS), `rate` when the call's token bucket was empty (SANDBOX_RATE_LIMITS); both throttles carry
   * the service's own throttling error.
   */
  fault?: "throttle" | "5xx" | "rate";
  /** The request and response bodies, with capture on (SANDBOX_CAPTURE=1): the conformance check's input. */
  capture?: { request: string; response: string };
}

/** The authorization part of a log entry. */
export function authorizationFields(
  outcome: AuthorizationOutcome | undefined,
): Pick<
  CallLogEntry,
  | "iamAction"
  | "resources"
  | "conditionKeys"
  | "roleArn"
  | "decision"
  | "additionalChecks"
  | "evaluationError"
> {
  if (!outcome) return {};
  const [first, ...others] = outcome.checks;
  const evaluationError = outcome.checks.find((check) => check.evaluationError)?.evaluationError;
  return {
    iamAction: outcome.iamAction,
    resources: outcome.resources,
    ...(first?.context ? { conditionKeys: first.context } : {}),
    ...(outcome.roleArn ? { roleArn: outcome.roleArn } : {}),
    decision: outcome.decision,
    ...(others.length > 0
      ? {
          additionalChecks: others.map(({ iamAction, resources, context, decision }) => ({
            iamAction,
            resources,
            ...(context ? { conditionKeys: context } : {}),
            decision,
          })),
        }
      : {}),
    ...(evaluationError ? { evaluationError } : {}),
  };
}

/**
 * Every API call of the emulator and the storage front, kept in memory and appended to a JSON-lines file:
 * the input for a least-privilege policy, and with IAM enforced, the proof of what each role was allowed.
 */
export class CallLog {
  readonly entries: CallLogEntry[] = [];

  constructor(private readonly file?: string) {}

  record(entry: Omit<CallLogEntry, "time">): void {
    const full: CallLogEntry = { time: new Date().toISOString(), ...entry };
    this.entries.push(full);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(full)}\n`);
  }
}
