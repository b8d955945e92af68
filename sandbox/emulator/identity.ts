import { AwsError } from "./errors";
import type { CredentialState, EmulatorState } from "./state";

export interface SigningScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  accessKeyId: string;
}

/**
 * Reads the SigV4 credential scope (`Credential=AKID/DATE/REGION/SERVICE/aws4_request`).
 * Signatures are NOT verified: the emulator trusts whoever knows an access key id, which is
 * enough to tell accounts apart while testing but is no security boundary.
 */
export function parseSigningScope(authorization: string | undefined): SigningScope | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? "");
  if (!match) return undefined;
  return { accessKeyId: match[1], region: match[2], service: match[3] };
}

/**
 * JSON-protocol services (Organizations, License Manager) answer an unknown key with
 * UnrecognizedClientException (400); query-protocol services (IAM, STS) with InvalidClientTokenId (403).
 */
export function resolveCaller(
  state: EmulatorState,
  scope: SigningScope | undefined,
  protocol: "json" | "query",
): Caller {
  if (!scope) {
    throw new AwsError(
      protocol === "json" ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken",
      "Request is missing Authentication Token",
      403,
    );
  }
  const credential: CredentialState | undefined = state.credentials[scope.accessKeyId];
  if (!credential) {
    throw protocol === "json"
      ? new AwsError("UnrecognizedClientException", "The security token included in the request is invalid.")
      : new AwsError("InvalidClientTokenId", "The security token included in the request is invalid.", 403);
  }
  if (credential.expiresAt !== undefined && credential.expiresAt * 1000 < Date.now()) {
    const code = protocol === "json" ? "ExpiredTokenException" : "ExpiredToken";
    throw new AwsError(
      code,
      "The security token included in the request is expired",
      protocol === "json" ? 400 : 403,
    );
  }
  return {
    accountId: credential.accountId,
    arn: credential.principalArn,
    userId: credential.userId,
    accessKeyId: credential.accessKeyId,
  };
}
