/**
 * Issue 13's proof, run inside lifecycle.test.ts's one sandbox session (see interruptedDeployScenarios):
 * an apply of the license-manager stack killed (SIGKILL, like a cancelled runner) while it creates license
 * configurations, the stale lock released as docs/operations.md says, the tagged configurations it left outside the
 * state found by `npm run drift`, then a bare `cdktf deploy license-manager` (no `npm run adopt` first): its plan
 * imports them (lib/license-manager/unmanaged-lookup.ts), no duplicates, nothing unmanaged, drift clean. Then a tagged configuration planted outside Terraform, named by drift, removed. Last,
 * the bulk configurations removed from the config, and the apply that destroys them killed once a few are
 * deleted: the lock released again, the deploy re-run, nothing left live or in the state.
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import * as path from "node:path";
import {
  CreateLicenseConfigurationCommand,
  DeleteLicenseConfigurationCommand,
  LicenseManagerClient,
  ListLicenseConfigurationsCommand,
} from "@aws-sdk/client-license-manager";
import type { DriftReport } from "../../lib/drift/model";
import { loadConfig } from "../../lib/config/load";
import { environmentName, projectTags } from "../../lib/names/project-tags";
import { runCommand, type RunResult } from "../../lib/process/run-command";
import { synthesize, Terraform, TerraformError } from "../../lib/terraform/terraform";
import { CdktfCli } from "../../sandbox/cdktf-cli";
import type { SandboxSession } from "../../sandbox/session";

interface InterruptedDeployContext {
  readonly session: () => SandboxSession;
  readonly tool: (name: string, args: string[], env?: NodeJS.ProcessEnv) => Promise<RunResult>;
  readonly workDirectory: string;
  readonly writeConfig: (name: string, change: (document: Record<string, any>) => void) => string;
}

const projectRoot = path.resolve(__dirname, "../..");
const stackDirectory = path.join(projectRoot, "cdktf.out", "stacks", "license-manager");
const bulkPrefix = "interrupted-bulk-";
/**
 * Enough that both kills land strictly mid-way (5 created or deleted, short of all) at 1 call at a time: the
 * kills landed after 7 of 40 created and 7 of 40 deleted, and after 6 of 16 created but 14 of 16 deleted (deletes
 * are quicker than the poll that watches them), hence a margin.
 */
const bulkCount = 28;

/** Every license configuration in a region (the sandbox administrator's keys, from the session environment). */
async function liveConfigurations(region: string) {
  const client = new LicenseManagerClient({ region });
  const found: { name: string; arn: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListLicenseConfigurationsCommand({ NextToken: nextToken }));
    for (const configuration of page.LicenseConfigurations ?? []) {
      found.push({ name: configuration.Name!, arn: configuration.LicenseConfigurationArn! });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

const bulkNames = async () =>
  (await liveConfigurations("us-east-1")).map((c) => c.name).filter((name) => name.startsWith(bulkPrefix));

/**
 * Registers the scenarios. They must run after the fresh deploy of every stack and while the license-manager
 * stack is deployed (before its tear-down), with the session's config (LM_CONFIG) deployed in cdktf.out. They
 * leave the license-manager stack as that config deploys it (cdktf.out re-synthesized from it), no lock held,
 * and no license configuration besides the config's.
 */
export function interruptedDeployScenarios(context: InterruptedDeployContext): void {
  describe("a deploy interrupted while it creates license configurations", () => {
    let interruptedConfig: string;
    let environment: NodeJS.ProcessEnv;
    let terraform: Terraform;
    const before = { live: 0 };
    const afterKill = { live: 0, inState: 0 };

    beforeAll(() => {
      // The same file name as the session's config: the environment tag (its name, without an `environment`
      // key) stays the same.
      const sessionConfig = path.basename(context.session().environment.LM_CONFIG!);
      mkdirSync(path.join(context.workDirectory, "interrupted"), { recursive: true });
      interruptedConfig = context.writeConfig(path.join("interrupted", sessionConfig), (document) => {
        for (let index = 0; index < bulkCount; index++) {
          document.licenseManager.licenseConfigurations.push({
            name: `${bulkPrefix}${String(index).padStart(3, "0")}`,
            licenseCountingType: "vCPU",
            regions: ["us-east-1"],
          });
        }
      });
      environment = { ...context.session().environment, LM_CONFIG: interruptedConfig };
      terraform = new Terraform(stackDirectory, { env: environment });
    });

    it(`SIGKILL of terraform apply leaves tagged configurations outside the state and the lock held`, async () => {
      // As the CLIs synthesize (the session's start ran the cdktf CLI's own synth).
      await synthesize(
        projectRoot,
        environment,
        path.join(context.session().logDirectory, "interrupted-synth.log"),
      );
      await terraform.init();
      before.live = (await liveConfigurations("us-east-1")).length;

      // One at a time, so that the apply is still creating when it is killed; its own process group, so that
      // the kill takes the provider with it, as a cancelled runner does.
      const apply = spawn(
        "terraform",
        ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"],
        {
          cwd: stackDirectory,
          env: { ...environment, CHECKPOINT_DISABLE: "1" },
          detached: true,
          stdio: "ignore",
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        apply.on("exit", (_code, signal) => resolve(signal)),
      );
      const deadline = Date.now() + 120_000;
      while ((await bulkNames()).length < 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      process.kill(-apply.pid!, "SIGKILL");
      expect(await exited).toBe("SIGKILL");

      const live = await bulkNames();
      const state = JSON.parse(await terraform.showJson()) as {
        values?: { root_module?: { resources?: { values?: { name?: string } }[] } };
      };
      afterKill.live = live.length;
      afterKill.inState = (state.values?.root_module?.resources ?? []).filter((resource) =>
        String(resource.values?.name ?? "").startsWith(bulkPrefix),
      ).length;
      console.log(
        `interrupted apply: ${afterKill.live} of ${bulkCount} configurations created before the kill, ${afterKill.inState} in the state`,
      );
      expect(afterKill.live).toBeGreaterThanOrEqual(5);
      expect(afterKill.live).toBeLessThan(bulkCount);
      expect(afterKill.live).toBeGreaterThan(afterKill.inState);
    }, 300_000);

    let lockMessage = "";
    it("explains the stale lock: who, since when, which stack, and the command that releases it", async () => {
      const error = await terraform.run(["plan", "-input=false", "-lock-timeout=1s", "-refresh=false"]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TerraformError);
      lockMessage = (error as TerraformError).message;
      console.log(`the lock as a user sees it:\n${lockMessage}`);
      expect(lockMessage).toMatch(/The state of stack license-manager is locked by a terraform apply:/);
      expect(lockMessage).toMatch(/held by \S+@\S+ since \d{4}-\d\d-\d\d /);
      expect(lockMessage).toContain("WARNING: releasing a lock that a running apply still holds");

      // Released as docs/operations.md says, with the command the message gives.
      const release = /\(cd (\S+) && terraform force-unlock -force (\S+)\)/.exec(lockMessage);
      expect(release?.[1]).toBe("cdktf.out/stacks/license-manager");
      const unlock = await runCommand("terraform", ["force-unlock", "-force", release![2]!], {
        cwd: path.join(projectRoot, release![1]!),
        env: environment,
      });
      expect(unlock).toMatchObject({ exitCode: 0 });
    }, 120_000);

    it("npm run drift names each configuration the killed apply left outside the state (exit 2)", async () => {
      const result = await context.tool("drift", ["--json", "--stack", "license-manager"], {
        LM_CONFIG: interruptedConfig,
      });
      expect(result.exitCode).toBe(2);
      const report = JSON.parse(result.stdout) as DriftReport;
      const unmanaged = report.stacks.flatMap((stack) => stack.unmanaged ?? []);
      console.log(`unmanaged after the kill: ${unmanaged.length}`);
      expect(unmanaged).toHaveLength(afterKill.live - afterKill.inState);
      for (const resource of unmanaged) {
        expect(resource.name.startsWith(bulkPrefix)).toBe(true);
        expect(resource.adoptCommand).toContain("terraform import");
      }
      expect(result.stderr).toContain("UNMANAGED resource(s), tagged for this stack but in no state");
    }, 300_000);

    it("a bare cdktf deploy re-run adopts them at plan time: no duplicate, drift exit 0, nothing unmanaged", async () => {
      // The user's re-run, with no npm run adopt before it: the real cdktf CLI on the stack as synthesized for this
      // config (sandbox/cdktf-cli.ts adds only what running offline and unattended needs).
      const cli = new CdktfCli({
        projectRoot,
        environment,
        logDirectory: context.session().logDirectory,
      });
      const deploy = await cli.deploy("license-manager");
      const output = deploy.stdout + deploy.stderr;
      expect(deploy.exitCode).toBe(0);

      // What the user saw: one "will be imported" per configuration the killed apply left, and the plan's count.
      const orphans = afterKill.live - afterKill.inState;
      const importLines = output.split("\n").filter((line) => /will be imported|to import/.test(line));
      console.log(
        `the re-run's plan as the user saw it (${importLines.length} lines):\n${importLines.slice(0, 3).join("\n")}\n…\n${importLines.slice(-1).join("\n")}`,
      );
      expect(
        importLines.filter((line) =>
          /aws_licensemanager_license_configuration\.\S+ .*will be imported/.test(line),
        ),
      ).toHaveLength(orphans);
      // The rest are created; the discovery-and-reports input, which lists every configuration's ARN, is replaced.
      expect(output).toMatch(new RegExp(`Plan: ${orphans} to import, `));
      const created = output
        .split("\n")
        .filter((line) =>
          /license-configuration-interrupted-bulk-\d+_configuration\S* .*will be created/.test(line),
        );
      expect(created).toHaveLength(bulkCount - afterKill.live);

      const names = await bulkNames();
      const duplicates = names.length - new Set(names).size;
      console.log(`after the bare re-run: ${names.length} configurations, ${duplicates} duplicates`);
      expect(duplicates).toBe(0);
      expect(names).toHaveLength(bulkCount);

      const drift = await context.tool("drift", ["--json", "--stack", "license-manager"], {
        LM_CONFIG: interruptedConfig,
      });
      const report = JSON.parse(drift.stdout) as DriftReport;
      expect(report.stacks.flatMap((stack) => stack.unmanaged ?? [])).toEqual([]);
      expect(drift.exitCode).toBe(0);

      // npm run adopt still runs clean after it (deploy.yml and npm run deploy run it first): nothing left to adopt.
      const adopt = await context.tool("adopt", ["--json"], { LM_CONFIG: interruptedConfig });
      expect(adopt.exitCode).toBe(0);
      const adopted = (JSON.parse(adopt.stdout) as { stacks: { adopted: unknown[]; leftOver: unknown[] }[] })
        .stacks;
      expect(adopted[0]!.adopted).toEqual([]);
      expect(adopted[0]!.leftOver).toEqual([]);
    }, 600_000);

    it("a tagged configuration planted outside Terraform is named by drift, then removed", async () => {
      const client = new LicenseManagerClient({ region: "eu-west-1" });
      const config = loadConfig(interruptedConfig);
      const environmentTag = config.environment ?? environmentName(config.sourceFile);
      const { LicenseConfigurationArn: planted } = await client.send(
        new CreateLicenseConfigurationCommand({
          Name: "planted-orphan",
          LicenseCountingType: "Instance",
          Tags: Object.entries(projectTags(environmentTag, "license-manager")).map(([Key, Value]) => ({
            Key,
            Value,
          })),
        }),
      );
      try {
        const result = await context.tool("drift", ["--json", "--stack", "license-manager"], {
          LM_CONFIG: interruptedConfig,
        });
        expect(result.exitCode).toBe(2);
        const unmanaged = (JSON.parse(result.stdout) as DriftReport).stacks.flatMap(
          (stack) => stack.unmanaged ?? [],
        );
        expect(unmanaged).toEqual([
          expect.objectContaining({ name: "planted-orphan", region: "eu-west-1", id: planted }),
        ]);
        // No configured configuration has its name: it can only be removed, never adopted.
        expect(unmanaged[0]!.address).toBeUndefined();
        expect(result.stderr).toContain(`planted-orphan`);
        expect(result.stderr).toContain(`delete-license-configuration --region eu-west-1`);
      } finally {
        await client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn: planted }));
      }
    }, 300_000);
  });

  describe("a deploy interrupted while it destroys license configurations", () => {
    let environment: NodeJS.ProcessEnv;
    let terraform: Terraform;
    const afterKill = { live: 0, inState: 0, deletedButInState: 0, unmanaged: -1, driftExitCode: -1 };
    const logFile = () => path.join(context.session().logDirectory, "interrupted-destroy.log");

    const bulkInState = async () => {
      const state = JSON.parse(await terraform.showJson()) as {
        values?: { root_module?: { resources?: { values?: { name?: string } }[] } };
      };
      return (state.values?.root_module?.resources ?? [])
        .map((resource) => String(resource.values?.name ?? ""))
        .filter((name) => name.startsWith(bulkPrefix));
    };

    beforeAll(() => {
      // The session's own config: the bulk configurations are no longer in it, so the apply destroys them.
      environment = context.session().environment;
      terraform = new Terraform(stackDirectory, { env: environment });
    });

    it("SIGKILL of terraform apply while it deletes leaves deleted configurations in the state and the lock held", async () => {
      await synthesize(projectRoot, environment, logFile());
      await terraform.init();
      expect(await bulkNames()).toHaveLength(bulkCount);
      expect(await bulkInState()).toHaveLength(bulkCount);

      const apply = spawn(
        "terraform",
        ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"],
        {
          cwd: stackDirectory,
          env: { ...environment, CHECKPOINT_DISABLE: "1" },
          detached: true,
          stdio: "ignore",
        },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        apply.on("exit", (_code, signal) => resolve(signal)),
      );
      const deadline = Date.now() + 120_000;
      while ((await bulkNames()).length > bulkCount - 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      process.kill(-apply.pid!, "SIGKILL");
      expect(await exited).toBe("SIGKILL");

      const live = await bulkNames();
      const inState = await bulkInState();
      afterKill.live = live.length;
      afterKill.inState = inState.length;
      afterKill.deletedButInState = inState.filter((name) => !live.includes(name)).length;
      console.log(
        `interrupted destroy: ${bulkCount - afterKill.live} of ${bulkCount} configurations deleted before the kill, ` +
          `${afterKill.live} still live, ${afterKill.inState} in the state ` +
          `(${afterKill.deletedButInState} deleted live but still in the state)`,
      );
      expect(bulkCount - afterKill.live).toBeGreaterThanOrEqual(5);
      expect(afterKill.live).toBeGreaterThan(0);
      // Every configuration still live is still in the state: a destroy leaves nothing unmanaged.
      expect(live.filter((name) => !inState.includes(name))).toEqual([]);
      expect(afterKill.deletedButInState).toBeGreaterThan(0);
    }, 300_000);

    it("the lock is released as its message says; drift then names nothing unmanaged", async () => {
      const error = await terraform.run(["plan", "-input=false", "-lock-timeout=1s", "-refresh=false"]).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TerraformError);
      const lockMessage = (error as TerraformError).message;
      expect(lockMessage).toMatch(/The state of stack license-manager is locked by a terraform apply:/);
      const release = /\(cd (\S+) && terraform force-unlock -force (\S+)\)/.exec(lockMessage);
      expect(release?.[1]).toBe("cdktf.out/stacks/license-manager");
      const unlock = await runCommand("terraform", ["force-unlock", "-force", release![2]!], {
        cwd: path.join(projectRoot, release![1]!),
        env: environment,
      });
      expect(unlock).toMatchObject({ exitCode: 0 });

      const drift = await context.tool("drift", ["--json", "--stack", "license-manager"]);
      const report = JSON.parse(drift.stdout) as DriftReport;
      afterKill.unmanaged = report.stacks.flatMap((stack) => stack.unmanaged ?? []).length;
      afterKill.driftExitCode = drift.exitCode;
      console.log(
        `after the destroy kill: drift exit ${afterKill.driftExitCode}, ${afterKill.unmanaged} unmanaged`,
      );
      expect(afterKill.unmanaged).toBe(0);
      // The configurations deleted but still in the state are drift (deleted outside Terraform): reported, exit 2,
      // never a stack that could not be checked (the discovery check reads them as missing).
      expect(report.stacks.find((stack) => stack.stack === "license-manager")?.status).toBe("drift");
      expect(afterKill.driftExitCode).toBe(2);
    }, 300_000);

    it("the re-run deploy finishes the removal: nothing left live or in the state, no duplicate, drift exit 0", async () => {
      const deploy = await runCommand("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], {
        cwd: stackDirectory,
        env: environment,
        logFile: logFile(),
      });
      expect(deploy.exitCode).toBe(0);

      const all = [
        ...(await liveConfigurations("us-east-1")).map((c) => `us-east-1 ${c.name}`),
        ...(await liveConfigurations("eu-west-1")).map((c) => `eu-west-1 ${c.name}`),
      ];
      const duplicates = all.length - new Set(all).size;
      const bulkLeft = await bulkNames();
      const bulkStateLeft = await bulkInState();
      console.log(
        `after the destroy re-run: ${bulkLeft.length} bulk configurations live, ${bulkStateLeft.length} in the state, ${duplicates} duplicates`,
      );
      expect(duplicates).toBe(0);
      expect(bulkLeft).toEqual([]);
      expect(bulkStateLeft).toEqual([]);
      expect(all.sort()).toEqual([
        "eu-west-1 windows-server-datacenter",
        "us-east-1 sql-server-enterprise",
        "us-east-1 windows-server-datacenter",
      ]);

      const drift = await context.tool("drift", ["--json", "--stack", "license-manager"]);
      const report = JSON.parse(drift.stdout) as DriftReport;
      expect(report.stacks.flatMap((stack) => stack.unmanaged ?? [])).toEqual([]);
      expect(drift.exitCode).toBe(0);
    }, 600_000);
  });
}
