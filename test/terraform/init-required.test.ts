import { initRequired } from "../../lib/terraform/terraform";

/** Terraform 1.11's refusals for want of `terraform init`, as printed with -no-color (stderr). */
const refusals = {
  "never initialized": `Error: Backend initialization required, please run "terraform init"

Reason: Initial configuration of the requested backend "s3"`,
  "backend block changed": `Error: Backend initialization required: please run "terraform init"

Reason: Backend configuration block has changed

Changes to backend configurations require reinitialization. This allows
Terraform to set up the new configuration, copy existing state, etc. Please
run
"terraform init" with either the "-reconfigure" or "-migrate-state" flags to
use the current configuration.`,
  "provider not installed": `Error: Required plugins are not installed

The installed provider plugins are not consistent with the packages selected
in the dependency lock file:
  - registry.terraform.io/hashicorp/aws: there is no package for registry.terraform.io/hashicorp/aws 5.100.0 cached in .terraform/providers

Terraform uses external plugins to integrate with a variety of different
infrastructure services. To download the plugins required for this
configuration, run:
  terraform init`,
  "lock file not matching": `Error: Inconsistent dependency lock file

The following dependency selections recorded in the lock file are
inconsistent with the current configuration:
  - provider registry.terraform.io/hashicorp/aws: locked version selection 5.100.0 doesn't match the updated version constraints "5.99.0"

To update the locked dependency selections to match a changed configuration,
run:
  terraform init -upgrade`,
};

describe("initRequired", () => {
  it.each(Object.entries(refusals))("is true when %s", (_case, stderr) => {
    expect(initRequired({ stdout: "", stderr })).toBe(true);
  });

  it.each([
    [
      "the state is locked",
      `Error: Error acquiring the state lock

Error message: ConditionalCheckFailedException: The conditional request failed
Lock Info:
  ID:        6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f
  Operation: OperationTypeApply

Terraform acquires a state lock to protect the state from being written
by multiple users at the same time.`,
    ],
    [
      "the configuration is wrong",
      `Error: Extraneous JSON object property

  on cdk.tf.json line 12, in resource.terraform_data.settings:
No argument or block type is named "nope".`,
    ],
    ["an AWS call is denied", `Error: reading Organization: AccessDeniedException: not authorized`],
  ])("is false when %s", (_case, stderr) => {
    expect(initRequired({ stdout: "", stderr })).toBe(false);
  });
});
