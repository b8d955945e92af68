/**
 * Runs a sandbox command's main when the file is the program (not when a test imports it): its result is the
 * exit code; an error is printed on one line, prefixed with the command's name, and exits 1.
 */
export function runSandboxCli(module: NodeJS.Module, name: string, main: () => Promise<number>): void {
  if (require.main !== module) return;
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`${name}: ${error.message}`);
      process.exit(1);
    },
  );
}
