/**
 * What the review reads from AWS beyond the plan, so that a reviewer sees a change's live impact. The plan tool
 * reads it (lib/review/read-live.ts) with the plan role; the risk rules stay pure functions of it.
 */
export interface LiveFacts {
  /**
   * Licenses in use now per license configuration ARN (GetLicenseConfiguration's ConsumedLicenses), or why
   * it could not be read. Read only for configurations whose hard-limited count the plan lowers.
   */
  readonly licensesInUse?: ReadonlyMap<string, LicensesInUse>;
}

export type LicensesInUse = { readonly consumed: number } | { readonly error: string };
