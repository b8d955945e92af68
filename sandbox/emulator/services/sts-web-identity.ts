import { roleOfArn } from "../authorization/authorizer";
import type { ContextValues, WebIdentityCheck } from "../authorization/types";
import { AwsError } from "../errors";
import type { QueryParams } from "../query-params";
import type { EmulatorState, RoleState } from "../state";
import { escapeXml, toXml } from "../xml";
import { openIdConnectProviderArn, openIdConnectProviders } from "./iam-openid-connect";
import { mintSession, sessionName } from "./sts-sessions";
import type { QueryHandler } from "./types";

export interface WebIdentityClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp?: number;
  [claim: string]: unknown;
}

/**
 * GitHub's claims AWS offers as condition keys besides `sub` and `aud` (Service Authorization Reference,
 * sts:AssumeRoleWithWebIdentity).
 */
const GITHUB_CONDITION_CLAIMS = [
  "actor",
  "actor_id",
  "enterprise_id",
  "environment",
  "job_workflow_ref",
  "ref",
  "repository",
  "repository_id",
  "repository_owner_id",
  "workflow",
];

const invalidToken = (message: string): AwsError => new AwsError("InvalidIdentityToken", message);
const notAuthorized = (): AwsError =>
  new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);

/**
 * Reads a JWT's claims. The sandbox does not verify signatures (its tokens may be unsigned): the issuer, the
 * audience and the expiry are checked as AWS checks them, the signature is not.
 */
export function readWebIdentityToken(token: string): WebIdentityClaims {
  const [, payload] = token.split(".");
  let claims: Partial<WebIdentityClaims>;
  try {
    claims = JSON.parse(
      Buffer.from(payload ?? "", "base64url").toString("utf8"),
    ) as Partial<WebIdentityClaims>;
  } catch {
    throw invalidToken(
      "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
    );
  }
  if (typeof claims.iss !== "string" || typeof claims.sub !== "string" || claims.aud === undefined) {
    throw invalidToken(
      "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)",
    );
  }
  return claims as WebIdentityClaims;
}

export interface WebIdentityRequest {
  role: RoleState;
  claims: WebIdentityClaims;
  check: WebIdentityCheck;
}

/**
 * What AWS checks before the trust policy: the role, a provider for the token's issuer in the role's account,
 * one of the provider's client ids in the audience, and the expiry. The trust policy then sees the provider
 * as the principal and the token's claims as `<issuer>:<claim>` keys.
 */
export function webIdentityRequest(state: EmulatorState, params: QueryParams): WebIdentityRequest {
  const roleArn = params.require("RoleArn");
  const name = sessionName(params);
  const claims = readWebIdentityToken(params.require("WebIdentityToken"));
  const role = roleOfArn(state, roleArn);
  if (!role) throw notAuthorized();
  const accountId = roleArn.split(":")[4];
  const providerArn = openIdConnectProviderArn(
    accountId,
    claims.iss.startsWith("https://") ? claims.iss : `https://${claims.iss}`,
  );
  const provider = openIdConnectProviders({ state }, accountId)[providerArn];
  if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${claims.iss}`);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((audience) => provider.clientIds.includes(audience))) {
    throw invalidToken("Incorrect token audience");
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp === "number" && claims.exp <= now) {
    throw new AwsError(
      "ExpiredTokenException",
      `Token expired: current date/time ${now} must be before the expiration date/time ${claims.exp}`,
    );
  }
  const issuer = providerArn.split(":oidc-provider/")[1];
  const context: ContextValues = {
    [`${issuer}:sub`]: claims.sub,
    [`${issuer}:aud`]: audiences.length === 1 ? audiences[0] : audiences,
    "sts:RoleSessionName": name,
    "aws:FederatedProvider": providerArn,
  };
  for (const claim of GITHUB_CONDITION_CLAIMS) {
    const value = claims[claim];
    if (typeof value === "string" || typeof value === "number") context[`${issuer}:${claim}`] = String(value);
  }
  return {
    role,
    claims,
    check: {
      roleArn,
      roleAccountId: accountId,
      trustPolicy: JSON.parse(role.assumeRolePolicyDocument) as unknown,
      providerArn,
      context,
    },
  };
}

/** Unsigned: the token is the credential. Its trust policy was evaluated before (protocols.ts). */
export const assumeRoleWithWebIdentity: QueryHandler = (call, params) => {
  const { role, claims } = webIdentityRequest(call.state, params);
  const session = mintSession(call.state, role, sessionName(params), params);
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  return [
    session.credentialsXml,
    `<SubjectFromWebIdentityToken>${escapeXml(claims.sub)}</SubjectFromWebIdentityToken>`,
    session.assumedRoleUserXml,
    toXml({ Provider: claims.iss, Audience: audience }),
  ].join("");
};
