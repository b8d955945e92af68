import { parse } from "fast-xml-parser";
import type { CallLogEntry } from "../call-log";
import { jsonServices, queryServices } from "../services";
import { COMMON_ERRORS, errorsOf, modelOf } from "./models";
import { checkJson, checkQueryInput, checkXml, type Violation, type XmlNode } from "./shapes";

export interface CallViolation extends Violation {
  service: string;
  action: string;
  /** Which side differs from the model. */
  part: "request" | "response" | "error";
}

/** The services the checker knows and every operation the emulator serves for each. */
export function servedOperations(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const service of Object.values(jsonServices)) out[service.name] = Object.keys(service.actions).sort();
  for (const [name, service] of Object.entries(queryServices))
    out[name] = Object.keys(service.actions).sort();
  return out;
}

function checkError(entry: CallLogEntry, code: string): Violation[] {
  const spec = errorsOf(entry.service)?.get(code) ?? COMMON_ERRORS[code];
  if (!spec) {
    return errorsOf(entry.service) === undefined
      ? [] // no SDK v3 client for this service here (SNS): its error names cannot be checked
      : [{ path: code, problem: "error code not among the SDK v3 client's errors nor AWS's common errors" }];
  }
  const family = spec.fault === "server" ? 5 : 4;
  const out: Violation[] = [];
  if (Math.floor(entry.status / 100) !== family)
    out.push({ path: code, problem: `a ${spec.fault} error answered with HTTP ${entry.status}` });
  // The query protocol's awsQueryError carries the status AWS answers with; JSON protocols' httpError is a
  // server-side hint the clients ignore, so only the 4xx/5xx family is checked there.
  if (spec.status !== undefined && entry.status !== spec.status && errorsOf(entry.service)?.has(code))
    out.push({ path: code, problem: `HTTP ${entry.status}, the SDK's schema says ${spec.status}` });
  return out;
}

function xmlOf(body: string): Record<string, XmlNode> {
  return parse(body, { ignoreAttributes: true, parseNodeValue: false, trimValues: true }) as Record<
    string,
    XmlNode
  >;
}

/** A captured call against its operation's model; an empty list when it conforms. */
export function checkCall(entry: CallLogEntry): CallViolation[] {
  const model = modelOf(entry.service);
  const operation = model?.operations[entry.action];
  if (!model || !operation || !entry.capture) return [];
  const query = model.metadata.protocol === "query";
  const tag =
    (part: CallViolation["part"]) =>
    (v: Violation): CallViolation => ({
      service: entry.service,
      action: entry.action,
      part,
      ...v,
    });
  const { request, response } = entry.capture;
  const out: CallViolation[] = [];
  if (query) out.push(...checkQueryInput(model, operation.input, request).map(tag("request")));
  else if (request.trim() !== "")
    out.push(
      ...checkJson(model, operation.input ?? { type: "structure" }, JSON.parse(request)).map(tag("request")),
    );

  if (entry.status >= 300) {
    if (entry.errorCode) out.push(...checkError(entry, entry.errorCode).map(tag("error")));
    return out;
  }
  if (query) {
    const root = xmlOf(response)[`${entry.action}Response`];
    if (root === undefined || typeof root === "string")
      return [...out, tag("response")({ path: "(body)", problem: `no <${entry.action}Response> element` })];
    const wrapper = operation.output?.resultWrapper ?? `${entry.action}Result`;
    for (const name of Object.keys(root))
      if (name !== wrapper && name !== "ResponseMetadata")
        out.push(tag("response")({ path: name, problem: "element not in the response" }));
    const result = root[wrapper];
    if (operation.output) out.push(...checkXml(model, operation.output, result ?? "").map(tag("response")));
    else if (result !== undefined)
      out.push(tag("response")({ path: wrapper, problem: "operation has no output" }));
  } else {
    out.push(
      ...checkJson(model, operation.output ?? { type: "structure" }, JSON.parse(response)).map(
        tag("response"),
      ),
    );
  }
  return out;
}

export interface OperationCoverage {
  service: string;
  action: string;
  served: boolean;
  seen: number;
  checked: number;
  violations: number;
}

/** Per operation (served by the emulator or seen in the log): calls seen, calls checked, violations. */
export function coverage(entries: CallLogEntry[]): {
  operations: OperationCoverage[];
  violations: CallViolation[];
} {
  const rows = new Map<string, OperationCoverage>();
  const row = (service: string, action: string) => {
    const key = `${service} ${action}`;
    if (!rows.has(key)) rows.set(key, { service, action, served: false, seen: 0, checked: 0, violations: 0 });
    return rows.get(key)!;
  };
  for (const [service, actions] of Object.entries(servedOperations()))
    for (const action of actions) row(service, action).served = true;
  const violations: CallViolation[] = [];
  for (const entry of entries) {
    const current = row(entry.service, entry.action);
    current.seen++;
    if (!entry.capture || !modelOf(entry.service)?.operations[entry.action]) continue;
    current.checked++;
    const found = checkCall(entry);
    current.violations += found.length;
    violations.push(...found);
  }
  const operations = [...rows.values()].sort((a, b) =>
    `${a.service} ${a.action}`.localeCompare(`${b.service} ${b.action}`),
  );
  return { operations, violations };
}
