import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { externallyOwnedSeed, defaultSeed } from "../../sandbox/emulator/seed";
import { startEmulator, type RunningEmulator } from "../../sandbox/emulator/server";
import { configWith } from "../helpers/config";
import { runTool } from "./run-tool";

describe("npm run org", () => {
  let emulator: RunningEmulator;
  let home: string;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, seed: externallyOwnedSeed });
    home = await mkdtemp(join(tmpdir(), "org-"));
  });
  afterAll(() => emulator.close());

  it("prints what a Control Tower organization has, suggests external, and a config snippet for each mode that loads", async () => {
    const result = await runTool("org", emulator.url, home, ["--json"], {
      LM_ROLE: "none",
      AWS_REGION: "us-east-1",
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(
      "Organization o-sandbox00001 (feature set ALL, management account 111111111111)",
    );
    expect(result.stderr).toContain("Policy types enabled on the root: SERVICE_CONTROL_POLICY, TAG_POLICY");
    expect(result.stderr).toContain(
      "Suggested: source: external (AWS Control Tower manages this organization (trusted access for controltower.amazonaws.com)",
    );
    const report = JSON.parse(result.stdout);
    expect(report.servicePrincipals).toEqual(
      [...externallyOwnedSeed.organization!.enabledServicePrincipals].sort(),
    );
    // Either snippet, pasted into a config, loads; the import one lists everything enabled now.
    for (const source of ["import", "external"] as const) {
      const { organization } = parse(report.snippets[source]);
      const config = configWith((document) => {
        document.organization = { ...organization, memberAccounts: document.organization.memberAccounts };
      });
      expect(config.organization.source).toBe(source);
    }
    expect(parse(report.snippets.import).organization).toEqual({
      source: "import",
      id: "o-sandbox00001",
      serviceAccessPrincipals: [...externallyOwnedSeed.organization!.enabledServicePrincipals].sort(),
      enabledPolicyTypes: ["SERVICE_CONTROL_POLICY", "TAG_POLICY"],
      principalsAllowedToBeRemoved: [],
    });
  });

  it("suggests import where no other owner shows, and prints its help", async () => {
    const plain = await startEmulator({ port: 0, seed: defaultSeed });
    try {
      const result = await runTool("org", plain.url, home, [], { LM_ROLE: "none", AWS_REGION: "us-east-1" });
      expect(result.exitCode).toBe(0);
      expect(result.stderr).toContain("Suggested: source: import (no other owner shows in trusted access");
    } finally {
      await plain.close();
    }
    const help = await runTool("org", emulator.url, home, ["--help"]);
    expect([help.exitCode, help.stderr]).toEqual([0, expect.stringMatching(/^Usage: npm run org -- /)]);
  });
});
