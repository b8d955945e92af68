import { readFileSync } from "node:fs";

describe("the help file", () => {
  it("names every npm script", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
    };
    const help = readFileSync("help", "utf8");
    const named = (script: string) =>
      script === "test" ? help.includes("npm test") : new RegExp(`npm run ${script}(?![\\w:-])`).test(help);
    // npm runs its lifecycle scripts itself (postinstall applies patches/): nobody runs them by name.
    const lifecycle = new Set(["preinstall", "install", "postinstall", "prepare"]);
    expect(Object.keys(scripts).filter((script) => !lifecycle.has(script) && !named(script))).toEqual([]);
  });
});
