import type { CallLogEntry } from "../call-log";

/**
 * How the sandbox treats IAM: `enforce` denies what the caller's identity policies do not allow, as AWS does;
 * `audit` evaluates and logs the decision but lets every call through; `off` evaluates nothing (the sandbox
 * before IAM enforcement: any known key may do anything, any role may be assumed).
 */
export type IamMode = "enforce" | "audit" | "off";

export const IAM_MODES: readonly IamMode[] = ["enforce", "audit", "off"];

/**
 * What the call log records per call:
 * - `allowed`: a role session's policies allow it (or, on AssumeRole, the trust policy does);
 * - `denied`: refused with the service's access-denied error;
 * - `audit-denied`: the policies would refuse it, but `audit` mode let it through;
 * - `unrestricted`: a long-term user key (the sandbox's administrator), or any caller with IAM `off`.
 */
export type IamDecision = "allowed" | "denied" | "unrestricted" | "audit-denied";

export type ContextValues = Record<string, string | string[]>;

/** One IAM authorization a call needs: most calls need one, tag-on-create and CopyObject two. */
export interface IamCheck {
  /** `service:Action` as the Service Authorization Reference names it, e.g. `s3:GetObject`. */
  action: string;
  /** The ARNs the reference names for the action's resource type; `["*"]` for actions without one. */
  resources: string[];
  /** Service-specific and request condition keys (aws:RequestTag/…, organizations:ServicePrincipal, …). */
  context?: ContextValues;
  /** Condition keys of one resource, by its ARN (aws:ResourceTag/… of each resource the call acts on). */
  resourceContext?: Record<string, ContextValues>;
  /**
   * A resource-based policy evaluated together with the caller's identity policies: a role's trust policy on
   * sts:AssumeRole. Trust policies apply to every caller, the administrator's long-term keys included.
   */
  resourcePolicy?: {
    document: unknown;
    accountId: string;
    /** A role's trust policy (the default: a refusal names no identity policy) or a KMS key's key policy. */
    kind?: "trust" | "key";
  };
  /**
   * The check's context holds keys AWS sets that the validating iam-simulate run drops as not listed for the
   * action: `kms:EncryptionContext:aws:s3:arn` (the reference lists `kms:EncryptionContext:${EncryptionContextKey}`,
   * whose variable part iam-simulate matches without colons). Evaluated with every key kept.
   */
  unlistedContext?: boolean;
  /**
   * The account that owns the resources for IAM, when it is not the one in their ARN: a license's ARN names its
   * issuer, but the account that holds it grants it. @default - the account in the ARN
   */
  resourceAccountId?: string;
}

/**
 * sts:AssumeRoleWithWebIdentity: the caller is the identity provider, not an IAM principal, so only the trust
 * policy decides.
 */
export interface WebIdentityCheck {
  roleArn: string;
  roleAccountId: string;
  trustPolicy: unknown;
  providerArn: string;
  /** `<issuer>:sub`, `<issuer>:aud` and the other claims the token carries. */
  context: ContextValues;
}

export interface CheckOutcome {
  iamAction: string;
  resources: string[];
  /** The operation's own condition keys (the global ones are left out). */
  context?: ContextValues;
  decision: IamDecision;
  /** Set when iam-simulate could not evaluate (an unknown action or a resource of the wrong type). */
  evaluationError?: string;
  /** Why it was refused, when it was: picks AWS's message. */
  denialReason?: "implicit" | "explicit" | "trust";
  /** The resource the refusal names (the first one not allowed). */
  deniedResource?: string;
}

/** What one call's authorization decided, for the response and the call log. */
export interface AuthorizationOutcome {
  decision: IamDecision;
  /** The first check's action and resources: the operation's own IAM action. */
  iamAction?: string;
  resources?: string[];
  /** The role of the caller's session, if any. */
  roleArn?: string;
  /** Every check, when the call needs more than one. */
  checks: CheckOutcome[];
  /** The check that refused the call (in `enforce` mode: the call is not performed). */
  refused?: CheckOutcome;
}

/** The mode from an option, else SANDBOX_IAM, else `enforce`. */
export function resolveIamMode(option?: string): IamMode {
  const value = option ?? process.env.SANDBOX_IAM;
  if (value === undefined || value === "") return "enforce";
  if ((IAM_MODES as readonly string[]).includes(value)) return value as IamMode;
  throw new Error(`SANDBOX_IAM must be one of ${IAM_MODES.join(", ")} (got "${value}")`);
}

export type StorageCallerResolution =
  | { kind: "unknown-key" }
  | { kind: "expired" }
  | { kind: "resolved"; accountId: string; principalArn: string; outcome: AuthorizationOutcome };

/**
 * What the storage front (S3 and DynamoDB) needs from the emulator, which holds the credentials and roles:
 * the caller of an access key, the decision on the checks of its request, and the shared call log.
 */
export interface StorageAuthorization {
  readonly mode: IamMode;
  /** Resolves the key, then evaluates the checks built for the caller's account. */
  authorize(
    accessKeyId: string,
    region: string,
    checksFor: (accountId: string) => IamCheck[] | Promise<IamCheck[]>,
  ): Promise<StorageCallerResolution>;
  record(entry: Omit<CallLogEntry, "time">): void;
}
