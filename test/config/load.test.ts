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

  it("accepts a KMS alias for the state when no access section's roles name the key", () => {
    const config = configWith((d) => {
      delete d.access;
      d.backend.kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:alias/state";
    });
    expect(config.backend.kmsKeyArn).toBe("arn:aws:kms:us-east-1:111111111111:alias/state");
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
      grants: [],
      regions: ["eu-central-1"],
      settings: { crossAccountDiscovery: false, snsTopicArns: {} },
      licenseConfigurations: [],
      reports: [],
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
      `${file}: homeRegion: required; expected an AWS region name such as us-east-1 (got nothing)`,
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
      `${file}: organization.serviceAccessPrincipals[2]: duplicate of [1]; expected each service principal once (got "sso.amazonaws.com")`,
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
      `${file}: organization.id: required with source: import; expected the id of the existing organization, o-… (got nothing)`,
    ],
    [
      "create with id",
      (d) => (d.organization.source = "create"),
      `${file}: organization.id: expected no id with source: create, where Organizations assigns it (got "o-sandbox00001")`,
    ],
    [
      "principal both kept and allowed to go",
      (d) => (d.organization.principalsAllowedToBeRemoved = ["sso.amazonaws.com"]),
      `${file}: organization.principalsAllowedToBeRemoved[0]: also listed in serviceAccessPrincipals; expected a principal either kept or allowed to go, not both (got "sso.amazonaws.com")`,
    ],
    [
      "License Manager principal allowed to go",
      (d) => (d.organization.principalsAllowedToBeRemoved = ["license-manager.amazonaws.com"]),
      `${file}: organization.principalsAllowedToBeRemoved[0]: expected a principal other than License Manager's, which this project always enables (got "license-manager.amazonaws.com")`,
    ],
    [
      "duplicate member account",
      (d) => d.organization.memberAccounts.push({ id: "222222222222", name: "again" }),
      `${file}: organization.memberAccounts[3].id: duplicate of [0].id; expected each account id once (got "222222222222")`,
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
      `${file}: backend.dynamodbTable: required with locking: dynamodb; expected the lock table's name (got nothing)`,
    ],
    [
      "lockfile locking with a table",
      (d) => (d.backend.locking = "lockfile"),
      `${file}: backend.dynamodbTable: only used with locking: dynamodb; expected no table with locking: lockfile (remove it or set locking: dynamodb) (got "sandbox-license-manager-tflock")`,
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
      `${file}: organization.memberAccounts[3].id: is the management account; expected a member account (got "111111111111")`,
    ],
    [
      "delegated administrator not a listed member",
      (d) => (d.licenseManager.delegatedAdministrator = "555555555555"),
      `${file}: licenseManager.delegatedAdministrator: expected a member account listed in organization.memberAccounts (222222222222, 333333333333, 444444444444) (got "555555555555")`,
    ],
    [
      "KMS key in another region than the backend",
      (d) =>
        (d.backend.kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef"),
      `${file}: backend.kmsKeyArn: expected a key in the backend's region us-east-1; S3 and DynamoDB use keys of their own region (got "arn:aws:kms:eu-west-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef")`,
    ],
    [
      "KMS alias where the access section's roles name the key",
      (d) => (d.backend.kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:alias/state"),
      `${file}: backend.kmsKeyArn: expected a key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias: the access section's roles name the key in their policies, and IAM policies cannot name a KMS key by alias (got "arn:aws:kms:us-east-1:111111111111:alias/state")`,
    ],
    [
      "rule that does not fit its counting type",
      (d) => (d.licenseManager.licenseConfigurations[0].rules.minimumSockets = 2),
      `${file}: licenseManager.licenseConfigurations[0].rules.minimumSockets: not a rule of counting type Core; expected one of minimumCores, maximumCores, allowedTenancy, licenseAffinityToHostDays (got minimumSockets: 2)`,
    ],
    [
      "minimum above maximum",
      (d) => (d.licenseManager.licenseConfigurations[0].rules.minimumCores = 256),
      `${file}: licenseManager.licenseConfigurations[0].rules.minimumCores: expected at most maximumCores (128) (got 256)`,
    ],
    [
      "raw rule strings instead of typed rules",
      (d) => (d.licenseManager.licenseConfigurations[1].rules = ["#minimumVcpus=4"]),
      `${file}: licenseManager.licenseConfigurations[1].rules: expected a mapping of typed rules such as minimumVcpus: 4 (got ["#minimumVcpus=4"])`,
    ],
    [
      "unknown counting type",
      (d) => (d.licenseManager.licenseConfigurations[0].licenseCountingType = "Cores"),
      `${file}: licenseManager.licenseConfigurations[0].licenseCountingType: expected one of vCPU, Instance, Core, Socket; did you mean "Core"? (got "Cores")`,
    ],
    [
      "hard limit without a count",
      (d) => delete d.licenseManager.licenseConfigurations[0].licenseCount,
      `${file}: licenseManager.licenseConfigurations[0].licenseCount: required with hardLimit: true; expected a whole number of licenses, which the hard limit enforces (got nothing)`,
    ],
    [
      "duplicate license configuration name",
      (d) => {
        d.licenseManager.reports = []; // the sandbox's report names sql-server-enterprise
        d.licenseManager.licenseConfigurations[1].name = "windows-server-datacenter";
      },
      `${file}: licenseManager.licenseConfigurations[1].name: duplicate of [0].name; expected each license configuration name once (got "windows-server-datacenter")`,
    ],
    [
      "names that would share a Terraform address",
      (d) => {
        d.licenseManager.reports = [];
        d.licenseManager.licenseConfigurations[1].name = "Windows Server Datacenter";
      },
      `${file}: licenseManager.licenseConfigurations[1].name: would share the Terraform address "windows-server-datacenter" with "windows-server-datacenter"; expected a name that differs in more than case or punctuation (got "Windows Server Datacenter")`,
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
      `${file}: licenseManager.licenseConfigurations[1].associatedAmis.eu-west-1: the configuration is not created in this region; expected us-east-1 (got ["ami-0abc1234def567890"])`,
    ],
    [
      "AMI ARN of another region",
      (d) =>
        (d.licenseManager.licenseConfigurations[0].associatedAmis["us-east-1"] = [
          "arn:aws:ec2:eu-west-1::image/ami-0abc1234def567890",
        ]),
      `${file}: licenseManager.licenseConfigurations[0].associatedAmis.us-east-1[0]: names region eu-west-1 (AMIs are regional); expected an AMI of us-east-1, or list it under eu-west-1 (got "arn:aws:ec2:eu-west-1::image/ami-0abc1234def567890")`,
    ],
    [
      "configuration region not managed",
      (d) => {
        d.licenseManager.reports = [];
        d.licenseManager.licenseConfigurations[1].regions = ["ap-south-1"];
      },
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
      `${file}: licenseManager.delegatedAdministrator: is the management account, which cannot be its own delegated administrator; expected a member account listed in organization.memberAccounts (222222222222, 333333333333, 444444444444) (got "111111111111")`,
    ],
  ];

  it.each(cases)("%s", (_name, change, expected) => {
    const problems = problemsOf(change);
    expect(problems).toHaveLength(1);
    // An expected text ending in "…" leaves out a long value at the end of the message.
    if (expected.endsWith("…")) expect(problems[0].startsWith(expected.slice(0, -1))).toBe(true);
    else expect(problems[0]).toBe(expected);
  });

  it.each([
    ["license configurations", "licenseConfigurations"],
    ["reports", "reports"],
  ])("tells each %s name sharing an address against the first one", (_what, list) => {
    const problems = problemsOf((d) => {
      const items = d.licenseManager[list];
      if (list === "licenseConfigurations") d.licenseManager.reports = [];
      items.splice(1);
      items.push({ ...items[0], name: `${items[0].name.toUpperCase()}` });
      items.push({ ...items[0], name: items[0].name.replace(/-/g, "_") });
    });
    const first = problems.find((problem) => problem.includes(`${list}[1].name`));
    const second = problems.find((problem) => problem.includes(`${list}[2].name`));
    const firstName = /would share the Terraform address "[^"]+" with "([^"]+)";/.exec(first ?? "")?.[1];
    expect(firstName).toMatch(/^[a-z-]+$/);
    expect(second).toContain(`with "${firstName}";`);
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
      `${file}: licenseManager.surprise: unknown key; expected one of regions, delegatedAdministrator, settings, licenseConfigurations, reports, grants (got true)`,
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

describe("one problem, one message", () => {
  it("reports a rule value out of range once, not again as a rule comparison", () => {
    expect(problemsOf((d) => (d.licenseManager.licenseConfigurations[0].rules.minimumCores = -0.5))).toEqual([
      `${file}: licenseManager.licenseConfigurations[0].rules.minimumCores: expected a whole number of cores from 1 to 10000 (got -0.5)`,
    ]);
  });

  it("does not compare regions with a malformed home region, reported already", () => {
    expect(
      problemsOf((d) => {
        delete d.licenseManager.regions;
        d.homeRegion = "mars-1";
      }),
    ).toEqual([`${file}: homeRegion: expected an AWS region name such as us-east-1 (got "mars-1")`]);
  });
});

describe("tags follow AWS's tagging rules", () => {
  const tagProblems = (tags: Record<string, unknown>) => problemsOf((d) => (d.defaultTags = tags));
  const keyRule =
    "invalid key; expected a tag key of 1–128 Unicode letters, digits, spaces and _ . : / = + - @, not starting with aws:";
  const valueRule =
    "expected a tag value as a string: up to 256 Unicode letters, digits, spaces and _ . : / = + - @";

  it("accepts Unicode letters and digits, spaces and _ . : / = + - @, keys up to 128 and values up to 256", () => {
    const tags = {
      "Kostenstelle Nº 4": "Bücher/Ärzte: 日本 = +1 @ team_a-b.c",
      ["k".repeat(128)]: "v".repeat(256),
      "cost-center": "",
    };
    expect(configWith((d) => (d.defaultTags = tags)).defaultTags).toEqual(tags);
  });

  it.each([
    ["the aws: prefix", "aws:createdBy", `defaultTags."aws:createdBy": ${keyRule} (got "aws:createdBy")`],
    ["the aws: prefix in capitals", "AWS:team", `defaultTags."AWS:team": ${keyRule} (got "AWS:team")`],
    ["an empty key", "", `defaultTags."": ${keyRule} (got "")`],
    [
      "a key of 129 characters",
      "k".repeat(129),
      `defaultTags.${"k".repeat(129)}: ${keyRule} (got "${"k".repeat(129)}")`,
    ],
    ["a key with a forbidden character", "team#1", `defaultTags."team#1": ${keyRule} (got "team#1")`],
  ])("refuses a key with %s", (_name, key, problem) => {
    expect(tagProblems({ [key]: "value" })).toEqual([`${file}: ${problem}`]);
  });

  it.each([
    ["a forbidden character", "<script>", '"<script>"'],
    ["257 characters", "v".repeat(257), `"${"v".repeat(76)}...`],
    ["a number", 5, "5"],
  ])("refuses a value with %s", (_name, value, got) => {
    expect(tagProblems({ Team: value })).toEqual([`${file}: defaultTags.Team: ${valueRule} (got ${got})`]);
  });

  it("applies the same rules to a license configuration's tags", () => {
    expect(
      problemsOf((d) => (d.licenseManager.licenseConfigurations[0].tags = { "aws:x": "y", Owner: "a|b" })),
    ).toEqual([
      `${file}: licenseManager.licenseConfigurations[0].tags."aws:x": ${keyRule} (got "aws:x")`,
      `${file}: licenseManager.licenseConfigurations[0].tags.Owner: ${valueRule} (got "a|b")`,
    ]);
  });

  it("refuses more than 50 tags on a resource, counting defaultTags", () => {
    const tags = (count: number, prefix: string) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, "x"]));
    expect(tagProblems(tags(51, "t"))).toEqual([
      `${file}: defaultTags: expected at most 50 tags, AWS's limit per resource (got 51 tags)`,
    ]);
    expect(
      problemsOf((d) => {
        d.defaultTags = tags(30, "default");
        d.licenseManager.licenseConfigurations[0].tags = tags(17, "own");
      }),
    ).toEqual([
      `${file}: licenseManager.licenseConfigurations[0].tags: expected at most 50 tags together with defaultTags and the 4 project tags, AWS's limit per resource (got 51 tags)`,
    ]);
    expect(() =>
      configWith((d) => {
        d.defaultTags = tags(30, "default");
        d.licenseManager.licenseConfigurations[0].tags = tags(16, "own");
      }),
    ).not.toThrow();
  });

  it("refuses the project's own tag keys in every tags map, all at once", () => {
    const reserved = `expected a tag key other than the project's own (license-manager-org:project, license-manager-org:environment, license-manager-org:stack, license-manager-org:name), which the stacks set themselves; remove it`;
    expect(
      problemsOf((d) => {
        d.defaultTags = { "license-manager-org:stack": "x" };
        d.licenseManager.licenseConfigurations[0].tags = { "license-manager-org:name": "other", Owner: "me" };
      }),
    ).toEqual([
      `${file}: defaultTags."license-manager-org:stack": ${reserved} (got "license-manager-org:stack")`,
      `${file}: licenseManager.licenseConfigurations[0].tags."license-manager-org:name": ${reserved} (got "license-manager-org:name")`,
    ]);
  });
});

describe("AWS identifiers: one format for the config and the CLIs", () => {
  it("accepts FIFO topics and ARNs of other partitions, every ARN in homeRegion's partition", () => {
    const config = configWith((d) => {
      d.licenseManager.settings.snsTopicArns = {
        "eu-west-1": "arn:aws:sns:eu-west-1:111111111111:alerts.fifo",
      };
      d.backend.kmsKeyArn = "arn:aws:kms:us-east-1:111111111111:key/mrk-0123456789abcdef0123456789abcdef";
    });
    expect(config.licenseManager.settings.snsTopicArns["eu-west-1"]).toBe(
      "arn:aws:sns:eu-west-1:111111111111:alerts.fifo",
    );
    expect(
      problemsOf((d) => (d.deployRoleArn = "arn:aws-us-gov:iam::111111111111:role/ops/Deployer")),
    ).toEqual([
      `${file}: deployRoleArn: expected an ARN in the partition aws of homeRegion us-east-1: every ARN of one config is in one partition (got "arn:aws-us-gov:iam::111111111111:role/ops/Deployer")`,
    ]);
    expect(
      configWith((original) => {
        const d = JSON.parse(JSON.stringify(original).replaceAll('"arn:aws:', '"arn:aws-eusc:'));
        Object.assign(original, d);
        d.homeRegion = "eusc-de-east-1";
        d.licenseManager.regions = ["eusc-de-east-1"];
        d.backend.region = "eusc-de-east-1";
        delete d.backend.kmsKeyArn;
        d.licenseManager.licenseConfigurations[0].associatedAmis = {
          "eusc-de-east-1": ["arn:aws-eusc:ec2:eusc-de-east-1::image/ami-0abc1234def567890"],
        };
        delete d.licenseManager.licenseConfigurations[1].regions;
        d.licenseManager.reports = [];
        Object.assign(original, d);
      }).homeRegion,
    ).toBe("eusc-de-east-1");
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
