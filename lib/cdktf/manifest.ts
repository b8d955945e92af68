import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface ManifestStack {
  readonly name: string;
  readonly dependencies: readonly string[];
  /** Absolute path of the directory Terraform runs in. */
  readonly workingDirectory: string;
}

/**
 * The stacks of a synthesized app (cdktf.out/manifest.json) in dependency order: every stack after the
 * stacks it depends on, ties in name order.
 */
export function readStacksInOrder(outdir: string): ManifestStack[] {
  const manifestFile = path.join(outdir, "manifest.json");
  let manifest: {
    stacks: Record<string, { name: string; dependencies: string[]; workingDirectory: string }>;
  };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch (error) {
    throw new Error(`${manifestFile}: cannot be read (${(error as Error).message}); run cdktf synth first`);
  }
  const stacks = Object.values(manifest.stacks).map((stack) => ({
    name: stack.name,
    dependencies: stack.dependencies,
    workingDirectory: path.resolve(outdir, stack.workingDirectory),
  }));
  return dependencyOrder(stacks);
}

function dependencyOrder<T extends { name: string; dependencies: readonly string[] }>(stacks: T[]): T[] {
  const byName = new Map(stacks.map((stack) => [stack.name, stack]));
  const ordered: T[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (stack: T, chain: string[]) => {
    if (state.get(stack.name) === "done") return;
    if (state.get(stack.name) === "visiting") {
      throw new Error(`stack dependency cycle: ${[...chain, stack.name].join(" -> ")}`);
    }
    state.set(stack.name, "visiting");
    for (const dependency of [...stack.dependencies].sort()) {
      const target = byName.get(dependency);
      if (!target) throw new Error(`stack ${stack.name} depends on unknown stack ${dependency}`);
      visit(target, [...chain, stack.name]);
    }
    state.set(stack.name, "done");
    ordered.push(stack);
  };
  for (const stack of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) visit(stack, []);
  return ordered;
}
