import { unusedExports } from "../helpers/unused-exports";

describe("exports", () => {
  it("are imported by another file: a name only its own file uses is not exported", () => {
    // The emulator (sandbox/emulator) stands apart; everything else is held to it.
    expect(unusedExports(["lib", "stacks", "tools", "test", "main.ts"])).toEqual([]);
  });
});
