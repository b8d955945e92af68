/**
 * Every runtime flag and environment setting that exists for speed or memory, in one place, each with what it
 * buys. None changes what is synthesized, planned or deployed. `npm run bench` measures synthesis (time and peak
 * memory at scale) and `npm run bench -- --plan-and-drift` plan and drift; run it before and after changing one.
 *
 * Where a file cannot read this module (cdktf.json, package.json, jest.config.js), test/suite/tuning.test.ts
 * fails when the file and this module disagree.
 *
 * Behaviours that exist for speed live with the code they speed up, not here: terraform init only where
 * Terraform asks for it (`Terraform.runInitialized`, lib/terraform/terraform.ts), the CLIs' synthesis without the
 * cdktf CLI's start-up (`synthesize`, same file), no `terraform show -json` of a clean plan (tools/plan.ts), and
 * the emulator's index of each resource's license configurations (sandbox/emulator/services/).
 */
import { availableParallelism } from "node:os";

/** V8 flags of the synthesis process (cdktf.json's `app`). */
export const synthesisNodeFlags = [
  // A 4 MiB young generation: synthesis allocates many short-lived objects, and a small nursery collected often
  // keeps the peak memory of large configs down for about the same time.
  "--max-semi-space-size=4",
  // The old generation grows by 30 % between collections instead of V8's default: a large config's synthesis
  // leaves little live data but allocates far more on the way, so the peak stays closer to what is live.
  "--heap-growing-percent=30",
] as const;

/**
 * The synthesis command (cdktf.json's `app`; the CLIs run it with CDKTF_OUTDIR). tsx's CommonJS loader in the
 * app's own Node process, rather than `npx tsx main.ts`, which starts npx and a second Node process first.
 */
export const synthesisCommand = `node ${synthesisNodeFlags.join(" ")} --require tsx/cjs main.ts`;

/**
 * Source maps while the stacks are built (main.ts): cdktf captures a stack trace for every token it creates, and
 * with source maps on (tsx turns them on) Node maps every frame, parsing cdktf's inline maps to do so: most of
 * what those traces cost. Off, token creation traces (shown only in token resolution errors) are unmapped.
 */
export const sourceMapsDuringSynthesis = false;

/**
 * GOGC for the terraform and AWS provider processes `npm test` starts (hundreds of them), unless GOGC is set:
 * Go collects when the heap reaches 5× the live data instead of 2×, about a fifth less CPU for about 40 % more
 * memory per process. GOGC=off saves little more and costs far more memory.
 */
export const testGoGarbageCollection = "400";

/**
 * The CPU priority (nice) of the lane of `npm test` beside the end-to-end tier: the end-to-end tier is the
 * critical path and mostly waits, so the other lane takes what it leaves instead of slowing it down.
 */
export const backgroundLaneNiceness = 19;

/**
 * Jest workers of the integration tier (package.json's `test:integration`): its files mostly wait on terraform
 * and the emulator, so three run well on two cores.
 */
export const integrationTestWorkers = 3;

/**
 * The tests' TypeScript transform (jest.config.js): transpile only, no type-checking (`npm run typecheck` runs
 * tsc on its own), much faster than ts-jest.
 */
export const jestTransform = "@swc/jest";

/**
 * Stacks planned at once by `npm run plan` and `npm run drift`: a plan only reads, so no stack waits for
 * another, and each plan mostly keeps one core busy while terraform and the AWS provider start.
 */
export function stacksPlannedAtOnce(): number {
  return availableParallelism();
}
