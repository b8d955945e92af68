import { stackNames } from "../../names/stacks";
import { changeKind } from "../changes";
import type { RiskRule } from "./rule";

export const stateBackendChanged: RiskRule = {
  id: "state-backend-changed",
  check: ({ stack, change }) => {
    // The stack holding the state bucket (and lock table): a mistake there can lose every stack's state.
    if (stack !== stackNames.bootstrap || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    const importing = change.change.importing !== undefined;
    if (kind === "no-op" && !importing) return [];
    const what = kind === "no-op" ? "import" : kind;
    return [`changes the state backend (${what}): every stack's state lives there`];
  },
};
