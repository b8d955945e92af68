import type { Caller } from "../identity";
import type { EmulatorState } from "../state";
import type { QueryParams } from "../query-params";

export interface CallContext {
  state: EmulatorState;
  caller: Caller;
  region: string;
  requestId: string;
}

export type JsonInput = Record<string, unknown>;
export type JsonHandler = (call: CallContext, input: JsonInput) => unknown;
/** Returns the XML inside `<ActionResult>`, or undefined when the action has no result element. */
export type QueryHandler = (call: CallContext, params: QueryParams) => string | undefined;
