import { AwsError } from "./errors";

/** Form parameters of a query-protocol request; lists arrive flattened as `Name.member.N`. */
export class QueryParams {
  constructor(private readonly values: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === "") {
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`,
      );
    }
    return value;
  }

  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; this.values.has(`${name}.member.${i}`); i++)
      out.push(this.values.get(`${name}.member.${i}`)!);
    return out;
  }

  tags(name = "Tags"): { Key: string; Value: string }[] {
    const out: { Key: string; Value: string }[] = [];
    for (let i = 1; this.values.has(`${name}.member.${i}.Key`); i++) {
      out.push({
        Key: this.values.get(`${name}.member.${i}.Key`)!,
        Value: this.values.get(`${name}.member.${i}.Value`) ?? "",
      });
    }
    return out;
  }

  /** A map parameter, flattened as `Name.entry.N.key` / `Name.entry.N.value`. */
  entries(name: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 1; this.values.has(`${name}.entry.${i}.key`); i++)
      out[this.values.get(`${name}.entry.${i}.key`)!] = this.values.get(`${name}.entry.${i}.value`) ?? "";
    return out;
  }
}
