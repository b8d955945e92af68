/**
 * Stack names become folders in cdktf.out and state keys in the backend: renaming one moves its state.
 * Shared by the stacks, the plan review's risk rules, the access policies and the tools.
 */
export const stackNames = {
  bootstrap: "bootstrap",
  access: "access",
  organization: "organization",
  licenseManager: "license-manager",
} as const;

/** Where a stack's state lives in the bucket: one key per stack under the configured prefix. */
export function stateKey(
  config: { readonly backend: { readonly keyPrefix: string } },
  stackName: string,
): string {
  return `${config.backend.keyPrefix}/${stackName}.tfstate`;
}

/**
 * The bootstrap stack's local state file, relative to the project root, until the state moves into the
 * bucket. Named after the bucket, so the sandbox's and a real environment's bootstrap states never mix.
 */
export function bootstrapLocalStateFile(config: { readonly backend: { readonly bucket: string } }): string {
  return `terraform.${stackNames.bootstrap}.${config.backend.bucket}.tfstate`;
}
