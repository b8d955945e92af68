import type { RiskFlag, RiskRuleId } from "../model";
import type { ResourceChangeJson } from "../../terraform/plan-json";
import type { SynthesizedStackJson } from "../../cdktf/synthesized-stack";
import type { LiveFacts } from "../live";

/** What a rule sees: one resource change of one stack, and that stack's synthesized JSON. */
export interface RiskContext {
  readonly stack: string;
  readonly change: ResourceChangeJson;
  readonly constructPath?: string;
  readonly synthesized?: SynthesizedStackJson;
  /** What the plan tool read from AWS for this review (absent in a review made from the plan alone). */
  readonly live?: LiveFacts;
}

/** A safety check: a pure function of one change, returning why it is risky (empty when it is not). */
export interface RiskRule {
  readonly id: RiskRuleId;
  readonly check: (context: RiskContext) => readonly string[];
}

export function flagsOf(rule: RiskRule, context: RiskContext): RiskFlag[] {
  return rule.check(context).map((reason) => ({
    rule: rule.id,
    stack: context.stack,
    address: context.change.address,
    ...(context.constructPath !== undefined && { constructPath: context.constructPath }),
    reason,
  }));
}
