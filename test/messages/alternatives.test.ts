import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { ManifestStack } from "../../lib/cdktf/manifest";
import { oneOf } from "../../lib/messages/alternatives";
import { selectStacks } from "../../tools/cli";

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith(".ts") ? [file] : [];
  });
}

describe("errors that name what was expected from a set", () => {
  it("go through lib/messages/alternatives.ts, never a join of the whole set", () => {
    // A message that says what it expected and then joins a list is one a long list makes unreadable. The
    // emulator (sandbox/emulator) is left out: it answers in AWS's own words, lists included.
    const joinedAlternatives = /\b(expected|known|one of|are)\b[^`\n]*\$\{[^}]*\.join\(", "\)\}/;
    const offenders = ["lib", "tools", "stacks", "sandbox"]
      .flatMap((directory) => sourceFiles(directory))
      .filter(
        (file) =>
          file !== path.join("lib", "messages", "alternatives.ts") &&
          !file.startsWith(path.join("sandbox", "emulator")),
      )
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .flatMap((line, index) =>
            joinedAlternatives.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(offenders).toEqual([]);
  });

  it("say a set of one as its value", () => {
    expect(oneOf(["Core"], { given: "core" })).toBe("Core");
    expect(oneOf(["Core"], { given: "Socket" })).toBe("Core");
  });

  it("name an unknown stack with the closest one", () => {
    const stacks = ["bootstrap", "organization", "license-manager"].map(
      (name) => ({ name, workingDirectory: `cdktf.out/stacks/${name}` }) as ManifestStack,
    );
    expect(() => selectStacks(stacks, ["licence-manager"])).toThrow(
      'unknown stack "licence-manager"; expected one of bootstrap, organization, license-manager; did you mean "license-manager"?',
    );
    expect(selectStacks(stacks, ["organization"]).map((stack) => stack.name)).toEqual(["organization"]);
  });
});
