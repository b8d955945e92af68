/**
 * Runs a task per stack as soon as the stacks it depends on are done (whatever their outcome):
 * independent stacks run at the same time. Results come back in the order given.
 */
export async function runAfterDependencies<
  T extends { readonly name: string; readonly dependencies: readonly string[] },
  R,
>(stacks: readonly T[], task: (stack: T) => Promise<R>): Promise<R[]> {
  const names = new Set(stacks.map((stack) => stack.name));
  const running = new Map<string, Promise<R>>();
  const start = (stack: T, chain: readonly string[]): Promise<R> => {
    const existing = running.get(stack.name);
    if (existing) return existing;
    if (chain.includes(stack.name))
      throw new Error(`stack dependency cycle: ${[...chain, stack.name].join(" -> ")}`);
    // Dependencies outside the selection are not waited for.
    const dependencies = stack.dependencies
      .filter((name) => names.has(name))
      .map((name) =>
        start(
          stacks.find((candidate) => candidate.name === name)!,
          [...chain, stack.name],
        ),
      );
    const promise = Promise.allSettled(dependencies).then(() => task(stack));
    running.set(stack.name, promise);
    return promise;
  };
  return Promise.all(stacks.map((stack) => start(stack, [])));
}
