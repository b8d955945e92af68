import { AwsError, accessDenied } from "../errors";
import { randomUUID } from "node:crypto";
import type { LicenseManagerRegionState } from "../state";
import { ensureServiceLinkedRole } from "./service-linked-roles";
import type { CallContext, JsonHandler } from "./types";

export function licenseManagerRegion(call: CallContext): LicenseManagerRegionState {
  const key = `${call.caller.accountId}/${call.region}`;
  call.state.licenseManager[key] ??= {
    enableIntegration: false,
    enableCrossAccountsDiscovery: false,
    configurations: {},
  };
  return call.state.licenseManager[key];
}

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);

/** License Manager's principals, whose trusted access its link with Organizations enables. */
const licenseManagerPrincipals = [
  "license-manager.amazonaws.com",
  "license-manager.member-account.amazonaws.com",
];

/**
 * Turning on Organizations integration is refused unless the caller is the management account of an
 * ALL-features organization ("To enable this option, you must be signed into your master account and have all
 * features enabled", License Manager User Guide, Settings). It enables trusted access for License Manager where
 * it is off: Organizations' page for License Manager says trusted access is enabled by linking in License
 * Manager's settings ("Enabling trusted access with License Manager"), and the settings page that "License
 * Manager performs this action automatically". AWS does not say which principals; License Manager creates the
 * roles of both (management and member account) on this call (User Guide, "Member account role"), so both are
 * enabled here, and Organizations logs them as enabled by License Manager. AWS is also silent on whether the
 * caller then needs organizations:EnableAWSServiceAccess itself; the sandbox does not ask for it. It then
 * creates the service-linked roles in every account and a RAM resource share owned by the management account.
 */
function enableIntegration(call: CallContext, settings: LicenseManagerRegionState): void {
  const org = call.state.organization;
  if (!org || !org.accountIds.includes(call.caller.accountId)) {
    throw accessDenied("Your account is not a member of an organization.");
  }
  if (org.managementAccountId !== call.caller.accountId) {
    throw accessDenied(
      "Only the management account of an organization can enable AWS Organizations integration.",
    );
  }
  if (org.featureSet !== "ALL") {
    throw invalid("AWS Organizations integration requires an organization with all features enabled.");
  }
  for (const principal of licenseManagerPrincipals) {
    org.enabledServicePrincipals[principal] ??= Math.floor(Date.now() / 1000);
  }
  ensureServiceLinkedRole(call.state, org.managementAccountId, "license-manager.amazonaws.com");
  ensureServiceLinkedRole(
    call.state,
    org.managementAccountId,
    "license-manager.master-account.amazonaws.com",
  );
  for (const accountId of org.accountIds.filter((id) => id !== org.managementAccountId)) {
    ensureServiceLinkedRole(call.state, accountId, "license-manager.member-account.amazonaws.com");
  }
  settings.enableIntegration = true;
  settings.resourceShareArn ??= `arn:aws:ram:${call.region}:${org.managementAccountId}:resource-share/${randomUUID()}`;
}

export const licenseManagerSettingsActions: Record<string, JsonHandler> = {
  GetServiceSettings: (call) => {
    const settings = licenseManagerRegion(call);
    return {
      S3BucketArn: settings.s3BucketArn,
      SnsTopicArn: settings.snsTopicArn,
      OrganizationConfiguration: { EnableIntegration: settings.enableIntegration },
      EnableCrossAccountsDiscovery: settings.enableCrossAccountsDiscovery,
      LicenseManagerResourceShareArn: settings.resourceShareArn,
    };
  },

  UpdateServiceSettings: (call, input) => {
    const settings = licenseManagerRegion(call);
    const bucket = input.S3BucketArn;
    if (
      bucket !== undefined &&
      (typeof bucket !== "string" || !/^arn:aws(-[a-z]+)*:s3:::[a-z0-9.-]{3,63}$/.test(bucket))
    ) {
      throw invalid(`Invalid S3 bucket ARN: ${String(bucket)}`);
    }
    const topic = input.SnsTopicArn;
    if (
      topic !== undefined &&
      (typeof topic !== "string" || !/^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topic))
    ) {
      throw invalid(`Invalid SNS topic ARN: ${String(topic)}`);
    }
    const integration = (input.OrganizationConfiguration as { EnableIntegration?: boolean } | undefined)
      ?.EnableIntegration;
    const discovery = input.EnableCrossAccountsDiscovery as boolean | undefined;
    const integrationAfter = integration ?? settings.enableIntegration;
    if (discovery === true && !integrationAfter) {
      throw invalid("Cross-account discovery requires AWS Organizations integration to be enabled.");
    }
    if (integration === true && !settings.enableIntegration) enableIntegration(call, settings);
    if (integration === false) {
      settings.enableIntegration = false;
      settings.enableCrossAccountsDiscovery = false;
      settings.resourceShareArn = undefined;
    }
    if (discovery !== undefined) settings.enableCrossAccountsDiscovery = discovery;
    if (typeof bucket === "string") settings.s3BucketArn = bucket;
    if (typeof topic === "string") settings.snsTopicArn = topic;
    return {};
  },
};
