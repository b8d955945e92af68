import { licenseGrantNarrowed } from "../../lib/review/risks/license-grant-narrowed";
import { reconciledRiskRules } from "../../lib/review/risks/reconciled";
import type { ResourceChangeJson } from "../../lib/terraform/plan-json";

const LICENSE = "arn:aws:license-manager::555555555555:license:l-0123456789abcdef0123456789abcdef";
const ORGANIZATION = "arn:aws:organizations::111111111111:organization/o-sandbox00001";
const grant = (allowed: string[]) => ({
  arn: "arn:aws:license-manager::111111111111:grant:g-1",
  name: "analytics",
  license_arn: LICENSE,
  principal: ORGANIZATION,
  allowed_operations: allowed,
});
const deleteFirst =
  "AWS refuses the AWS provider's DeleteGrant (terraform-provider-aws #47901): delete the grant first with " +
  "aws license-manager delete-grant --grant-arn arn:aws:license-manager::111111111111:grant:g-1 --version <its version>";
const grantChange = (actions: string[], before: unknown, after: unknown, replacePaths?: string[][]) =>
  ({
    address: "aws_licensemanager_grant.us-east-1_grant-analytics-organization_A93F950A",
    mode: "managed",
    type: "aws_licensemanager_grant",
    name: "us-east-1_grant-analytics-organization_A93F950A",
    change: { actions, before, after, ...(replacePaths && { replace_paths: replacePaths }) },
  }) as unknown as ResourceChangeJson;
const grantFlags = (change: ResourceChangeJson) =>
  licenseGrantNarrowed.check({ stack: "license-manager", change });

const activation = (activate: boolean, name = "analytics") => ({
  kind: "license-manager-grant-activation",
  region: "us-east-1",
  desired: {
    grants: [
      {
        name,
        principal: "organization",
        grantArn: "arn:aws:license-manager::111111111111:grant:g-0123456789abcdef0123456789abcdef",
        licenseArn: LICENSE,
        activate,
      },
    ],
  },
});
const activationChange = (before: unknown, after: unknown): ResourceChangeJson =>
  ({
    address: "terraform_data.us-east-1_grant-activation_apply_F54BBC93",
    mode: "managed",
    type: "terraform_data",
    name: "us-east-1_grant-activation_apply_F54BBC93",
    change: {
      actions: ["delete", "create"],
      before: { input: before },
      after: { input: after },
      after_unknown: {},
    },
  }) as unknown as ResourceChangeJson;
const deactivationFlags = (change: ResourceChangeJson) =>
  reconciledRiskRules
    .filter((rule) => rule.id === "license-grant-deactivated")
    .flatMap((rule) => rule.check({ stack: "license-manager", change }));

describe("review flags for grants", () => {
  it("flags a grant deleted (a grant removed or a principal dropped) and a grant replaced", () => {
    expect(grantFlags(grantChange(["delete"], grant(["CheckoutLicense"]), null))).toEqual([
      `the grant "analytics" to ${ORGANIZATION} is deleted: its recipients lose the use of license ${LICENSE}. ${deleteFirst}`,
    ]);
    expect(
      grantFlags(
        grantChange(["delete", "create"], grant(["CheckoutLicense"]), grant(["CheckoutLicense"]), [
          ["principal"],
        ]),
      ),
    ).toEqual([
      `the grant "analytics" to ${ORGANIZATION} is replaced (principal cannot be updated in place): the old grant is deleted and its recipients lose the license until the new one is accepted and activated. ${deleteFirst}`,
    ]);
  });

  it("flags operations taken away, and not operations added", () => {
    expect(
      grantFlags(
        grantChange(
          ["update"],
          grant(["CheckoutLicense", "CheckInLicense", "CreateToken"]),
          grant(["CheckoutLicense"]),
        ),
      ),
    ).toEqual([
      `narrows the grant "analytics" to ${ORGANIZATION}: recipients can no longer CheckInLicense, CreateToken`,
    ]);
    expect(
      grantFlags(
        grantChange(["update"], grant(["CheckoutLicense"]), grant(["CheckoutLicense", "CheckInLicense"])),
      ),
    ).toEqual([]);
    expect(grantFlags(grantChange(["create"], null, grant(["CheckoutLicense"])))).toEqual([]);
  });

  it("flags a deactivation, and not a grant that stays active or was never activated", () => {
    expect(deactivationFlags(activationChange(activation(true), activation(false)))).toEqual([
      'deactivates grant "analytics" to organization (activate: true -> false): its recipients can no longer use the license',
    ]);
    expect(deactivationFlags(activationChange(activation(true), activation(true)))).toEqual([]);
    expect(deactivationFlags(activationChange(activation(false), activation(false)))).toEqual([]);
  });
});
