import { TerraformError } from "../../lib/terraform/terraform";
import { explainStateLock, parseStateLockError } from "../../lib/terraform/state-lock";

// Terraform 1.11's output when another process holds the lock (DynamoDB locking).
const terraformOutput = `
Error: Error acquiring the state lock

Error message: operation error DynamoDB: PutItem, https response error StatusCode: 400, RequestID:
abc, ConditionalCheckFailedException: The conditional request failed
Lock Info:
  ID:        6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f
  Path:      e2e-license-manager-tfstate/license-manager-org/license-manager.tfstate
  Operation: OperationTypeApply
  Who:       runner@ci-host
  Version:   1.11.4
  Created:   2026-11-26 21:03:04.567890 +0000 UTC
  Info:


Terraform acquires a state lock to protect the state from being written
by multiple users at the same time. Please resolve the issue above and try
again. For most commands, you can disable locking with the "-lock=false"
flag, but this is not recommended.
`;

// The same, as cdktf prints it: prefixed with the stack, in Terraform's box, coloured.
const cdktfOutput = terraformOutput
  .split("\n")
  .map((line) => `license-manager  \u001b[31m│\u001b[0m ${line}`)
  .join("\n");

const expectedLock = {
  id: "6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f",
  path: "e2e-license-manager-tfstate/license-manager-org/license-manager.tfstate",
  operation: "OperationTypeApply",
  who: "runner@ci-host",
  version: "1.11.4",
  created: "2026-11-26 21:03:04.567890 +0000 UTC",
};

describe("a held state lock", () => {
  it("is read from Terraform's output", () => {
    expect(parseStateLockError(terraformOutput)).toEqual(expectedLock);
  });

  it("is read from cdktf's prefixed, boxed and coloured output", () => {
    expect(parseStateLockError(cdktfOutput)).toEqual(expectedLock);
  });

  it("is not found in other errors", () => {
    expect(
      parseStateLockError("Error: creating License Manager License Configuration: denied"),
    ).toBeUndefined();
    expect(parseStateLockError("Error acquiring the state lock\n(no lock info)")).toBeUndefined();
  });

  it("is explained with who, since when, the stack and the exact release command with the warning", () => {
    expect(explainStateLock(expectedLock, "cdktf.out/stacks/license-manager")).toBe(
      [
        "The state of stack license-manager is locked by a terraform apply:",
        "  held by runner@ci-host since 2026-11-26 21:03:04.567890 +0000 UTC (Terraform 1.11.4)",
        "  lock id 6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f, state e2e-license-manager-tfstate/license-manager-org/license-manager.tfstate",
        "Either that command is still running (wait for it), or it was interrupted (a cancelled CI run, a killed",
        "process) and left the lock behind. Only once you are sure nothing runs against this stack any more",
        "(check CI runs and other terminals), release it with:",
        "  (cd cdktf.out/stacks/license-manager && terraform force-unlock -force 6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f)",
        "WARNING: releasing a lock that a running apply still holds lets two applies write the same state.",
        "After an interrupted apply, `npm run deploy` adopts what it created but did not record, then deploys. A bare",
        "`cdktf deploy` adopts the license configurations itself, but not a report bucket or topic: run",
        "`npm run adopt` first, or see them with `npm run drift` (unmanaged resources).",
      ].join("\n"),
    );
  });

  it("makes a failed Terraform command's error the explanation, relative to the project root", () => {
    const error = new TerraformError(
      "plan",
      { exitCode: 1, stdout: "", stderr: terraformOutput, durationMs: 1 } as never,
      `${process.cwd()}/cdktf.plan.out/stacks/license-manager`,
    );
    expect(error.stateLock).toEqual(expectedLock);
    expect(error.message).toContain("terraform plan failed (exit 1): the state is locked.");
    expect(error.message).toContain(
      "(cd cdktf.plan.out/stacks/license-manager && terraform force-unlock -force 6f0c2a7e-1b2d-4c3e-8f90-0a1b2c3d4e5f)",
    );
  });
});
