import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSteps, type Step } from "../../tools/deploy";

/** What the AWS provider prints when License Manager throttles a create (it does not retry the code). */
const throttledCreate =
  "Error: creating License Manager License Configuration (windows): operation error License Manager: " +
  "CreateLicenseConfiguration, https response error StatusCode: 429, RequestID: 1, RateLimitExceededException: Rate exceeded";

/** A step that prints `failure` and exits 1 on its first run, and succeeds on the next (a marker file tells). */
const failsOnce = (title: string, marker: string, failure: string, rerunWhenThrottled = true): Step => ({
  title,
  command: process.execPath,
  args: [
    "-e",
    `const fs = require("fs");
     if (fs.existsSync(${JSON.stringify(marker)})) { console.log("${title}: applied"); process.exit(0); }
     fs.writeFileSync(${JSON.stringify(marker)}, "");
     console.error(${JSON.stringify(failure)}); process.exit(1);`,
  ],
  rerunWhenThrottled,
});

const succeeds = (title: string, marker: string): Step => ({
  title,
  command: process.execPath,
  args: ["-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`],
});

/** npm run deploy's sequence (tools/deploy.ts), with steps that stand in for adopt, cdktf deploy and reconcile. */
describe("npm run deploy's steps", () => {
  let directory: string;
  let output: string[];
  let write: jest.SpyInstance;
  const saved = { ...process.env };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "deploy-steps-"));
    output = [];
    write = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      output.push(chunk.toString());
      return true;
    });
    process.env.LM_THROTTLE_DELAY_MS = "100";
  });
  afterEach(() => {
    write.mockRestore();
    process.env = { ...saved };
    rmSync(directory, { recursive: true, force: true });
  });

  it("runs the deploy again when it failed only because AWS throttled it, saying so", async () => {
    const exitCode = await runSteps([
      failsOnce("Deploy", join(directory, "deployed"), throttledCreate),
      succeeds("Restore", join(directory, "restored")),
    ]);
    expect(exitCode).toBe(0);
    const text = output.join("");
    expect(text).toContain(throttledCreate);
    expect(text).toMatch(
      /\nthrottled by AWS \(RateLimitExceededException\); retrying "Deploy" in 0\.1 s, attempt 2 of 8\n/,
    );
    expect(text).toContain("Deploy: applied");
    expect(existsSync(join(directory, "restored"))).toBe(true);
    expect(text).toContain("deploy: all 2 steps done");
  });

  it("stops at any other failure, and at a throttle of a step that retries its own calls, running no later step", async () => {
    const otherError =
      "Error: creating License Manager License Configuration (windows): AccessDeniedException: no";
    expect(
      await runSteps([
        failsOnce("Deploy", join(directory, "deployed"), otherError),
        succeeds("Restore", join(directory, "restored")),
      ]),
    ).toBe(1);
    expect(
      await runSteps([
        failsOnce("Adopt", join(directory, "adopted"), throttledCreate, false),
        succeeds("Restore", join(directory, "restored")),
      ]),
    ).toBe(1);
    const text = output.join("");
    expect(text).not.toContain("retrying");
    expect(text).toContain("[1/2] failed after");
    expect(text).toContain("; not run: Restore");
    expect(existsSync(join(directory, "restored"))).toBe(false);
  });
});
