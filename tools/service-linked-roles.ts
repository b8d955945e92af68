import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import Table from "cli-table3";
import { iamRoleNamePattern, roleArnInAccount } from "../lib/aws/arn";
import { clientConfig } from "../lib/aws/client-config";
import { assumeRoleCredentials, callerSession } from "../lib/aws/credentials";
import {
  allServiceLinkedRoleNames,
  expectedServiceLinkedRoles,
  shortRoleName,
  checkServiceLinkedRoles,
  defaultAccountConcurrency,
  type ServiceLinkedRoleProgress,
  type ServiceLinkedRoleReport,
} from "../lib/license-manager/service-linked-role-report";
import {
  parseToolOptions,
  printJson,
  printLine,
  regionOption,
  roleArnOption,
  runCli,
  UsageError,
} from "./cli";

const toolName = "service-linked-roles";
const defaultMemberRoleName = "OrganizationAccountAccessRole";

const usage = `Usage: tsx tools/service-linked-roles.ts [--role-arn ARN] [--member-role-name NAME] [--concurrency N] [--json]

Reports which AWS License Manager service-linked roles exist in every account of the organization (ListAccounts,
page by page), checking several accounts at once, with its progress on stderr:
  AWSServiceRoleForAWSLicenseManagerRole               every account
  AWSServiceRoleForAWSLicenseManagerMasterAccountRole  management account only
  AWSServiceRoleForAWSLicenseManagerMemberAccountRole  member accounts only

Options:
  --role-arn ARN            Assume this role in the management account first
  --member-role-name NAME   Role assumed in each member account (default ${defaultMemberRoleName})
  --concurrency N           Accounts checked at once, 1 to 64 (default ${defaultAccountConcurrency})
  --region REGION           Region for the STS, IAM and Organizations clients (default AWS_REGION or us-east-1)
  --json                    Print the report as JSON on stdout instead of a table on stderr
  -h, --help                Show this help

Credentials come from the AWS SDK default chain; AWS_ENDPOINT_URL_ORGANIZATIONS, AWS_ENDPOINT_URL_IAM
and AWS_ENDPOINT_URL_STS override the service endpoints.
Exit codes: 0 the check ran (missing roles are reported, not an error), 1 error or an account could not be checked.`;

const options = {
  "role-arn": { type: "string" },
  "member-role-name": { type: "string", default: defaultMemberRoleName },
  concurrency: { type: "string", default: String(defaultAccountConcurrency) },
  region: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

async function main(args: string[]): Promise<number> {
  const values = parseToolOptions(args, options, usage);
  if (values === undefined) return 0;
  const roleArn = roleArnOption(values["role-arn"]);
  const memberRoleName = values["member-role-name"];
  if (!iamRoleNamePattern.test(memberRoleName)) {
    throw new UsageError(
      `--member-role-name must be an IAM role name (letters, digits and +=,.@_-, up to 64 characters; got ${JSON.stringify(memberRoleName)})`,
    );
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to 64 (got ${JSON.stringify(values.concurrency)})`,
    );
  }
  const region = regionOption(
    values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
  );

  const session = callerSession(region, roleArn, "license-manager-service-linked-roles");
  const managementIam = new IAMClient(clientConfig(region, session.credentials));
  const report = await checkServiceLinkedRoles({
    concurrency,
    onProgress: progressPrinter(),
    organizations: new OrganizationsClient(clientConfig(region, session.credentials)),
    iamClientFor: (accountId, kind) =>
      kind === "management"
        ? managementIam
        : new IAMClient(
            clientConfig(
              region,
              assumeRoleCredentials({
                region,
                roleArn: roleArnInAccount(accountId, memberRoleName, roleArn),
                roleSessionName: "license-manager-service-linked-roles",
                sourceCredentials: session.credentials,
              }),
            ),
          ),
  });

  if (values.json) printJson(report);
  else printTable(report);
  printSummary(report);
  return report.accountsNotChecked.length > 0 ? 1 : 0;
}

/**
 * Progress on stderr: the accounts listed once ListAccounts has no more pages, then a line at every tenth of the
 * accounts checked (and at the last), so that a thousand accounts print a dozen lines, not a thousand.
 */
function progressPrinter(): (progress: ServiceLinkedRoleProgress) => void {
  let listed = { pages: 0, accounts: 0 };
  let reportedListing = false;
  return (progress) => {
    if (progress.step === "listed") {
      listed = progress;
      return;
    }
    if (!reportedListing) {
      printLine(
        `Listed ${listed.accounts} account(s) of the organization in ${listed.pages} page(s) of ListAccounts.`,
      );
      reportedListing = true;
    }
    const step = Math.max(1, Math.ceil(progress.total / 10));
    if (progress.checked % step === 0 || progress.checked === progress.total) {
      printLine(`Checked ${progress.checked}/${progress.total} accounts`);
    }
  };
}

// Columns two spaces apart, no borders or colours: the output stays plain text to read or grep.
const borderless = Object.fromEntries(
  ["top", "top-mid", "top-left", "top-right", "bottom", "bottom-mid", "bottom-left", "bottom-right"]
    .concat(["left", "left-mid", "mid", "mid-mid", "right", "right-mid"])
    .map((name) => [name, ""]),
);
borderless.middle = "  ";
const plainStyle = { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true };

function printTable(report: ServiceLinkedRoleReport): void {
  const header = ["Account", "Name", "Kind", ...allServiceLinkedRoleNames.map((name) => shortRoleName(name))];
  const rows = report.accounts.map((account) => [
    account.accountId,
    account.accountName,
    account.kind,
    ...allServiceLinkedRoleNames.map((roleName) => {
      if (account.error !== undefined) return "error";
      if (account.skipped !== undefined) return "skipped";
      const exists = account.roles[roleName];
      if (exists === undefined) return "-";
      if (exists) return "present";
      return expectedServiceLinkedRoles(account.kind).includes(roleName) ? "MISSING" : "absent";
    }),
  ]);
  const table = new Table({ head: header, chars: borderless, style: plainStyle });
  table.push(...rows);
  for (const line of table.toString().split("\n")) printLine(line.trimEnd());
  printLine(
    `("-": not looked up in that kind of account; "absent": not there and not required; full names: ${allServiceLinkedRoleNames.join(", ")})`,
  );
}

function printSummary(report: ServiceLinkedRoleReport): void {
  for (const account of report.accounts) {
    if (account.error !== undefined)
      printLine(`Account ${account.accountId} could not be checked: ${account.error}`);
    if (account.skipped !== undefined) printLine(`Account ${account.accountId} skipped: ${account.skipped}`);
  }
  if (report.missing.length === 0) {
    printLine("All expected License Manager service-linked roles exist in the checked accounts.");
    return;
  }
  printLine(`Missing ${report.missing.length} service-linked role(s):`);
  for (const missing of report.missing) printLine(`  ${missing.accountId}: ${missing.roleName}`);
}

runCli(toolName, main);
