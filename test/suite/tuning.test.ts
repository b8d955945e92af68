import { readFileSync } from "node:fs";
import {
  integrationTestWorkers,
  jestTransform,
  synthesisCommand,
  synthesisNodeFlags,
} from "../../lib/tuning";

/** Files that cannot import lib/tuning.ts carry its settings: each must agree with it. */
describe("the tuning settings (lib/tuning.ts)", () => {
  it("cdktf.json's app is the synthesis command, with the V8 flags", () => {
    const { app } = JSON.parse(readFileSync("cdktf.json", "utf8")) as { app: string };
    expect(app).toBe(synthesisCommand);
    for (const flag of synthesisNodeFlags) expect(app.split(" ")).toContain(flag);
  });

  it("the integration tier runs on the workers it names", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(scripts["test:integration"]?.match(/--maxWorkers=(\d+)/)?.[1]).toBe(
      String(integrationTestWorkers),
    );
  });

  it("every jest project transforms TypeScript with the transform it names", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { projects } = require("../../jest.config.js") as {
      projects: { displayName: string; transform: Record<string, [string, unknown]> }[];
    };
    expect(projects.length).toBeGreaterThan(0);
    for (const project of projects) {
      expect([project.displayName, Object.values(project.transform).map(([name]) => name)]).toEqual([
        project.displayName,
        [jestTransform],
      ]);
    }
  });
});
