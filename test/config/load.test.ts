import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, configFileFromEnvironment, loadConfig, parseConfig } from "../../lib/config/load";
import { configWith, problemsOf, productionExampleFile, sandboxConfigFile } from "../helpers/config";

const file = "config/test.yaml";

describe("valid config files", () => {
  it("loads the sandbox config", () => {
    const config = loadConfig(sandboxConfigFile);
    expect(config.managementAccountId).toBe("111111111111");
    expect(config.organization.id).toBe("o-sandbox00001");
    expect(config.licenseManager.regions).toEqual(["us-east-1", "eu-west-1"]);
  });

  it("loads the production example and resolves its defaults", () => {
    const config = loadConfig(productionExampleFile);
    expect(config.backend).toMatchObject({
      region: "us-east-1",
      locking: "lockfile",
      bootstrapStateInBackend: false,
    });
    expect(config.s3Compatibility).toEqual({ usePathStyle: false, skipBackendValidation: false });
    const instance = config.licenseManager.licenseConfigurations.find((c) => c.name === "oracle-instance");
    expect(instance).toMatchObject({
      hardLimit: false,
      regions: ["us-east-1", "eu-west-1"],
      associatedAmis: {},
    });
  });

  it("fills defaults for a minimal file", () => {
    const config = parseConfig(
      [
        'managementAccountId: "123456789012"',
        "homeRegion: eu-central-1",
        "organization: { id: o-abcdefghij, serviceAccessPrincipals: [] }",
        "backend: { bucket: my-state-bucket }",
      ].join("\n"),
      file,
    );
    expect(config.organization).toEqual({
      source: "import",
      id: "o-abcdefghij",
      enabledPolicyTypes: [],
      serviceAccessPrincipals: [],
      principalsAllowedToBeRemoved: [],
      memberAccounts: [],
    });
    expect(config.backend).toEqual({
      bucket: "my-state-bucket",
      keyPrefix: "license-manager-org",
      region: "eu-central-1",
      locking: "lockfile",
      noncurrentVersionExpirationDays: 90,
      bootstrapStateInBackend: false,
    });
    expect(config.licenseManager).toEqual({
      regions: ["eu-central-1"],
      settings: { crossAccountDiscovery: false, snsTopicArns: {} },
      licenseConfigurations: [],
    });
    expect(config.defaultTags).toEqual({});
  });

  it("selects the file named by LM_CONFIG, else the sandbox's", () => {
    expect(configFileFromEnvironment({ LM_CONFIG: "config/production.yaml" })).toBe("config/production.yaml");
    expect(configFileFromEnvironment({})).toBe("config/sandbox.yaml");
  });
});

describe("invalid config: each problem is named with file, path, value and what is expected", () => {
  const cases: [string, (document: Record<string, any>) => void, string][] = [
    [
      "unquoted account id",
      (d) => (d.managementAccountId = 12345678901),
      `${file}: managementAccountId: expected a 12-digit AWS account id as a quoted string, e.g. "012345678901" (got 12345678901)`,
    ],
    [
      "missing required field",
      (d) => delete d.homeRegion,
      `${file}: homeRegion: required: an AWS region name such as us-east-1`,
    ],
    [
      "bad region",
      (d) => (d.homeRegion = "us-east"),
      `${file}: homeRegion: expected an AWS region name such as us-east-1 (got "us-east")`,
    ],
    [
      "bad organization id",
      (d) => (d.organization.id = "o-ABC"),
      `${file}: organization.id: expected an organization id: "o-" followed by 10 to 32 lowercase letters or digits (got "o-ABC")`,
    ],
    [
      "bad role ARN",
      (d) => (d.deployRoleArn = "arn:aws:iam::111111111111:user/bob"),
      `${file}: deployRoleArn: expected an IAM role ARN such as arn:aws:iam::111111111111:role/Deployer (got "arn:aws:iam::111111111111:user/bob")`,
    ],
    [
      "bad service principal",
      (d) => d.organization.serviceAccessPrincipals.push("cloudtrail"),
      `${file}: organization.serviceAccessPrincipals[2]: expected a service principal such as sso.amazonaws.com (got "cloudtrail")`,
    ],
    [
      "duplicate principal",
      (d) => d.organization.serviceAccessPrincipals.push("sso.amazonaws.com"),
      `${file}: organization.serviceAccessPrincipals[2]: duplicate service principal (got "sso.amazonaws.com")`,
    ],
    [
      "unknown key",
      (d) => (d.organization.principals = []),
      `${file}: organization.principals: unknown key; expected one of source, id, enabledPolicyTypes, serviceAccessPrincipals, principalsAllowedToBeRemoved, memberAccounts (got [])`,
    ],
    [
      "unknown policy type",
      (d) => (d.organization.enabledPolicyTypes = ["SCP"]),
      `${file}: organization.enabledPolicyTypes[0]: expected one of AISERVICES_OPT_OUT_POLICY, BACKUP_POLICY, CHATBOT_POLICY, DECLARATIVE_POLICY_EC2, RESOURCE_CONTROL_POLICY, SERVICE_CONTROL_POLICY, TAG_POLICY (got "SCP")`,
    ],
    [
      "import without id",
      (d) => delete d.organization.id,
      `${file}: organization.id: required with source: import (the id of the existing organization, o-…) (got nothing)`,
    ],
    [
      "create with id",
      (d) => (d.organization.source = "create"),
      `${file}: organization.id: must be absent with source: create (Organizations assigns the id) (got "o-sandbox00001")`,
    ],
    [
      "principal both kept and allowed to go",
      (d) => (d.organization.principalsAllowedToBeRemoved = ["sso.amazonaws.com"]),
      `${file}: organization.principalsAllowedToBeRemoved[0]: is also listed in serviceAccessPrincipals: a principal is either kept or allowed to go (got "sso.amazonaws.com")`,
    ],
    [
      "License Manager principal allowed to go",
      (d) => (d.organization.principalsAllowedToBeRemoved = ["license-manager.amazonaws.com"]),
      `${file}: organization.principalsAllowedToBeRemoved[0]: License Manager's principals are always enabled by this project (got "license-manager.amazonaws.com")`,
    ],
    [
      "duplicate member account",
      (d) => d.organization.memberAccounts.push({ id: "222222222222", name: "again" }),
      `${file}: organization.memberAccounts[3]: duplicate account id (got {"id":"222222222222","name":"again"})`,
    ],
    [
      "bad bucket name",
      (d) => (d.backend.bucket = "My_Bucket"),
      `${file}: backend.bucket: expected an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (got "My_Bucket")`,
    ],
    [
      "bucket name formatted as an IP address",
      (d) => (d.backend.bucket = "192.168.5.4"),
      `${file}: backend.bucket: expected an S3 bucket name: not formatted as an IP address (got "192.168.5.4")`,
    ],
    [
      "DynamoDB locking without a table",
      (d) => delete d.backend.dynamodbTable,
      `${file}: backend.dynamodbTable: required with locking: dynamodb (the lock table's name) (got nothing)`,
    ],
    [
      "lockfile locking with a table",
      (d) => (d.backend.locking = "lockfile"),
      `${file}: backend.dynamodbTable: only used with locking: dynamodb; remove it or set locking: dynamodb (got "sandbox-license-manager-tflock")`,
    ],
    [
      "unknown locking",
      (d) => (d.backend.locking = "consul"),
      `${file}: backend.locking: expected one of lockfile, dynamodb (got "consul")`,
    ],
    [
      "bad KMS key",
      (d) => (d.backend.kmsKeyArn = "alias/terraform"),
      `${file}: backend.kmsKeyArn: expected a KMS key or alias ARN such as arn:aws:kms:us-east-1:111111111111:key/<uuid> (got "alias/terraform")`,
    ],
    [
      "deploy role in another account",
      (d) => (d.deployRoleArn = "arn:aws:iam::222222222222:role/Deployer"),
      `${file}: deployRoleArn: expected a role in the management account 111111111111 (got "arn:aws:iam::222222222222:role/Deployer")`,
    ],
    [
      "management account listed as a member",
      (d) => d.organization.memberAccounts.push({ id: "111111111111", name: "management" }),
      `${file}: organization.memberAccounts[3].id: is the management account; list member accounts only (got "111111111111")`,
    ],
    [
      "delegated administrator not a listed member",
      (d) => (d.licenseManager.delegatedAdministrator = "555555555555"),
      `${file}: licenseManager.delegatedAdministrator: expected a member account listed in organization.memberAccounts (222222222222, 333333333333, 444444444444) (got "555555555555")`,
    ],
    [
      "KMS key in another region than the backend",
      (d) => (d.backend.kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:alias/state"),
      `${file}: backend.kmsKeyArn: expected a key in the backend's region us-east-1; S3 and DynamoDB use keys of their own region (got "arn:aws:kms:eu-west-1:111111111111:alias/state")`,
    ],
    [
      "rule that does not fit its counting type",
      (d) => (d.licenseManager.licenseConfigurations[0].rules.minimumSockets = 2),
      `${file}: licenseManager.licenseConfigurations[0].rules.minimumSockets: minimumSockets is not a rule of counting type Core (got 2); Core allows minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays`,
    ],
    [
      "minimum above maximum",
      (d) => (d.licenseManager.licenseConfigurations[0].rules.minimumCores = 256),
      `${file}: licenseManager.licenseConfigurations[0].rules.minimumCores: minimumCores must be ≤ maximumCores (got 256 > 128)`,
    ],
    [
      "raw rule strings instead of typed rules",
      (d) => (d.licenseManager.licenseConfigurations[1].rules = ["#minimumVcpus=4"]),
      `${file}: licenseManager.licenseConfigurations[1].rules: Expected object, received array (got ["#minimumVcpus=4"])`,
    ],
    [
      "unknown counting type",
      (d) => (d.licenseManager.licenseConfigurations[0].licenseCountingType = "Cores"),
      `${file}: licenseManager.licenseConfigurations[0].licenseCountingType: expected one of vCPU, Instance, Core, Socket (got "Cores")`,
    ],
    [
      "hard limit without a count",
      (d) => delete d.licenseManager.licenseConfigurations[0].licenseCount,
      `${file}: licenseManager.licenseConfigurations[0].licenseCount: required with hardLimit: true (a hard limit needs a count to enforce) (got nothing)`,
    ],
    [
      "duplicate license configuration name",
      (d) => (d.licenseManager.licenseConfigurations[1].name = "windows-server-datacenter"),
      `${file}: licenseManager.licenseConfigurations[1]: duplicate license configuration name (got {"name":"windows-server-datacenter",…`,
    ],
    [
      "names that would share a Terraform address",
      (d) => (d.licenseManager.licenseConfigurations[1].name = "Windows Server Datacenter"),
      `${file}: licenseManager.licenseConfigurations[1].name: differs from "windows-server-datacenter" only in case or punctuation; both would get the Terraform address "windows-server-datacenter" (got "Windows Server Datacenter")`,
    ],
    [
      "bad AMI",
      (d) => (d.licenseManager.licenseConfigurations[0].associatedAmis["us-east-1"] = ["ami-xyz"]),
      `${file}: licenseManager.licenseConfigurations[0].associatedAmis.us-east-1[0]: expected an AMI id (ami-0123456789abcdef0) or AMI ARN (arn:aws:ec2:<region>::image/ami-…) (got "ami-xyz")`,
    ],
    [
      "AMIs in a region the configuration is not created in",
      (d) =>
        (d.licenseManager.licenseConfigurations[1].associatedAmis = {
          "eu-west-1": ["ami-0abc1234def567890"],
        }),
      `${file}: licenseManager.licenseConfigurations[1].associatedAmis.eu-west-1: the configuration is not created in this region; expected one of us-east-1 (got ["ami-0abc1234def567890"])`,
    ],
    [
      "AMI ARN of another region",
      (d) =>
        (d.licenseManager.licenseConfigurations[0].associatedAmis["us-east-1"] = [
          "arn:aws:ec2:eu-west-1::image/ami-0abc1234def567890",
        ]),
      `${file}: licenseManager.licenseConfigurations[0].associatedAmis.us-east-1[0]: the AMI ARN names region eu-west-1; AMIs are regional, list it under that region (got "arn:aws:ec2:eu-west-1::image/ami-0abc1234def567890")`,
    ],
    [
      "configuration region not managed",
      (d) => (d.licenseManager.licenseConfigurations[1].regions = ["ap-south-1"]),
      `${file}: licenseManager.licenseConfigurations[1].regions[0]: expected one of licenseManager.regions (us-east-1, eu-west-1) (got "ap-south-1")`,
    ],
    [
      "report bucket without License Manager's prefix",
      (d) => (d.licenseManager.settings.reportBucketArn = "arn:aws:s3:::license-reports"),
      `${file}: licenseManager.settings.reportBucketArn: expected a bucket whose name starts with aws-license-manager-service- (got "arn:aws:s3:::license-reports")`,
    ],
    [
      "SNS topic of another region",
      (d) =>
        (d.licenseManager.settings.snsTopicArns = {
          "eu-west-1": "arn:aws:sns:us-east-1:111111111111:alerts",
        }),
      `${file}: licenseManager.settings.snsTopicArns.eu-west-1: expected a topic in eu-west-1; License Manager settings are regional (got "arn:aws:sns:us-east-1:111111111111:alerts")`,
    ],
    [
      "management account as delegated administrator",
      (d) => (d.licenseManager.delegatedAdministrator = "111111111111"),
      `${file}: licenseManager.delegatedAdministrator: the management account cannot be its own delegated administrator; name a member account (got "111111111111")`,
    ],
  ];

  it.each(cases)("%s", (_name, change, expected) => {
    const problems = problemsOf(change);
    expect(problems).toHaveLength(1);
    // An expected text ending in "…" leaves out a long value at the end of the message.
    if (expected.endsWith("…")) expect(problems[0].startsWith(expected.slice(0, -1))).toBe(true);
    else expect(problems[0]).toBe(expected);
  });

  it("reports every problem of a file at once", () => {
    const problems = problemsOf((d) => {
      d.homeRegion = "mars-1";
      d.organization.serviceAccessPrincipals = ["sso"];
      d.backend.bucket = "x";
      d.licenseManager.surprise = true;
    });
    expect(problems).toEqual([
      `${file}: homeRegion: expected an AWS region name such as us-east-1 (got "mars-1")`,
      `${file}: organization.serviceAccessPrincipals[0]: expected a service principal such as sso.amazonaws.com (got "sso")`,
      `${file}: backend.bucket: expected an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (got "x")`,
      `${file}: licenseManager.surprise: unknown key; expected one of regions, delegatedAdministrator, settings, licenseConfigurations (got true)`,
    ]);
  });

  it("reports whole-file rules together with format errors", () => {
    const problems = problemsOf((d) => {
      d.backend.bucket = "x";
      d.deployRoleArn = "arn:aws:iam::222222222222:role/Deployer";
    });
    expect(problems).toEqual([
      `${file}: backend.bucket: expected an S3 bucket name: 3–63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit (got "x")`,
      `${file}: deployRoleArn: expected a role in the management account 111111111111 (got "arn:aws:iam::222222222222:role/Deployer")`,
    ]);
  });

  it("says how many errors there are and that nothing was synthesized", () => {
    expect(() => configWith((d) => (d.homeRegion = "x"))).toThrow(
      new ConfigError(file, [`${file}: homeRegion: expected an AWS region name such as us-east-1 (got "x")`]),
    );
    expect(new ConfigError(file, ["a", "b"]).message).toBe(
      `Invalid configuration in ${file} (2 errors):\n  * a\n  * b\nNothing was synthesized. Fix the file and run the command again.`,
    );
  });

  it("names the line and column of a YAML syntax error", () => {
    expect(() => parseConfig("managementAccountId: [1, 2\nhomeRegion: us-east-1\n", file)).toThrow(
      /config\/test\.yaml:\d+:\d+: not valid YAML: /,
    );
  });

  it("rejects duplicate keys, which YAML parsers otherwise resolve silently", () => {
    expect(() => parseConfig("homeRegion: us-east-1\nhomeRegion: eu-west-1\n", file)).toThrow(
      /config\/test\.yaml:2:1: not valid YAML: Map keys must be unique/,
    );
  });

  it("names a file that cannot be read", () => {
    expect(() => loadConfig("config/missing.yaml")).toThrow(/config\/missing\.yaml: cannot be read: ENOENT/);
  });
});

describe("the app with an invalid config", () => {
  it("exits 1 with the problems on stderr and writes nothing", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "lm-config-"));
    const configFile = path.join(directory, "bad.yaml");
    writeFileSync(configFile, 'managementAccountId: "1"\n');
    const outdir = path.join(directory, "cdktf.out");
    const result = spawnSync("node_modules/.bin/tsx", ["main.ts"], {
      env: { ...process.env, LM_CONFIG: configFile, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid configuration in ${configFile} (4 errors):`);
    expect(result.stderr).toContain(`${configFile}: managementAccountId: expected a 12-digit AWS account id`);
    expect(existsSync(outdir)).toBe(false);
  });
});
