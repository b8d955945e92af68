import * as path from "node:path";

/**
 * Tags the providers' default tags put on every resource the stacks create: they tie a live resource to this
 * project, its environment and its stack, so that `npm run drift` can find the project's resources that no
 * state holds (an interrupted apply) and `npm run adopt` imports only the project's own.
 */
export const projectTagKeys = {
  project: "license-manager-org:project",
  environment: "license-manager-org:environment",
  stack: "license-manager-org:stack",
  /**
   * A license configuration's configured name, on the configuration itself: the plan-time lookup of
   * configurations an interrupted apply left outside the state matches them by it
   * (lib/license-manager/unmanaged-lookup.ts), since the Resource Groups Tagging API returns ARNs and tags only.
   */
  name: "license-manager-org:name",
} as const;

const projectTagValue = "license-manager-org";

/** The environment a config file describes: its name without the extension (config/production.yaml → production). */
export function environmentName(configFile: string): string {
  return path.basename(configFile).replace(/\.ya?ml$/i, "");
}

export function projectTags(environment: string, stack: string): Record<string, string> {
  return {
    [projectTagKeys.project]: projectTagValue,
    [projectTagKeys.environment]: environment,
    [projectTagKeys.stack]: stack,
  };
}

/** Whether a resource's tags name this project, environment and stack (all three must match). */
export function carriesProjectTags(
  tags: Readonly<Record<string, string>>,
  expected: Readonly<Record<string, string>>,
): boolean {
  return [projectTagKeys.project, projectTagKeys.environment, projectTagKeys.stack].every(
    (key) => expected[key] !== undefined && tags[key] === expected[key],
  );
}
