import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnableAWSServiceAccessCommand, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { GetServiceSettingsCommand } from "@aws-sdk/client-license-manager";
import { startEmulator } from "../../sandbox/emulator/server";
import { clientsFor, memberAccessRole, assumeRole, useEmulator } from "./emulator-clients";
import type { CallLogEntry } from "../../sandbox/emulator/call-log";
import type { EmulatorState } from "../../sandbox/emulator/state";

const getJson = async (url: string, init?: RequestInit): Promise<unknown> => (await fetch(url, init)).json();
const trustedPrincipals = (state: unknown): string[] =>
  Object.keys((state as EmulatorState).organization?.enabledServicePrincipals ?? {});

describe("emulator sandbox endpoints", () => {
  const emulator = useEmulator();

  it("answers health and logs every call with service, action, account, region, status and error", async () => {
    expect(await getJson(`${emulator().url}/_sandbox/health`)).toEqual({ status: "ok", iamMode: "enforce" });
    await clientsFor(emulator(), undefined, "eu-central-1").licenseManager.send(
      new GetServiceSettingsCommand({}),
    );
    const member = clientsFor(emulator(), await assumeRole(emulator(), memberAccessRole("222222222222")));
    await member.organizations.send(new ListAccountsCommand({})).catch(() => undefined);

    const log = (await getJson(`${emulator().url}/_sandbox/log`)) as CallLogEntry[];
    expect(log.map(({ time: _time, ...entry }) => entry)).toEqual([
      expect.objectContaining({
        service: "license-manager",
        action: "GetServiceSettings",
        accountId: "111111111111",
        region: "eu-central-1",
        status: 200,
      }),
      expect.objectContaining({ service: "sts", action: "AssumeRole", status: 200 }),
      expect.objectContaining({
        service: "organizations",
        action: "ListAccounts",
        accountId: "222222222222",
        principal: "arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/emulator-test",
        status: 400,
        errorCode: "AccessDeniedException",
      }),
    ]);
  });

  it("resets the state to the seed", async () => {
    const principal = { ServicePrincipal: "license-manager.amazonaws.com" };
    await clientsFor(emulator()).organizations.send(new EnableAWSServiceAccessCommand(principal));
    const enabled = () =>
      getJson(`${emulator().url}/_sandbox/state`).then((state) =>
        trustedPrincipals(state).includes("license-manager.amazonaws.com"),
      );
    expect(await enabled()).toBe(true);
    await fetch(`${emulator().url}/_sandbox/reset`, { method: "POST" });
    expect(await enabled()).toBe(false);
  });
});

describe("emulator files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emulator-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("saves state after a mutating call, reloads it on restart and writes the JSON-lines log", async () => {
    const stateFile = join(dir, "state.json");
    const logFile = join(dir, "calls.jsonl");
    const first = await startEmulator({ stateFile, logFile });
    await clientsFor(first).organizations.send(
      new EnableAWSServiceAccessCommand({ ServicePrincipal: "license-manager.amazonaws.com" }),
    );
    await first.close();
    expect(trustedPrincipals(JSON.parse(readFileSync(stateFile, "utf8")))).toContain(
      "license-manager.amazonaws.com",
    );
    const lines = readFileSync(logFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as CallLogEntry);
    expect(lines).toEqual([expect.objectContaining({ action: "EnableAWSServiceAccess", status: 200 })]);

    const second = await startEmulator({ stateFile });
    const state = await getJson(`${second.url}/_sandbox/state`);
    await second.close();
    expect(trustedPrincipals(state)).toContain("license-manager.amazonaws.com");
  });

  it("writes the state file a moment after mutating calls, once for a burst of them, without waiting for close", async () => {
    const stateFile = join(dir, "state.json");
    const emulator = await startEmulator({ stateFile });
    try {
      const { organizations } = clientsFor(emulator);
      await Promise.all(
        ["license-manager.amazonaws.com", "sso.amazonaws.com", "cloudtrail.amazonaws.com"].map((principal) =>
          organizations.send(new EnableAWSServiceAccessCommand({ ServicePrincipal: principal })),
        ),
      );
      expect(existsSync(stateFile)).toBe(false); // not after each call
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(trustedPrincipals(JSON.parse(readFileSync(stateFile, "utf8")))).toEqual(
        expect.arrayContaining([
          "license-manager.amazonaws.com",
          "sso.amazonaws.com",
          "cloudtrail.amazonaws.com",
        ]),
      );
    } finally {
      await emulator.close();
    }
  });
});
