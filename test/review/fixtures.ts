import { readFileSync } from "node:fs";
import * as path from "node:path";
import { analyzeStackPlan } from "../../lib/review/analyze";
import { parsePlanJson } from "../../lib/terraform/plan-json";

const fixturesDirectory = path.join(__dirname, "..", "fixtures", "plans");

/** Reviews a captured plan: test/fixtures/plans/<scenario>/<stack>.plan.json with its cdk.tf.json. */
export function reviewFixture(scenario: string, stack: string) {
  const file = path.join(fixturesDirectory, scenario, `${stack}.plan.json`);
  const plan = parsePlanJson(readFileSync(file, "utf8"), file);
  const synthesized = JSON.parse(
    readFileSync(path.join(fixturesDirectory, scenario, `${stack}.cdk.tf.json`), "utf8"),
  );
  return analyzeStackPlan(stack, plan, synthesized);
}
