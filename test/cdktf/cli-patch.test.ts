/**
 * patches/cdktf-cli+0.21.0.patch (applied by patch-package at npm install): the archived cdktf CLI's two costs that
 * grow with the square of a deploy's size, read from the bundle that `npx cdktf` runs.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const bundle = readFileSync("node_modules/cdktf-cli/bundle/bin/cmds/handlers.js", "utf8");

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`the bundle has no ${start} … ${end}`);
  return text.slice(from, to);
}

type Decorate = (line: string) => string;
type StackDecorator = (stack: { name: string; content: string }) => Decorate;

/**
 * The bundle's log decoration (cli-core's `extractConstructPathsFromStack`, YMe in the bundle): given a synthesized
 * stack, a function that appends the construct path after the first resource address in each output line. Taken
 * from the bundle as it is, patched or not (the patch adds a helper in front of YMe).
 */
function bundledDecorator(): StackDecorator {
  const start = bundle.includes("function cdktfPatchFirstAddress(")
    ? "function cdktfPatchFirstAddress("
    : "function YMe(";
  const functions = between(bundle, start, "var UMe,EKt,xKt");
  const helpers = between(bundle, "EKt=t=>", "});var zMe");
  return new Function(
    `var UMe={logger:{debug(){}}},EKt,xKt;${functions};${helpers};return YMe;`,
  )() as StackDecorator;
}

/** What cdktf-cli 0.21.0 does unpatched: the first address in the stack's order found between word boundaries. */
function referenceDecorate(paths: Record<string, string>): Decorate {
  const escape = (text: string) => text.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&");
  return (text) =>
    text
      .split("\n")
      .map((line) => {
        const found = Object.entries(paths).find(([address]) =>
          new RegExp(`\\b${escape(address)}\\b`).test(line),
        );
        return found ? line.replace(found[0], `${found[0]} (${found[1]})`) : line;
      })
      .join("\n");
}

/** A synthesized stack of `count` resources, each with its construct path, and the paths by address. */
function stackOf(count: number, names: (index: number) => string = (index) => `scale_${index}`) {
  const resources: Record<string, Record<string, unknown>> = { aws_licensemanager_association: {} };
  const paths: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const name = names(index);
    resources.aws_licensemanager_association[name] = {
      "//": { metadata: { path: `license-manager/associations/${name}` } },
    };
    paths[`aws_licensemanager_association.${name}`] = `associations/${name}`;
  }
  return {
    stack: { name: "license-manager", content: JSON.stringify({ resource: resources }) },
    paths,
  };
}

describe("the patched cdktf CLI's log decoration", () => {
  const decorator = bundledDecorator();

  it("adds the same construct paths as the unpatched CLI, including addresses that prefix others", () => {
    // Names where one address is a word-bounded part of another (a-b contains a, a_b does not).
    const names = ["a", "a-b", "a_b", "b", "scale-1", "scale-10", "x-1-y"];
    const { stack, paths } = stackOf(names.length, (index) => names[index]);
    const lines = [
      "aws_licensemanager_association.a: Creating...",
      "aws_licensemanager_association.a-b: Creation complete after 0s [id=x]",
      "aws_licensemanager_association.a_b: Still creating... [10s elapsed]",
      "  # aws_licensemanager_association.scale-10 will be created",
      '  + resource "aws_licensemanager_association" "scale-1" {',
      "aws_licensemanager_association.x-1-y and aws_licensemanager_association.b: two in one line",
      "Plan: 7 to add, 0 to change, 0 to destroy.",
      "",
      "data.aws_licensemanager_association.b: Reading...",
    ];
    const decorate = decorator(stack);
    const reference = referenceDecorate(paths);
    for (const line of lines) expect(decorate(line)).toBe(reference(line));
    expect(decorate(lines.join("\n"))).toBe(reference(lines.join("\n")));
    expect(decorate(lines[3])).toBe(
      "  # aws_licensemanager_association.scale-10 (associations/scale-10) will be created",
    );
    // As upstream: an address that is a word-bounded part of a later one (a of a-b) is found first.
    expect(decorate(lines[1])).toBe(
      "aws_licensemanager_association.a (associations/a)-b: Creation complete after 0s [id=x]",
    );
  });

  it("costs the same per line for a stack of 5,000 resources as for one of 100 (unpatched: about 50 times more)", () => {
    const lines = Array.from({ length: 100 }, (_, index) =>
      index % 2 === 0 ? `      + license_configuration_arn = (known after apply) ${index}` : `line ${index}`,
    );
    // The fastest of several passes over the same lines: the least disturbed by other work on the machine.
    const timePerLine = (resources: number, passes: number) => {
      const decorate = decorator(stackOf(resources).stack);
      let fastest = Infinity;
      for (let pass = 0; pass < passes; pass++) {
        const started = performance.now();
        for (const line of lines) decorate(line);
        fastest = Math.min(fastest, performance.now() - started);
      }
      return fastest / lines.length;
    };
    const small = timePerLine(100, 10);
    const large = timePerLine(5_000, 5);
    expect(large / small).toBeLessThan(10);
  });
});

describe("the patched cdktf CLI's log list", () => {
  it("appends each line to one list, without copying the lines before it", () => {
    const onLog = between(
      bundle,
      "onLog:({stackName:w,message:R,messageWithConstructPath:N})=>{",
      "i(D=>D+1)",
    );
    expect(onLog).not.toContain("[...D,");
    expect(onLog).toContain("cdktfPatchEntries.current.push(");
  });

  it("gives ink's Static a view of the list as long as it was, whose slice is the lines after Static's last", () => {
    const view = new Function(
      `${between(bundle, "function cdktfPatchView(", "function T1(")};return cdktfPatchView;`,
    )() as (entries: string[]) => { length: number; slice(start: number): string[] };
    const entries = ["one", "two"];
    const first = view(entries);
    entries.push("three");
    const second = view(entries);
    expect([first.length, first.slice(1)]).toEqual([2, ["two"]]);
    expect([second.length, second.slice(2)]).toEqual([3, ["three"]]);
  });
});

describe("the patch", () => {
  it("is applied at every npm install, for the cdktf-cli version installed", () => {
    const { scripts, devDependencies } = JSON.parse(readFileSync("package.json", "utf8")) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(scripts.postinstall).toBe("patch-package");
    expect(
      readFileSync(`patches/cdktf-cli+${devDependencies["cdktf-cli"]}.patch`, "utf8").length,
    ).toBeGreaterThan(0);
  });
});
