import {
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  type LicenseManagerClient,
} from "@aws-sdk/client-license-manager";
import type { LiveLicenseConfiguration } from "./unmanaged";

/**
 * Every license configuration of one region with its tags. ListLicenseConfigurations returns no tags, so
 * each configuration's tags come from GetLicenseConfiguration (which the roles may already call on
 * license-configuration ARNs; ListTagsForResource would need one more action).
 */
export async function listLicenseConfigurations(
  client: LicenseManagerClient,
  region: string,
): Promise<LiveLicenseConfiguration[]> {
  const found: LiveLicenseConfiguration[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListLicenseConfigurationsCommand({ NextToken: nextToken }));
    for (const summary of page.LicenseConfigurations ?? []) {
      if (!summary.LicenseConfigurationArn) continue;
      const detail = await client.send(
        new GetLicenseConfigurationCommand({ LicenseConfigurationArn: summary.LicenseConfigurationArn }),
      );
      found.push({
        region,
        arn: summary.LicenseConfigurationArn,
        name: summary.Name ?? "",
        tags: Object.fromEntries((detail.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""])),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}
