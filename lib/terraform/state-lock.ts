import * as path from "node:path";

/** The lock an interrupted or running Terraform left on a stack's state, as Terraform prints it. */
export interface StateLock {
  readonly id: string;
  /** The state's path in the backend, e.g. bucket/license-manager-org/license-manager.tfstate. */
  readonly path?: string;
  /** OperationTypeApply, OperationTypePlan, … */
  readonly operation?: string;
  /** user@host of the process that took it. */
  readonly who?: string;
  readonly version?: string;
  /** When it was taken, as Terraform prints it. */
  readonly created?: string;
}

const lockFields = {
  id: "ID",
  path: "Path",
  operation: "Operation",
  who: "Who",
  version: "Version",
  created: "Created",
} as const;

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * The lock of Terraform's "Error acquiring the state lock" output (plain Terraform, or cdktf's prefixed and
 * boxed version of it), or undefined when the output is about something else.
 */
export function parseStateLockError(output: string): StateLock | undefined {
  const text = output.replace(ansi, "");
  if (!/Error acquiring the state lock/.test(text)) return undefined;
  const info = text.slice(Math.max(0, text.indexOf("Lock Info:")));
  const field = (label: string): string | undefined => {
    const match = new RegExp(`(?:^|[\\s│|])${label}:[ \\t]*([^\\n│]*)`, "m").exec(info);
    const value = match?.[1]?.trim();
    return value ? value : undefined;
  };
  const id = field(lockFields.id);
  if (!id) return undefined;
  return {
    id,
    ...(field(lockFields.path) && { path: field(lockFields.path) }),
    ...(field(lockFields.operation) && { operation: field(lockFields.operation) }),
    ...(field(lockFields.who) && { who: field(lockFields.who) }),
    ...(field(lockFields.version) && { version: field(lockFields.version) }),
    ...(field(lockFields.created) && { created: field(lockFields.created) }),
  };
}

/** The stack a state path belongs to: <keyPrefix>/<stack>.tfstate. */
function stackOfStatePath(statePath: string | undefined): string | undefined {
  const match = /([^/]+)\.tfstate$/.exec(statePath ?? "");
  return match?.[1];
}

/**
 * What a user needs to know about a held lock: who holds it, since when, for which stack, and how to release
 * it once nothing runs any more. `stackDirectory` is where to run force-unlock (cdktf.out/stacks/<stack>),
 * relative to the project root when possible.
 */
export function explainStateLock(lock: StateLock, stackDirectory?: string, projectRoot?: string): string {
  const stack = stackOfStatePath(lock.path) ?? (stackDirectory ? path.basename(stackDirectory) : "the stack");
  const directory = stackDirectory
    ? projectRoot && path.isAbsolute(stackDirectory)
      ? path.relative(projectRoot, stackDirectory) || "."
      : stackDirectory
    : `cdktf.out/stacks/${stack}`;
  const operation = lock.operation?.replace(/^OperationType/, "").toLowerCase();
  return [
    `The state of stack ${stack} is locked${operation ? ` by a terraform ${operation}` : ""}:`,
    `  held by ${lock.who ?? "an unknown process"} since ${lock.created ?? "an unknown time"}` +
      `${lock.version ? ` (Terraform ${lock.version})` : ""}`,
    `  lock id ${lock.id}${lock.path ? `, state ${lock.path}` : ""}`,
    `Either that command is still running (wait for it), or it was interrupted (a cancelled CI run, a killed`,
    `process) and left the lock behind. Only once you are sure nothing runs against this stack any more`,
    `(check CI runs and other terminals), release it with:`,
    `  (cd ${directory} && terraform force-unlock -force ${lock.id})`,
    `WARNING: releasing a lock that a running apply still holds lets two applies write the same state.`,
    `After an interrupted apply, \`npm run deploy\` adopts what it created but did not record, then deploys. A bare`,
    `\`cdktf deploy\` adopts the license configurations itself, but not a report bucket or topic: run`,
    `\`npm run adopt\` first, or see them with \`npm run drift\` (unmanaged resources).`,
  ].join("\n");
}
