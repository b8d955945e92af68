import { AwsError, requireString } from "../errors";
import {
  describeAccount,
  findMemberAccount,
  managedOrganization,
  requireAllFeatures,
} from "./organizations-model";
import type { JsonHandler } from "./types";

const notRegistered = (): AwsError =>
  new AwsError(
    "AccountNotRegisteredException",
    "The provided account is not a registered delegated administrator for your organization.",
  );

export const delegatedAdministratorActions: Record<string, JsonHandler> = {
  RegisterDelegatedAdministrator: (call, input) => {
    const org = managedOrganization(call);
    requireAllFeatures(org);
    const principal = requireString(input, "ServicePrincipal");
    const account = findMemberAccount(call, org, input.AccountId);
    if (account.id === org.managementAccountId) {
      throw new AwsError(
        "ConstraintViolationException",
        "You cannot register the management account of the organization as a delegated administrator for an AWS service.",
        400,
        { Reason: "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR" },
      );
    }
    if (!(principal in org.enabledServicePrincipals)) {
      throw new AwsError(
        "ConstraintViolationException",
        "You must enable service access before you delegate an administrator for this service. Call the AWS API EnableAWSServiceAccess first.",
      );
    }
    if (org.delegatedAdmins.some((d) => d.accountId === account.id && d.servicePrincipal === principal)) {
      throw new AwsError(
        "AccountAlreadyRegisteredException",
        "The provided account is already a delegated administrator for your organization.",
      );
    }
    org.delegatedAdmins.push({
      accountId: account.id,
      servicePrincipal: principal,
      enabledAt: Math.floor(Date.now() / 1000),
    });
    return {};
  },

  DeregisterDelegatedAdministrator: (call, input) => {
    const org = managedOrganization(call);
    const principal = requireString(input, "ServicePrincipal");
    const account = findMemberAccount(call, org, input.AccountId);
    const index = org.delegatedAdmins.findIndex(
      (d) => d.accountId === account.id && d.servicePrincipal === principal,
    );
    if (index < 0) throw notRegistered();
    org.delegatedAdmins.splice(index, 1);
    return {};
  },

  ListDelegatedAdministrators: (call, input) => {
    const org = managedOrganization(call);
    const principal = typeof input.ServicePrincipal === "string" ? input.ServicePrincipal : undefined;
    const byAccount = new Map<string, number>();
    for (const d of org.delegatedAdmins) {
      if (principal !== undefined && d.servicePrincipal !== principal) continue;
      byAccount.set(d.accountId, Math.min(byAccount.get(d.accountId) ?? Infinity, d.enabledAt));
    }
    return {
      DelegatedAdministrators: [...byAccount].map(([accountId, enabledAt]) => ({
        ...describeAccount(org, call.state.accounts[accountId]),
        DelegationEnabledDate: enabledAt,
      })),
    };
  },

  ListDelegatedServicesForAccount: (call, input) => {
    const org = managedOrganization(call);
    const account = findMemberAccount(call, org, input.AccountId);
    const services = org.delegatedAdmins.filter((d) => d.accountId === account.id);
    if (services.length === 0) throw notRegistered();
    return {
      DelegatedServices: services.map((d) => ({
        ServicePrincipal: d.servicePrincipal,
        DelegationEnabledDate: d.enabledAt,
      })),
    };
  },
};
