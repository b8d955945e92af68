import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "./errors";
import { parseSigningScope, resolveCaller } from "./identity";
import { QueryParams } from "./query-params";
import { jsonServices, queryServices } from "./services";
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
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export const isJsonRequest = (request: ApiRequest): boolean =>
  header(request.headers, "x-amz-target") !== undefined;

export function handleJson(state: EmulatorState, request: ApiRequest): ApiResponse {
  const requestId = randomUUID();
  const [prefix, action = ""] = (header(request.headers, "x-amz-target") ?? "").split(".");
  const scope = parseSigningScope(header(request.headers, "authorization"));
  const service = jsonServices[prefix];
  const region = scope?.region ?? "us-east-1";
  const base = { service: service?.name ?? prefix, action, region };
  try {
    if (!service?.actions[action])
      throw new AwsError("UnknownOperationException", `Unknown operation ${action}`);
    const caller = resolveCaller(state, scope, "json");
    Object.assign(base, { accountId: caller.accountId, principal: caller.arn });
    let input: JsonInput;
    try {
      input = request.body.trim() === "" ? {} : (JSON.parse(request.body) as JsonInput);
    } catch {
      throw new AwsError("SerializationException", "Request body is not valid JSON");
    }
    const call: CallContext = { state, caller, region, requestId };
    const output = service.actions[action](call, input) ?? {};
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

export function handleQuery(state: EmulatorState, request: ApiRequest): ApiResponse {
  const requestId = randomUUID();
  const params = new URLSearchParams(request.body);
  const action = params.get("Action") ?? "";
  const scope = parseSigningScope(header(request.headers, "authorization"));
  const serviceName = scope?.service ?? "unknown";
  const service = queryServices[serviceName];
  const base = { service: serviceName, action, region: scope?.region ?? "us-east-1" };
  const xmlns = service?.xmlns ?? "https://iam.amazonaws.com/doc/2010-05-08/";
  try {
    const caller = resolveCaller(state, scope, "query");
    Object.assign(base, { accountId: caller.accountId, principal: caller.arn });
    const handler = service?.actions[action];
    if (!handler) {
      throw new AwsError(
        "InvalidAction",
        `Could not find operation ${action} for version ${params.get("Version")}`,
      );
    }
    const result = handler({ state, caller, region: base.region, requestId }, new QueryParams(params));
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
