import { isNewerMember, resolveShape, type ServiceModel, type Shape } from "./models";

/** One way a request or a response differs from the model, at a path such as `Roles[0].CreateDate`. */
export interface Violation {
  path: string;
  problem: string;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const typeOf = (shape: Shape): string => shape.type ?? "string";
const join = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/**
 * A JSON-protocol body against its shape: no member the model lacks, every required member, each value of
 * its type; timestamps are epoch seconds (numbers) unless the shape says `timestampFormat`.
 */
export function checkJson(model: ServiceModel, shape: Shape, value: unknown, path = ""): Violation[] {
  const resolved = resolveShape(model, shape);
  const out: Violation[] = [];
  const wrong = (expected: string) =>
    out.push({ path: path || "(body)", problem: `expected ${expected}, got ${JSON.stringify(value)}` });
  switch (typeOf(resolved)) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        wrong("an object");
        break;
      }
      const record = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(record)) {
        const memberShape = resolved.members?.[name];
        if (!memberShape) {
          if (!isNewerMember(model.service, Object.keys(resolved.members ?? {}), name))
            out.push({ path: join(path, name), problem: "member not in the model" });
        } else if (member !== null) out.push(...checkJson(model, memberShape, member, join(path, name)));
      }
      for (const name of resolved.required ?? [])
        if (record[name] === undefined || record[name] === null)
          out.push({ path: join(path, name), problem: "required member missing" });
      break;
    }
    case "list":
      if (!Array.isArray(value)) wrong("a list");
      else value.forEach((item, i) => out.push(...checkJson(model, resolved.member!, item, `${path}[${i}]`)));
      break;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value)) wrong("a map");
      else
        for (const [key, item] of Object.entries(value))
          out.push(...checkJson(model, resolved.value!, item, `${path}[${JSON.stringify(key)}]`));
      break;
    case "string":
      if (typeof value !== "string") wrong("a string");
      break;
    case "integer":
    case "long":
      if (!Number.isInteger(value)) wrong("an integer");
      break;
    case "float":
    case "double":
      if (typeof value !== "number") wrong("a number");
      break;
    case "boolean":
      if (typeof value !== "boolean") wrong("a boolean");
      break;
    case "blob":
      if (typeof value !== "string" || !BASE64.test(value)) wrong("base64 text");
      break;
    case "timestamp":
      if (resolved.timestampFormat === "iso8601") {
        if (typeof value !== "string" || !ISO_8601.test(value)) wrong("an ISO 8601 timestamp");
      } else if (typeof value !== "number") wrong("a timestamp in epoch seconds (a number)");
      break;
  }
  return out;
}

/** A scalar in text (query parameters, XML): its format. */
function checkText(shape: Shape, text: string, path: string): Violation[] {
  const type = typeOf(shape);
  const ok =
    type === "string"
      ? true
      : type === "integer" || type === "long"
        ? INTEGER.test(text)
        : type === "float" || type === "double"
          ? NUMBER.test(text)
          : type === "boolean"
            ? text === "true" || text === "false"
            : type === "timestamp"
              ? ISO_8601.test(text)
              : type === "blob"
                ? BASE64.test(text)
                : false;
  return ok
    ? []
    : [{ path, problem: `expected ${type === "timestamp" ? "an ISO 8601 timestamp" : type}, got "${text}"` }];
}

/** A tree of query parameters: `Tags.member.1.Key=a` becomes { Tags: { member: { 1: { Key: "a" } } } }. */
type ParamTree = { [name: string]: ParamTree | string };

function paramTree(params: URLSearchParams): ParamTree {
  const root: ParamTree = {};
  for (const [name, value] of params) {
    if (name === "Action" || name === "Version") continue;
    const parts = name.split(".");
    let node = root;
    parts.slice(0, -1).forEach((part) => {
      if (typeof node[part] !== "object") node[part] = {};
      node = node[part] as ParamTree;
    });
    node[parts[parts.length - 1]] = value;
  }
  return root;
}

function checkParams(model: ServiceModel, shape: Shape, node: ParamTree | string, path: string): Violation[] {
  const resolved = resolveShape(model, shape);
  const type = typeOf(resolved);
  const out: Violation[] = [];
  if (type !== "structure" && type !== "list" && type !== "map") {
    return typeof node === "string"
      ? checkText(resolved, node, path)
      : [{ path, problem: `expected a ${type}, got nested parameters` }];
  }
  // An empty list is sent as `Name=` (the query protocol's way to say "none").
  if (typeof node === "string") {
    return node === "" && type !== "structure"
      ? []
      : [{ path, problem: `expected a ${type}, got "${node}"` }];
  }
  const indexed = (
    items: ParamTree | string,
    itemPath: string,
    each: (item: ParamTree | string, p: string) => void,
  ) => {
    if (typeof items === "string") {
      out.push({ path: itemPath, problem: "expected numbered members" });
      return;
    }
    for (const [index, item] of Object.entries(items)) {
      if (!INTEGER.test(index) || Number(index) < 1)
        out.push({ path: `${itemPath}.${index}`, problem: "not a member number" });
      else each(item, `${path}[${index}]`);
    }
  };
  if (type === "structure") {
    const byWireName = new Map(
      Object.entries(resolved.members ?? {}).map(([name, member]) => [member.locationName ?? name, name]),
    );
    for (const [wireName, value] of Object.entries(node)) {
      const name = byWireName.get(wireName);
      if (!name) {
        if (!isNewerMember(model.service, Object.keys(resolved.members ?? {}), wireName))
          out.push({ path: join(path, wireName), problem: "member not in the model" });
      } else out.push(...checkParams(model, resolved.members![name], value, join(path, name)));
    }
    for (const name of resolved.required ?? [])
      if (node[resolved.members![name].locationName ?? name] === undefined)
        out.push({ path: join(path, name), problem: "required member missing" });
  } else if (type === "list") {
    const memberName = resolved.member!.locationName ?? "member";
    const items = resolved.flattened ? node : node[memberName];
    const extra = resolved.flattened ? [] : Object.keys(node).filter((key) => key !== memberName);
    extra.forEach((key) => out.push({ path: `${path}.${key}`, problem: `expected ${memberName}.N` }));
    if (items !== undefined)
      indexed(items, `${path}.${memberName}`, (item, p) =>
        out.push(...checkParams(model, resolved.member!, item, p)),
      );
  } else {
    const keyName = resolved.key?.locationName ?? "key";
    const valueName = resolved.value?.locationName ?? "value";
    const entries = resolved.flattened ? node : node.entry;
    if (entries !== undefined)
      indexed(entries, `${path}.entry`, (entry, p) => {
        if (typeof entry === "string" || typeof entry[keyName] !== "string")
          out.push({ path: p, problem: `expected ${keyName} and ${valueName}` });
        else out.push(...checkParams(model, resolved.value!, entry[valueName] ?? "", `${p}.${valueName}`));
      });
  }
  return out;
}

/** A query-protocol request's form parameters against the operation's input shape (flattened names). */
export function checkQueryInput(model: ServiceModel, shape: Shape | undefined, body: string): Violation[] {
  const tree = paramTree(new URLSearchParams(body));
  if (!shape) return Object.keys(tree).map((name) => ({ path: name, problem: "operation takes no input" }));
  return checkParams(model, shape, tree, "");
}

/** An XML element as fast-xml-parser gives it (attributes left out, text kept as text). */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

const asList = (value: XmlNode | XmlNode[] | undefined): XmlNode[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A query-protocol response element against its shape: member names, required members, text formats. */
export function checkXml(
  model: ServiceModel,
  shape: Shape,
  node: XmlNode | XmlNode[],
  path = "",
): Violation[] {
  const resolved = resolveShape(model, shape);
  const type = typeOf(resolved);
  const out: Violation[] = [];
  if (Array.isArray(node)) return [{ path, problem: "element repeated" }];
  if (type !== "structure" && type !== "list" && type !== "map") {
    return typeof node === "string"
      ? checkText(resolved, node, path)
      : [{ path, problem: `expected ${type} text, got elements` }];
  }
  const element: Record<string, XmlNode | XmlNode[]> = typeof node === "string" ? {} : node;
  if (typeof node === "string" && node.trim() !== "")
    return [{ path, problem: `expected elements, got "${node}"` }];
  if (type === "structure") {
    const byWireName = new Map(
      Object.entries(resolved.members ?? {}).map(([name, member]) => [member.locationName ?? name, name]),
    );
    for (const [wireName, value] of Object.entries(element)) {
      const name = byWireName.get(wireName);
      if (!name) {
        if (!isNewerMember(model.service, Object.keys(resolved.members ?? {}), wireName))
          out.push({ path: join(path, wireName), problem: "member not in the model" });
        continue;
      }
      const member = resolveShape(model, resolved.members![name]);
      if (typeOf(member) === "list" && member.flattened)
        asList(value).forEach((item, i) =>
          out.push(...checkXml(model, member.member!, item, `${join(path, name)}[${i}]`)),
        );
      else out.push(...checkXml(model, member, value, join(path, name)));
    }
    for (const name of resolved.required ?? [])
      if (element[resolved.members![name].locationName ?? name] === undefined)
        out.push({ path: join(path, name), problem: "required member missing" });
  } else if (type === "list") {
    const memberName = resolved.member!.locationName ?? "member";
    for (const key of Object.keys(element))
      if (key !== memberName) out.push({ path: `${path}.${key}`, problem: `expected <${memberName}> items` });
    asList(element[memberName]).forEach((item, i) =>
      out.push(...checkXml(model, resolved.member!, item, `${path}[${i}]`)),
    );
  } else {
    const keyName = resolved.key?.locationName ?? "key";
    const valueName = resolved.value?.locationName ?? "value";
    asList(element.entry).forEach((entry, i) => {
      if (typeof entry === "string" || Array.isArray(entry[keyName]) || typeof entry[keyName] !== "string")
        out.push({ path: `${path}.entry[${i}]`, problem: `expected <${keyName}> and <${valueName}>` });
      else
        out.push(
          ...checkXml(
            model,
            resolved.value!,
            (entry[valueName] as XmlNode) ?? "",
            `${path}[${entry[keyName]}]`,
          ),
        );
    });
  }
  return out;
}
