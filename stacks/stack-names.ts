/** Stack names become folders in cdktf.out and state keys in the backend: renaming one moves its state. */
export const stackNames = {
  bootstrap: "bootstrap",
  access: "access",
  organization: "organization",
  licenseManager: "license-manager",
} as const;
