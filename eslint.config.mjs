import js from "@eslint/js";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";

/**
 * Imports run one way: main.ts → stacks/ → lib/ constructs → lib/ pure modules (config, formats, names, plan
 * analysis, AWS clients). tools/ and sandbox/ use lib/'s pure modules, never stacks/ nor each other; no cycles.
 * These are lib/'s pure modules (no construct in them), relative to lib/; everything else in lib/ is a construct.
 */
const pureLib = [
  "access/access-levels.ts",
  "access/access-scope.ts",
  "access/policies.ts",
  "access/render.ts",
  "access/stack-roles.ts",
  "access/trust.ts",
  "aws",
  "bench",
  "cdktf",
  "config",
  "drift",
  "github",
  "license-manager/license-rule-strings.ts",
  "license-manager/service-linked-role-report.ts",
  "license-manager/settings.ts",
  "license-manager/discovery.ts",
  "license-manager/discovery-and-reports.ts",
  "license-manager/grant-activation.ts",
  "markdown",
  "messages",
  "names",
  "organization/survey.ts",
  "organization/trusted-access.ts",
  "process",
  "reconcile/contract.ts",
  "reconcile/deployed.ts",
  "reconcile/input.ts",
  "reconcile/registry.ts",
  "reconcile/run.ts",
  "review",
  "terraform",
  "tuning.ts",
];

const providerRootImport = {
  name: "@cdktf/provider-aws",
  message: "Import the class from its own module, e.g. '@cdktf/provider-aws/lib/s3-bucket'.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out/",
      "cdktf.plan.out/",
      ".sandbox/",
      ".test-work/",
      "coverage/",
      "*.js",
      "*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // The package root loads ~1,500 provider classes (18.6 s, 1.3 GB): import each class from its module.
      "no-restricted-imports": ["error", { paths: [providerRootImport] }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      // no-cycle follows imports into the modules it resolves: they are parsed as TypeScript.
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".d.ts", ".js", ".json"] })],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "lib",
              from: ["stacks", "tools", "sandbox", "main.ts"],
              message: "lib/ is used by stacks/, tools/ and sandbox/, never the other way round.",
            },
            {
              target: "stacks",
              from: ["tools", "sandbox", "main.ts"],
              message: "Stacks compose lib/ constructs; what tools or the sandbox share belongs in lib/.",
            },
            {
              target: "tools",
              from: ["stacks", "sandbox", "main.ts"],
              message:
                "Tools use lib/ (stack names: lib/names/stacks.ts), not the app's stacks or the sandbox.",
            },
            {
              target: "tools",
              from: "tools",
              except: ["./cli.ts"],
              message:
                "A helper two tools share belongs in lib/ (tools/cli.ts is the one shared tool module).",
            },
            {
              target: "sandbox",
              from: ["stacks", "tools", "main.ts"],
              message: "The sandbox uses lib/ and runs the app through cdktf, never its stacks or the tools.",
            },
            {
              target: pureLib.map((pure) => `lib/${pure}`),
              from: "lib",
              except: pureLib.map((pure) => `./${pure}`),
              message:
                "A pure lib/ module never imports a construct (the list of pure modules: eslint.config.mjs).",
            },
            {
              target: ["tools", "sandbox"],
              from: "lib",
              except: pureLib.map((pure) => `./${pure}`),
              message: "Tools and the sandbox use lib/'s pure modules; only stacks/ build constructs.",
            },
          ],
        },
      ],
    },
  },
  {
    // Pure modules hold no construct: the CDKTF libraries are for lib/'s constructs and stacks/.
    files: pureLib.map((pure) => (pure.endsWith(".ts") ? `lib/${pure}` : `lib/${pure}/**/*.ts`)),
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [providerRootImport],
          patterns: [
            {
              regex: "^(cdktf|constructs|@cdktf/.*)$",
              message: "A pure lib/ module holds no construct; constructs live in lib/'s other modules.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read synthesized Terraform JSON and mutate parsed YAML: untyped data by nature.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
