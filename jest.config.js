// The AWS SDK warns on every client under Node 20 that its 2027 releases need Node 22; workers inherit this.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Tests are transpiled only (no type-checking): `npm run typecheck` runs tsc --noEmit on its own. */
const shared = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }],
  },
};

/**
 * Three tiers, each a jest project (`npm run test:<tier>`, or `jest --selectProjects <tier>`):
 * - unit: pure code and synthesized JSON; no terraform, no emulator, no network.
 * - integration: the real terraform binary and AWS provider, the emulator driven by the real SDK, the CLIs.
 * - e2e: one sandbox session for the whole tier (test/e2e/lifecycle.test.ts runs the scenarios in order).
 */
const integrationFolders = ["emulator", "tools", "validate"];

module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: "unit",
      roots: ["<rootDir>/test"],
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: [
        "/node_modules/",
        "/test/e2e/",
        ...integrationFolders.map((f) => `/test/${f}/`),
      ],
    },
    {
      ...shared,
      displayName: "integration",
      roots: integrationFolders.map((folder) => `<rootDir>/test/${folder}`),
      testMatch: ["**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "e2e",
      roots: ["<rootDir>/test/e2e"],
      testMatch: ["**/*.test.ts"],
    },
  ],
};
