/**
 * A fault profile for the emulator and the storage front: `throttle=0.2,5xx=0.02,latency=50ms,stale=2s`
 * (SANDBOX_FAULTS), deterministic for a seed (SANDBOX_FAULTS_SEED). A share may be limited to some services:
 * `throttle=0.2@organizations+iam+sts+s3+dynamodb` throttles those five only.
 */
export interface FaultProfile {
  /** Share of calls answered with the service's own throttling error, 0–1. */
  throttle: number;
  /** Share of calls answered with a 5xx, 0–1. */
  serverError: number;
  /** The services `throttle` applies to; every service when absent. */
  throttleServices?: readonly string[];
  /** The services `5xx` applies to; every service when absent. */
  serverErrorServices?: readonly string[];
  /** Added to every call, in milliseconds. */
  latencyMs: number;
  /** How long after a write Organizations and IAM reads still return the previous value, in milliseconds. */
  staleMs: number;
  seed: number;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)$/;

function duration(key: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match) throw new Error(`SANDBOX_FAULTS: ${key}=${value}: expected a duration such as 50ms or 2s`);
  return Number(match[1]) * (match[2] === "s" ? 1000 : 1);
}

/** The services the emulator and the storage front answer for, as the call log names them. */
export const faultServices = [
  "organizations",
  "license-manager",
  "iam",
  "sts",
  "sns",
  "s3",
  "dynamodb",
] as const;

function share(key: string, value: string): { share: number; services?: string[] } {
  const [amount = "", scope] = value.split("@");
  const number = Number(amount);
  if (amount === "" || !Number.isFinite(number) || number < 0 || number > 1)
    throw new Error(`SANDBOX_FAULTS: ${key}=${value}: expected a share from 0 to 1 such as 0.2`);
  if (scope === undefined) return { share: number };
  const services = scope.split("+");
  const unknown = services.filter((service) => !(faultServices as readonly string[]).includes(service));
  if (scope === "" || unknown.length > 0)
    throw new Error(
      `SANDBOX_FAULTS: ${key}=${value}: expected services joined by "+" after "@", from ${faultServices.join(", ")}`,
    );
  return { share: number, services };
}

/** Parses a profile; undefined (no faults) for an absent or empty text. Unknown keys are errors. */
export function parseFaultProfile(text: string | undefined, seed = "1"): FaultProfile | undefined {
  if (!text || text.trim() === "" || text.trim() === "off") return undefined;
  const profile: FaultProfile = {
    throttle: 0,
    serverError: 0,
    latencyMs: 0,
    staleMs: 0,
    seed: Number(seed) || 1,
  };
  for (const part of text.split(",")) {
    const [key, value = ""] = part.trim().split("=");
    if (key === "throttle") {
      const { share: amount, services } = share(key, value);
      profile.throttle = amount;
      if (services) profile.throttleServices = services;
    } else if (key === "5xx") {
      const { share: amount, services } = share(key, value);
      profile.serverError = amount;
      if (services) profile.serverErrorServices = services;
    } else if (key === "latency") profile.latencyMs = duration(key, value);
    else if (key === "stale") profile.staleMs = duration(key, value);
    else throw new Error(`SANDBOX_FAULTS: unknown fault "${key}"; expected throttle, 5xx, latency or stale`);
  }
  if (profile.throttle + profile.serverError > 1)
    throw new Error(`SANDBOX_FAULTS: throttle + 5xx is more than 1 (${text})`);
  return profile;
}

/** The profile of the environment: SANDBOX_FAULTS and SANDBOX_FAULTS_SEED. */
export const faultProfileFromEnvironment = (): FaultProfile | undefined =>
  parseFaultProfile(process.env.SANDBOX_FAULTS, process.env.SANDBOX_FAULTS_SEED);

export type FaultKind = "throttle" | "5xx";

/** Decides, call by call, which calls fail: a seeded PRNG (mulberry32), so one seed gives one sequence. */
export class FaultInjector {
  private state: number;

  constructor(readonly profile: FaultProfile) {
    this.state = profile.seed >>> 0;
  }

  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Waits the profile's latency, then says whether this call to `service` fails and how. */
  async next(service: string): Promise<FaultKind | undefined> {
    if (this.profile.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.profile.latencyMs));
    const applies = (services: readonly string[] | undefined) => !services || services.includes(service);
    const throttle = applies(this.profile.throttleServices) ? this.profile.throttle : 0;
    const serverError = applies(this.profile.serverErrorServices) ? this.profile.serverError : 0;
    // One draw per call whatever the service, so that a seed gives the same sequence of draws.
    const draw = this.random();
    if (draw < throttle) return "throttle";
    if (draw < throttle + serverError) return "5xx";
    return undefined;
  }
}
