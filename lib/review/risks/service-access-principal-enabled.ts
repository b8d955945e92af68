import { asRecord, changeKind } from "../changes";
import type { RiskRule } from "./rule";

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/** The reason the review gives for one principal newly enabled; the trusted-access kind says the same. */
export const principalEnabledReason = (principal: string) =>
  `enables trusted access for ${principal}: the service gets access to every account of the organization`;

/**
 * Enabling trusted access lets the service act in every account of the organization: "you allow the specified
 * service to create a service-linked role in all the accounts in your organization"
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_EnableAWSServiceAccess.html). A reviewer
 * should see each principal the apply adds, on a new organization too.
 */
export const servicePrincipalEnabled: RiskRule = {
  id: "service-access-principal-enabled",
  check: ({ change }) => {
    if (change.type !== "aws_organizations_organization" || change.mode !== "managed") return [];
    const kind = changeKind(change.change.actions);
    if (kind !== "create" && kind !== "update" && kind !== "replace") return [];
    const before = new Set(stringList(asRecord(change.change.before).aws_service_access_principals));
    const after = stringList(asRecord(change.change.after).aws_service_access_principals);
    return after
      .filter((principal) => !before.has(principal))
      .sort()
      .map(principalEnabledReason);
  },
};
