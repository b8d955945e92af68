/**
 * The typed, complete model of one environment's config file (config/<environment>.yaml), inferred from the
 * schema (schema.ts) with every default resolved. `loadConfig` produces it after every check has passed;
 * constructs and stacks only ever see this.
 */
import type { z } from "zod";
import type { configSchema } from "./schema";

type DeepReadonly<T> = T extends readonly (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

export type EnvironmentConfig = DeepReadonly<
  z.output<typeof configSchema> & {
    /** The file this model was read from, for messages. */
    sourceFile: string;
  }
>;

export type AccessConfig = NonNullable<EnvironmentConfig["access"]>;
export type LicenseConfigurationConfig = EnvironmentConfig["licenseManager"]["licenseConfigurations"][number];
export type ReportConfig = EnvironmentConfig["licenseManager"]["reports"][number];
export type GrantConfig = EnvironmentConfig["licenseManager"]["grants"][number];
