/** What every stack takes besides the config. */
export interface StackOptions {
  /**
   * Role the stack's provider, backend and CLIs assume (see lib/access/stack-roles.ts).
   * @default - the caller's own credentials
   */
  readonly roleArn?: string;
}
