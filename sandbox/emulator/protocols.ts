import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Authorizer } from "./authorization/authorizer";
import { accessDeniedError } from "./authorization/denials";
import type { AuthorizationOutcome, IamCheck } from "./authorization/types";
import { AwsError } from "./errors";
import { parseSigningScope, resolveCaller, type Caller } from "./identity";
import { QueryParams } from "./query-params";
import { jsonServices, queryServices } from "./services";
import { webIdentityRequest } from "./services/sts-web-identity";
import type { CallContext, JsonInput } from "./services/types";
import type { EmulatorState } from "./state";
import { escapeXml } from "./xml";

export interface ApiRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  service: string;
  action: string;
  region: string;
  accountId?: string;
  principal?: string;
  errorCode?: string;
  /** Absent when the call failed before authorization (unknown key or operation, malformed request). */
  authorization?: AuthorizationOutcome;
}

/** The emulator as its request handlers see it: the state is read anew after every await (a reset swaps it). */
export interface EmulatorContext {
  state(): EmulatorState;
  authorizer: Authorizer;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export const isJsonRequest = (request: ApiRequest): boolean =>
  header(request.headers, "x-amz-target") !== undefined;

/** Which service and operation a request is for, before it is handled (for the fault profile). */
export function routeOf(request: ApiRequest): {
  service: string;
  action: string;
  xmlns: string;
  json: boolean;
} {
  if (isJsonRequest(request)) {
    const [prefix, action = ""] = (header(request.headers, "x-amz-target") ?? "").split(".");
    return { service: jsonServices[prefix]?.name ?? prefix, action, xmlns: "", json: true };
  }
  const action = new URLSearchParams(request.body).get("Action") ?? "";
  const scope = parseSigningScope(header(request.headers, "authorization"));
  const service = UNSIGNED_STS_ACTIONS.has(action) && !scope ? "sts" : (scope?.service ?? "unknown");
  const xmlns = queryServices[service]?.xmlns ?? "https://iam.amazonaws.com/doc/2010-05-08/";
  return { service, action, xmlns, json: false };
}

/**
 * Evaluates the operation's checks for the caller's credential; in `enforce` mode a refusal becomes the
 * service's own access-denied error and the operation does not run.
 */
async function authorize(
  emulator: EmulatorContext,
  service: string,
  caller: Caller,
  region: string,
  checks: IamCheck[],
): Promise<AuthorizationOutcome> {
  const credential = emulator.state().credentials[caller.accessKeyId];
  const outcome = await emulator.authorizer.authorize(credential, region, checks);
  if (outcome.decision === "denied" && outcome.refused) {
    throw Object.assign(accessDeniedError(service, caller.arn, outcome.refused), { outcome });
  }
  return outcome;
}

const outcomeOf = (error: unknown): AuthorizationOutcome | undefined =>
  (error as { outcome?: AuthorizationOutcome }).outcome;

export async function handleJson(emulator: EmulatorContext, request: ApiRequest): Promise<ApiResponse> {
  const requestId = randomUUID();
  const [prefix, action = ""] = (header(request.headers, "x-amz-target") ?? "").split(".");
  const scope = parseSigningScope(header(request.headers, "authorization"));
  const service = jsonServices[prefix];
  const region = scope?.region ?? "us-east-1";
  const base: Omit<ApiResponse, "status" | "headers" | "body"> = {
    service: service?.name ?? prefix,
    action,
    region,
  };
  try {
    if (!service?.actions[action])
      throw new AwsError("UnknownOperationException", `Unknown operation ${action}`);
    const caller = resolveCaller(emulator.state(), scope, "json");
    Object.assign(base, { accountId: caller.accountId, principal: caller.arn });
    let input: JsonInput;
    try {
      input = request.body.trim() === "" ? {} : (JSON.parse(request.body) as JsonInput);
    } catch {
      throw new AwsError("SerializationException", "Request body is not valid JSON");
    }
    const call = (): CallContext => ({ state: emulator.state(), caller, region, requestId });
    const checks = service.authorization[action](call(), input);
    base.authorization = await authorize(emulator, service.name, caller, region, checks);
    const output = service.actions[action](call(), input) ?? {};
    return {
      ...base,
      status: 200,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId },
      body: JSON.stringify(output),
    };
  } catch (error) {
    const aws = asAwsError(error);
    return {
      ...base,
      authorization: base.authorization ?? outcomeOf(error),
      status: aws.status,
      errorCode: aws.code,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": aws.code,
      },
      body: JSON.stringify({ __type: aws.code, message: aws.message, ...aws.extra }),
    };
  }
}

/** STS's unsigned operations: the token in the request is the credential. */
const UNSIGNED_STS_ACTIONS = new Set(["AssumeRoleWithWebIdentity"]);

/**
 * AssumeRoleWithWebIdentity: the token is checked (issuer's provider, audience, expiry), then the role's trust
 * policy decides with the provider as the principal. The caller of the operation stands for the web identity.
 */
function authorizeWebIdentity(
  emulator: EmulatorContext,
  params: QueryParams,
  base: Omit<ApiResponse, "status" | "headers" | "body">,
): Caller {
  const request = webIdentityRequest(emulator.state(), params);
  const outcome = emulator.authorizer.authorizeWebIdentity(request.check);
  Object.assign(base, {
    accountId: request.check.roleAccountId,
    principal: request.check.providerArn,
    authorization: outcome,
  });
  if (outcome.decision === "denied") {
    throw new AwsError("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", 403);
  }
  return {
    accountId: request.check.roleAccountId,
    arn: request.check.providerArn,
    userId: request.claims.sub,
    accessKeyId: "",
  };
}

export async function handleQuery(emulator: EmulatorContext, request: ApiRequest): Promise<ApiResponse> {
  const requestId = randomUUID();
  const params = new URLSearchParams(request.body);
  const action = params.get("Action") ?? "";
  const scope = parseSigningScope(header(request.headers, "authorization"));
  // The token is the credential: a signature, if one is sent, does not change who the caller is.
  const unsigned = UNSIGNED_STS_ACTIONS.has(action) && (!scope || scope.service === "sts");
  const serviceName = unsigned ? "sts" : (scope?.service ?? "unknown");
  const service = queryServices[serviceName];
  const region = scope?.region ?? "us-east-1";
  const base: Omit<ApiResponse, "status" | "headers" | "body"> = { service: serviceName, action, region };
  const xmlns = service?.xmlns ?? "https://iam.amazonaws.com/doc/2010-05-08/";
  try {
    const query = new QueryParams(params);
    let caller: Caller;
    if (unsigned) {
      caller = authorizeWebIdentity(emulator, query, base);
    } else {
      caller = resolveCaller(emulator.state(), scope, "query");
      Object.assign(base, { accountId: caller.accountId, principal: caller.arn });
    }
    const handler = service?.actions[action];
    if (!handler) {
      throw new AwsError(
        "InvalidAction",
        `Could not find operation ${action} for version ${params.get("Version")}`,
      );
    }
    const call = (): CallContext => ({ state: emulator.state(), caller, region, requestId });
    if (!unsigned) {
      const checks = service.authorization[action](call(), query);
      base.authorization = await authorize(emulator, serviceName, caller, region, checks);
    }
    const result = handler(call(), query);
    const resultXml = result === undefined ? "" : `<${action}Result>${result}</${action}Result>`;
    return {
      ...base,
      status: 200,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
      body: `<${action}Response xmlns="${xmlns}">${resultXml}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    };
  } catch (error) {
    const aws = asAwsError(error);
    const type = aws.status >= 500 ? "Receiver" : "Sender";
    return {
      ...base,
      authorization: base.authorization ?? outcomeOf(error),
      status: aws.status,
      errorCode: aws.code,
      headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
      body: `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${aws.code}</Code><Message>${escapeXml(aws.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
}

function asAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError("InternalFailure", `Emulator failure: ${message}`, 500);
}
