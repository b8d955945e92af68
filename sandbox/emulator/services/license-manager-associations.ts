import { AwsError, requireString } from "../errors";
import type { LicenseConfigurationState } from "../state";
import { licenseManagerRegion } from "./license-manager-settings";
import type { CallContext, JsonHandler } from "./types";

const invalid = (message: string): AwsError => new AwsError("InvalidParameterValueException", message);

type LicenseSpecification = { LicenseConfigurationArn?: string; AmiAssociationScope?: string };

function resourceType(resourceArn: string): string {
  if (/^arn:aws:ec2:[^:]*:[^:]*:instance\//.test(resourceArn)) return "EC2_INSTANCE";
  if (/^arn:aws:ec2:[^:]*:[^:]*:dedicated-host\//.test(resourceArn)) return "EC2_HOST";
  if (/^arn:aws:ec2:[^:]*:[^:]*:image\//.test(resourceArn)) return "EC2_AMI";
  if (/^arn:aws:rds:/.test(resourceArn)) return "RDS";
  if (/^arn:aws:ssm:/.test(resourceArn)) return "SYSTEMS_MANAGER_MANAGED_INSTANCE";
  throw invalid(`Invalid resource ARN: ${resourceArn}`);
}

function configurationsFor(call: CallContext, specs: LicenseSpecification[]): LicenseConfigurationState[] {
  const configurations = licenseManagerRegion(call).configurations;
  return specs.map((spec) => {
    const found = spec.LicenseConfigurationArn ? configurations[spec.LicenseConfigurationArn] : undefined;
    if (!found) throw invalid(`License configuration not found: ${String(spec.LicenseConfigurationArn)}`);
    return found;
  });
}

/**
 * Per region's configurations (the object the state holds), which configurations each resource is associated with:
 * ListLicenseSpecificationsForResource, which the provider calls to read every association, looks up one resource
 * instead of scanning every configuration (with 200 configurations of 10 associations, 2,000 reads × 200). Built on
 * the first read after a start or a state load, kept by UpdateLicenseSpecificationsForResource, the one action that
 * adds or removes associations; an entry whose configuration is gone is dropped when read.
 */
const resourceIndex = new WeakMap<Record<string, LicenseConfigurationState>, Map<string, Set<string>>>();

function associatedConfigurations(configurations: Record<string, LicenseConfigurationState>) {
  let index = resourceIndex.get(configurations);
  if (!index) {
    index = new Map();
    for (const configuration of Object.values(configurations)) {
      for (const { resourceArn } of configuration.associations) {
        index.set(resourceArn, (index.get(resourceArn) ?? new Set()).add(configuration.arn));
      }
    }
    resourceIndex.set(configurations, index);
  }
  return index;
}

/** Each associated resource consumes one license; a hard limit refuses the association beyond the count. */
export const licenseAssociationActions: Record<string, JsonHandler> = {
  UpdateLicenseSpecificationsForResource: (call, input) => {
    const resourceArn = requireString(input, "ResourceArn");
    resourceType(resourceArn);
    const added = configurationsFor(call, (input.AddLicenseSpecifications as LicenseSpecification[]) ?? []);
    const removed = configurationsFor(
      call,
      (input.RemoveLicenseSpecifications as LicenseSpecification[]) ?? [],
    );
    for (const configuration of added) {
      const already = configuration.associations.some((a) => a.resourceArn === resourceArn);
      const full =
        configuration.licenseCount !== undefined &&
        configuration.associations.length >= configuration.licenseCount;
      if (!already && configuration.hardLimit && full) {
        throw new AwsError(
          "LicenseUsageException",
          `License configuration ${configuration.arn} has reached its hard limit of ${configuration.licenseCount} licenses.`,
        );
      }
    }
    const index = associatedConfigurations(licenseManagerRegion(call).configurations);
    for (const configuration of removed) {
      configuration.associations = configuration.associations.filter((a) => a.resourceArn !== resourceArn);
      index.get(resourceArn)?.delete(configuration.arn);
    }
    for (const configuration of added) {
      if (!configuration.associations.some((a) => a.resourceArn === resourceArn)) {
        configuration.associations.push({ resourceArn, associatedAt: Math.floor(Date.now() / 1000) });
        index.set(resourceArn, (index.get(resourceArn) ?? new Set()).add(configuration.arn));
      }
    }
    return {};
  },

  ListLicenseSpecificationsForResource: (call, input) => {
    const resourceArn = requireString(input, "ResourceArn");
    const { configurations } = licenseManagerRegion(call);
    const associated = associatedConfigurations(configurations).get(resourceArn) ?? new Set<string>();
    for (const arn of associated) {
      if (!configurations[arn]?.associations.some((a) => a.resourceArn === resourceArn))
        associated.delete(arn);
    }
    return { LicenseSpecifications: [...associated].map((arn) => ({ LicenseConfigurationArn: arn })) };
  },

  ListAssociationsForLicenseConfiguration: (call, input) => {
    const configuration =
      licenseManagerRegion(call).configurations[requireString(input, "LicenseConfigurationArn")];
    if (!configuration)
      throw invalid(`License configuration not found: ${String(input.LicenseConfigurationArn)}`);
    return {
      LicenseConfigurationAssociations: configuration.associations.map((a) => ({
        ResourceArn: a.resourceArn,
        ResourceType: resourceType(a.resourceArn),
        ResourceOwnerId: a.resourceArn.split(":")[4] || call.caller.accountId,
        AssociationTime: a.associatedAt,
      })),
    };
  },
};
