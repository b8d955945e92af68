import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lanes, renderTable } from "../../tools/test-tiers";

const scripts = (
  JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

describe("npm test's lanes", () => {
  it("run every tier and every check exactly once, each an npm script", () => {
    const steps = lanes.flat();
    expect(new Set(steps).size).toBe(steps.length);
    for (const step of steps) expect(scripts[step]).toBeDefined();
    const tiers = Object.keys(scripts).filter((name) => /^test:/.test(name));
    expect(steps).toEqual(
      expect.arrayContaining([...tiers, "typecheck", "lint", "format:check", "check:cdk-terrain"]),
    );
  });

  it("give the end-to-end tier a lane of its own", () => {
    expect(lanes.find((lane) => lane.includes("test:e2e"))).toEqual(["test:e2e"]);
  });

  it("report each step's lane, status and time, and the total", () => {
    expect(
      renderTable(
        [
          { step: "test:e2e", lane: 1, status: "passed", seconds: 301.25 },
          { step: "lint", lane: 2, status: "failed", seconds: 9 },
          { step: "test:unit", lane: 2, status: "not run" },
        ],
        302,
      ),
    ).toBe(
      [
        "  test:e2e   lane 1  passed    301.3 s",
        "  lint       lane 2  failed      9.0 s",
        "  test:unit  lane 2  not run",
        "  total      wall              302.0 s",
      ].join("\n"),
    );
  });
});
