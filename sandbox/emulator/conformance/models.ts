import { readFileSync } from "node:fs";

/** A shape of an AWS API model as aws-sdk v2 ships it (`apis/<service>-<version>.min.json`). */
export interface Shape {
  /** Absent on a member: a string, or a reference to a named shape (`shape`). */
  type?: string;
  shape?: string;
  members?: Record<string, Shape>;
  required?: string[];
  member?: Shape;
  key?: Shape;
  value?: Shape;
  flattened?: boolean;
  locationName?: string;
  resultWrapper?: string;
  timestampFormat?: string;
}

export interface ServiceModel {
  /** The call log's name of the service (set when loaded). */
  service: string;
  metadata: { protocol: string; uid: string };
  operations: Record<string, { input?: Shape; output?: Shape }>;
  shapes: Record<string, Shape>;
}

/** The emulator's services (call-log names) and the model each is checked against. */
export const MODEL_FILES: Record<string, string> = {
  organizations: "organizations-2016-11-28",
  "license-manager": "license-manager-2018-08-01",
  iam: "iam-2010-05-08",
  sts: "sts-2011-06-15",
  sns: "sns-2010-03-31",
  tag: "resourcegroupstaggingapi-2017-01-26",
};

const models = new Map<string, ServiceModel>();

export function modelOf(service: string): ServiceModel | undefined {
  const file = MODEL_FILES[service];
  if (!file) return undefined;
  let model = models.get(service);
  if (!model) {
    const text = readFileSync(require.resolve(`aws-sdk/apis/${file}.min.json`), "utf8");
    model = { ...(JSON.parse(text) as Omit<ServiceModel, "service">), service };
    models.set(service, model);
  }
  return model;
}

/** A member with its named shape merged in; the member's own traits (locationName, flattened) win. */
export function resolveShape(model: ServiceModel, shape: Shape): Shape {
  if (!shape.shape) return shape;
  const { shape: name, ...own } = shape;
  return { ...resolveShape(model, model.shapes[name]), ...own };
}

/** An error as the SDK v3 client's generated schema declares it. */
export interface ErrorSpec {
  /** The class name, e.g. NoSuchEntityException. */
  name: string;
  /** The code on the wire: the query protocol's awsQueryError code (NoSuchEntity) or the name. */
  code: string;
  fault: "client" | "server";
  status?: number;
}

/** The SDK v3 client of each service; SNS has none among the dependencies. */
const CLIENT_PACKAGES: Record<string, string> = {
  organizations: "@aws-sdk/client-organizations",
  "license-manager": "@aws-sdk/client-license-manager",
  iam: "@aws-sdk/client-iam",
  sts: "@aws-sdk/client-sts",
};

type ErrorSchema = [number, string, string, Record<string, unknown> | 0, ...unknown[]];

/**
 * The errors of a service, by wire code, from its SDK v3 client's error schemas (`<Name>Exception$`:
 * `[-3, namespace, name, { error: "client"|"server", httpError?, awsQueryError?: [code, status] }]`).
 * Undefined for a service without a v3 client here (SNS).
 */
export function errorsOf(service: string): Map<string, ErrorSpec> | undefined {
  const exports = clientExports(service);
  if (!exports) return undefined;
  // JSON protocols send the error's name; awsQueryError is their query-compatibility code, not the wire code.
  const query = modelOf(service)?.metadata.protocol === "query";
  const errors = new Map<string, ErrorSpec>();
  for (const [key, value] of Object.entries(exports)) {
    if (!key.endsWith("$") || !Array.isArray(value) || value[0] !== -3) continue;
    const [, , name, traits] = value as ErrorSchema;
    if (traits === 0 || typeof traits !== "object" || !traits.error) continue;
    const queryError = query ? (traits.awsQueryError as [string, number] | undefined) : undefined;
    errors.set(queryError?.[0] ?? name, {
      name,
      code: queryError?.[0] ?? name,
      fault: traits.error as "client" | "server",
      status: queryError?.[1],
    });
  }
  return errors;
}

function clientExports(service: string): Record<string, unknown> | undefined {
  const pkg = CLIENT_PACKAGES[service];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return pkg ? (require(pkg) as Record<string, unknown>) : undefined;
}

const structureMembers = new Map<string, string[][]>();

/**
 * Whether a member the v2 model lacks is one AWS added after aws-sdk v2's final models (maintenance mode since
 * September 2025): the SDK v3 client's schema has a structure with every member of the model's structure and
 * this one (e.g. Organizations' Account.State, added September 2025).
 */
export function isNewerMember(service: string, knownMembers: string[], member: string): boolean {
  let structures = structureMembers.get(service);
  if (!structures) {
    structures = Object.entries(clientExports(service) ?? {})
      .filter(([key, value]) => key.endsWith("$") && Array.isArray(value) && value[0] === 3)
      .map(([, value]) => (value as [number, string, string, unknown, string[]])[4]);
    structureMembers.set(service, structures);
  }
  return structures.some(
    (names) => names.includes(member) && knownMembers.every((name) => names.includes(name)),
  );
}

/**
 * Errors every service of a protocol may return that the models do not list (AWS's "Common Errors" pages:
 * https://docs.aws.amazon.com/organizations/latest/APIReference/CommonErrors.html and the same page of IAM, STS,
 * SNS, License Manager).
 */
export const COMMON_ERRORS: Record<string, { fault: "client" | "server"; status: number }> = {
  AccessDenied: { fault: "client", status: 403 },
  AccessDeniedException: { fault: "client", status: 400 },
  IncompleteSignature: { fault: "client", status: 400 },
  InternalFailure: { fault: "server", status: 500 },
  InvalidAction: { fault: "client", status: 400 },
  InvalidClientTokenId: { fault: "client", status: 403 },
  InvalidParameterCombination: { fault: "client", status: 400 },
  InvalidParameterValue: { fault: "client", status: 400 },
  MissingAction: { fault: "client", status: 400 },
  MissingAuthenticationToken: { fault: "client", status: 403 },
  NotAuthorized: { fault: "client", status: 400 },
  OptInRequired: { fault: "client", status: 403 },
  RequestExpired: { fault: "client", status: 400 },
  ServiceUnavailable: { fault: "server", status: 503 },
  ThrottlingException: { fault: "client", status: 400 },
  Throttling: { fault: "client", status: 400 },
  ValidationError: { fault: "client", status: 400 },
  ValidationException: { fault: "client", status: 400 },
  UnrecognizedClientException: { fault: "client", status: 400 },
  UnknownOperationException: { fault: "client", status: 400 },
  SerializationException: { fault: "client", status: 400 },
  ExpiredToken: { fault: "client", status: 400 },
  ExpiredTokenException: { fault: "client", status: 400 },
};
