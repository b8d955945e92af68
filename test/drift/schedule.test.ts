import { runAfterDependencies } from "../../lib/drift/schedule";

const stacks = [
  { name: "bootstrap", dependencies: [] },
  { name: "organization", dependencies: ["bootstrap"] },
  { name: "license-manager", dependencies: ["organization"] },
  { name: "reporting", dependencies: ["bootstrap"] },
];

describe("runAfterDependencies", () => {
  it("starts a stack only after its dependencies end, and independent stacks together", async () => {
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const results = await runAfterDependencies(stacks, async (stack) => {
      events.push(`start ${stack.name}`);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      events.push(`end ${stack.name}`);
      return stack.name.toUpperCase();
    });
    expect(results).toEqual(["BOOTSTRAP", "ORGANIZATION", "LICENSE-MANAGER", "REPORTING"]);
    expect(events.indexOf("start organization")).toBeGreaterThan(events.indexOf("end bootstrap"));
    expect(events.indexOf("start license-manager")).toBeGreaterThan(events.indexOf("end organization"));
    // organization and reporting both wait only for bootstrap: they run at the same time.
    expect(maxRunning).toBe(2);
  });

  it("still runs a stack whose dependency failed", async () => {
    const ran: string[] = [];
    await expect(
      runAfterDependencies(stacks.slice(0, 2), async (stack) => {
        ran.push(stack.name);
        if (stack.name === "bootstrap") throw new Error("boom");
        return stack.name;
      }),
    ).rejects.toThrow("boom");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toEqual(["bootstrap", "organization"]);
  });

  it("does not wait for stacks left out of the selection", async () => {
    const results = await runAfterDependencies([stacks[2]], async (stack) => stack.name);
    expect(results).toEqual(["license-manager"]);
  });
});
