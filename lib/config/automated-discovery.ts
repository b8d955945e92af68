/**
 * A license configuration's automated discovery rules (UpdateLicenseConfiguration's ProductInformationList and
 * DisassociateWhenNotFound): the schema checks each value on its own, `checkAutomatedDiscovery` what depends
 * on the resource type and the filter. Each problem is reported by exactly one of them.
 */
import { z } from "zod";
import { accountIdPattern } from "../aws/arn";
import { oneOf } from "../messages/alternatives";
import { field } from "./field-docs";
import { enumOf, formatted, section, trueOrFalse } from "./formats";

/**
 * The API reference's ProductInformation.ResourceType: "SSM_MANAGED | RDS" (instances managed by Systems
 * Manager, and RDS databases).
 */
const discoveryResourceTypes = ["SSM_MANAGED", "RDS"] as const;
type DiscoveryResourceType = (typeof discoveryResourceTypes)[number];

const discoveryComparators = ["EQUALS", "NOT_EQUALS"] as const;
type DiscoveryComparator = (typeof discoveryComparators)[number];

interface FilterSpec {
  readonly comparators: readonly DiscoveryComparator[];
  /** The only values the API accepts. @default - any text */
  readonly allowedValues?: readonly string[];
  /** A format every value must have, and its words. @default - any text */
  readonly valueFormat?: { readonly pattern: RegExp; readonly expected: string };
  /** Tag filters may leave the value out (any value of the key). @default true */
  readonly valuesRequired?: boolean;
}

/** A tag filter's name: "Tag:" and the tag's key (AWS's tag key rules). */
const tagFilterPattern = /^Tag:(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const tagFilterName = "Tag:<key>";

/**
 * The filters and comparators per resource type, from the API reference of ProductInformation
 * (ProductInformationFilterList): SSM_MANAGED accepts application and platform filters (EQUALS), License
 * Included (EQUALS, NOT_EQUALS) and the exclusions AccountId and Tag:<key> (NOT_EQUALS); RDS accepts
 * Engine Edition and License Pack (EQUALS).
 */
const filtersByResourceType: Readonly<Record<DiscoveryResourceType, Readonly<Record<string, FilterSpec>>>> = {
  SSM_MANAGED: {
    "Application Name": { comparators: ["EQUALS"] },
    "Application Publisher": { comparators: ["EQUALS"] },
    "Application Version": { comparators: ["EQUALS"] },
    "Platform Name": { comparators: ["EQUALS"] },
    "Platform Type": { comparators: ["EQUALS"] },
    "License Included": {
      comparators: ["EQUALS", "NOT_EQUALS"],
      allowedValues: [
        "sql-server-enterprise",
        "sql-server-standard",
        "sql-server-web",
        "windows-server-datacenter",
      ],
    },
    AccountId: {
      comparators: ["NOT_EQUALS"],
      valueFormat: { pattern: accountIdPattern, expected: "a 12-digit AWS account id" },
    },
    [tagFilterName]: { comparators: ["NOT_EQUALS"], valuesRequired: false },
  },
  RDS: {
    "Engine Edition": {
      comparators: ["EQUALS"],
      allowedValues: ["oracle-ee", "oracle-se", "oracle-se1", "oracle-se2", "db2-se", "db2-ae"],
    },
    "License Pack": {
      comparators: ["EQUALS"],
      allowedValues: ["data guard", "diagnostic pack sqlt", "tuning pack sqlt", "ols", "olap"],
    },
  },
};

const filterValue = z
  .string({ invalid_type_error: "expected a filter value as text" })
  .min(1, { message: "expected a filter value of at least one character" });

const discoveryFilter = section(
  {
    name: field(formatted(/\S/, "a filter name such as Application Name"), {
      meaning:
        "The filter: `Application Name`, `Application Publisher`, `Application Version`, `Platform Name`, `Platform Type`, `License Included`, `AccountId` or `Tag:<key>` (SSM_MANAGED); `Engine Edition` or `License Pack` (RDS)",
    }),
    comparator: field(enumOf(discoveryComparators), {
      meaning: "`EQUALS`, or `NOT_EQUALS` for exclusions (`AccountId`, `Tag:<key>`, `License Included`)",
    }),
    values: field(
      z
        .array(filterValue, { invalid_type_error: "expected a list of filter values" })
        .min(1, { message: "expected at least one value" })
        .optional(),
      {
        meaning: "The values matched; required except for `Tag:<key>` (any value of the key)",
        default: "none",
      },
    ),
  },
  "a filter: { name, comparator, values }",
);

const productInformation = section(
  {
    resourceType: field(enumOf(discoveryResourceTypes), {
      meaning:
        "What License Manager searches: `SSM_MANAGED` (instances in Systems Manager inventory) or `RDS`",
    }),
    filters: field(
      z
        .array(discoveryFilter, { invalid_type_error: "expected a list of filters" })
        .min(1, { message: "expected at least one filter" }),
      { meaning: "Filters a resource must all match to be counted" },
    ),
  },
  "a discovery rule: { resourceType, filters }",
);

export const automatedDiscoverySchema = section(
  {
    productInformation: field(
      z
        .array(productInformation, { invalid_type_error: "expected a list of discovery rules" })
        .min(1, { message: "expected at least one discovery rule" }),
      { meaning: "Discovery rules (ProductInformationList): the resources whose software uses the licenses" },
    ),
    disassociateWhenNotFound: field(trueOrFalse().default(false), {
      meaning: "Whether a resource is disassociated when discovery no longer finds the software on it",
    }),
  },
  "automated discovery: { productInformation, disassociateWhenNotFound }",
);

interface DiscoveryIssue {
  /** Relative to the automatedDiscovery object, e.g. ["productInformation", 0, "filters", 1, "name"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const shown = (value: unknown): string => JSON.stringify(value);

/** A license configuration's discovery rules, as the checks and the License Manager API mapping read them. */
export interface DiscoveryRules {
  readonly productInformation: readonly {
    readonly resourceType: DiscoveryResourceType;
    readonly filters: readonly {
      readonly name: string;
      readonly comparator: DiscoveryComparator;
      readonly values?: readonly string[];
    }[];
  }[];
}

function filterSpec(resourceType: DiscoveryResourceType, name: string): FilterSpec | undefined {
  const specs = filtersByResourceType[resourceType];
  if (name.startsWith("Tag:")) return tagFilterPattern.test(name) ? specs[tagFilterName] : undefined;
  return Object.hasOwn(specs, name) ? specs[name] : undefined;
}

/**
 * What depends on the resource type or the filter: filters the resource type does not support, their
 * comparators and their values. Values the schema refuses on their own are left to it.
 */
export function checkAutomatedDiscovery(discovery: DiscoveryRules): DiscoveryIssue[] {
  const issues: DiscoveryIssue[] = [];
  discovery.productInformation.forEach(({ resourceType, filters }, ruleIndex) => {
    filters.forEach((filter, filterIndex) => {
      const path = ["productInformation", ruleIndex, "filters", filterIndex];
      const spec = filterSpec(resourceType, filter.name);
      if (!spec) {
        const known = Object.keys(filtersByResourceType[resourceType]);
        issues.push({
          path: [...path, "name"],
          message:
            filter.name.startsWith("Tag:") && tagFilterName in filtersByResourceType[resourceType]
              ? `expected Tag: followed by a tag key of 1–128 letters, digits, spaces and _ . : / = + - @ (got ${shown(filter.name)})`
              : `not a filter of resource type ${resourceType}; expected ${oneOf(known, { given: filter.name, what: "filters" })} (got ${shown(filter.name)})`,
        });
        return;
      }
      if (!spec.comparators.includes(filter.comparator)) {
        issues.push({
          path: [...path, "comparator"],
          message: `not a comparator of filter ${filter.name}; expected ${oneOf(spec.comparators, { given: filter.comparator })} (got ${shown(filter.comparator)})`,
        });
      }
      if (filter.values === undefined) {
        if (spec.valuesRequired ?? true) {
          issues.push({
            path: [...path, "values"],
            message: `required with filter ${filter.name}; expected a list of values (got nothing)`,
          });
        }
        return;
      }
      filter.values.forEach((value, valueIndex) => {
        if (typeof value !== "string") return;
        if (spec.allowedValues && !spec.allowedValues.includes(value)) {
          issues.push({
            path: [...path, "values", valueIndex],
            message: `not a value of filter ${filter.name}; expected ${oneOf(spec.allowedValues, { given: value })} (got ${shown(value)})`,
          });
        } else if (spec.valueFormat && !spec.valueFormat.pattern.test(value)) {
          issues.push({
            path: [...path, "values", valueIndex],
            message: `expected ${spec.valueFormat.expected} as the value of filter ${filter.name} (got ${shown(value)})`,
          });
        }
      });
    });
  });
  return issues;
}
