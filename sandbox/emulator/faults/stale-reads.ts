import type { EmulatorState } from "../state";

/** The parts of the state whose reads lag behind writes, per service (AWS documents both as eventually consistent). */
const LAGGING_PARTS: Record<string, (keyof EmulatorState)[]> = {
  organizations: ["organization", "accounts"],
  iam: ["iam"],
};

/**
 * Eventual consistency of Organizations and IAM: for `staleMs` after a write, reads see the state as it was
 * before it. Credentials and the other services stay current, so callers and authorization are unaffected.
 */
export class StaleReads {
  private readonly windows = new Map<string, { previous: Partial<EmulatorState>; until: number }>();

  constructor(private readonly staleMs: number) {}

  /** Before a write: a copy of what the service's reads should keep seeing for a while. */
  snapshot(service: string, state: EmulatorState): Partial<EmulatorState> | undefined {
    const parts = LAGGING_PARTS[service];
    if (!parts || this.staleMs <= 0) return undefined;
    const active = this.windows.get(service);
    // Writes in a row: reads keep the value from before the first of them until the window ends.
    if (active && active.until > Date.now()) return active.previous;
    return structuredClone(Object.fromEntries(parts.map((part) => [part, state[part]])));
  }

  /** After a successful write. */
  wrote(service: string, previous: Partial<EmulatorState> | undefined): void {
    if (previous) this.windows.set(service, { previous, until: Date.now() + this.staleMs });
  }

  /** The state a read of the service sees now: the previous value within the window, else the current one. */
  view(service: string, state: EmulatorState): EmulatorState {
    const window = this.windows.get(service);
    if (!window || window.until <= Date.now()) return state;
    return { ...state, ...window.previous };
  }
}
