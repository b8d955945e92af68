import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

/**
 * GitHub Actions expressions (`${{ … }}`), the part the project's workflows can use: literals, contexts with
 * `.name` and `['name']`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, parentheses, and the functions
 * below (GitHub Docs, "Evaluate expressions in workflows and actions"). Anything else is an error that names
 * the expression: a condition this runner cannot evaluate must never be taken as true or false silently.
 */

export type ExpressionValue = string | number | boolean | null | ExpressionObject | ExpressionValue[];
export interface ExpressionObject {
  readonly [key: string]: ExpressionValue | undefined;
}

export interface ExpressionScope {
  /** Contexts by name (github, env, vars, steps, needs, job, runner, inputs, matrix…); others are errors. */
  readonly contexts: Readonly<Record<string, ExpressionValue | undefined>>;
  /** The job's status so far, for success(), failure(), always(), cancelled(). */
  readonly status: "success" | "failure";
  /** hashFiles() resolves paths under it. */
  readonly workspace: string;
}

export class ExpressionError extends Error {}

type Token =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "name"; value: string }
  | { kind: "op"; value: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const fail = (what: string) =>
    new ExpressionError(`${what} at position ${index} of the expression \`${expression}\``);
  while (index < expression.length) {
    const rest = expression.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      // A quote inside a string is doubled: 'it''s'.
      const match = /^'((?:[^']|'')*)'/.exec(rest);
      if (!match) throw fail("an unterminated string");
      tokens.push({ kind: "string", value: match[1].replace(/''/g, "'") });
      index += match[0].length;
      continue;
    }
    const number = /^-?(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(rest);
    if (number && (tokens.length === 0 || tokens[tokens.length - 1].kind === "op")) {
      tokens.push({ kind: "number", value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (name) {
      tokens.push({ kind: "name", value: name[0] });
      index += name[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|&&|\|\||[!<>().,[\]*])/.exec(rest);
    if (op) {
      tokens.push({ kind: "op", value: op[0] });
      index += op[0].length;
      continue;
    }
    throw fail(`an unexpected character \`${rest[0]}\``);
  }
  return tokens;
}

/** GitHub's loose equality: different types compare as numbers, strings case-insensitively. */
function toNumber(value: ExpressionValue | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? 0 : Number(value);
  return NaN;
}

function looseEquals(left: ExpressionValue | undefined, right: ExpressionValue | undefined): boolean {
  const a = left ?? null;
  const b = right ?? null;
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && (typeof a !== "object" || a === null)) return a === b;
  if (typeof a === "object" && a !== null) return a === b;
  if (typeof b === "object" && b !== null) return false;
  return toNumber(a) === toNumber(b);
}

export function truthy(value: ExpressionValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value !== "";
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "boolean") return value;
  return true;
}

/** How a value is written into a string: GitHub's conversion (objects and arrays as JSON). */
export function asText(value: ExpressionValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

function hashFiles(workspace: string, patterns: string[]): string {
  const hash = createHash("sha256");
  let matched = 0;
  for (const pattern of patterns) {
    // The project's workflows name files; a glob would need GitHub's matcher, which this runner does not have.
    if (/[*?[\]!]/.test(pattern)) {
      throw new ExpressionError(`hashFiles('${pattern}'): only plain file paths are supported, not patterns`);
    }
    const file = path.resolve(workspace, pattern);
    if (existsSync(file) && statSync(file).isFile()) {
      hash.update(createHash("sha256").update(readFileSync(file)).digest());
      matched += 1;
    }
  }
  return matched === 0 ? "" : hash.digest("hex");
}

class Parser {
  private position = 0;
  constructor(
    private readonly expression: string,
    private readonly tokens: Token[],
    private readonly scope: ExpressionScope,
  ) {}

  parse(): ExpressionValue | undefined {
    const value = this.or();
    if (this.position < this.tokens.length) this.fail("unexpected");
    return value;
  }

  private fail(what: string): never {
    const token = this.tokens[this.position];
    throw new ExpressionError(
      `${what} ${token ? `\`${String(token.value)}\`` : "end"} in the expression \`${this.expression}\``,
    );
  }

  private peek(value: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === "op" && token.value === value;
  }

  private expect(value: string): void {
    if (!this.peek(value)) this.fail(`expected \`${value}\`, found`);
    this.position += 1;
  }

  private or(): ExpressionValue | undefined {
    let left = this.and();
    while (this.peek("||")) {
      this.position += 1;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): ExpressionValue | undefined {
    let left = this.comparison();
    while (this.peek("&&")) {
      this.position += 1;
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): ExpressionValue | undefined {
    const left = this.unary();
    for (const op of ["==", "!=", "<=", ">=", "<", ">"]) {
      if (!this.peek(op)) continue;
      this.position += 1;
      const right = this.unary();
      if (op === "==") return looseEquals(left, right);
      if (op === "!=") return !looseEquals(left, right);
      const [a, b] = [toNumber(left), toNumber(right)];
      return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
    }
    return left;
  }

  private unary(): ExpressionValue | undefined {
    if (this.peek("!")) {
      this.position += 1;
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private postfix(start: { value: ExpressionValue | undefined; path: string }): ExpressionValue | undefined {
    let { value, path: where } = start;
    for (;;) {
      let key: string | undefined;
      if (this.peek(".")) {
        this.position += 1;
        const token = this.tokens[this.position];
        if (token?.kind !== "name") this.fail("expected a property name, found");
        key = token.value;
        this.position += 1;
      } else if (this.peek("[")) {
        this.position += 1;
        key = asText(this.or());
        this.expect("]");
      } else {
        return value;
      }
      where = `${where}.${key}`;
      // A missing property is null, as in GitHub (e.g. steps.x.outputs.y before step x writes it).
      value =
        value !== null && typeof value === "object" && !Array.isArray(value)
          ? (value as ExpressionObject)[key]
          : undefined;
    }
  }

  private primary(): { value: ExpressionValue | undefined; path: string } {
    const token = this.tokens[this.position];
    if (!token) this.fail("expected a value, found");
    this.position += 1;
    if (token.kind === "string" || token.kind === "number") return { value: token.value, path: "" };
    if (token.kind === "op") {
      if (token.value !== "(") {
        this.position -= 1;
        this.fail("unexpected");
      }
      const value = this.or();
      this.expect(")");
      return { value, path: "" };
    }
    const name = token.value;
    if (name === "true" || name === "false") return { value: name === "true", path: "" };
    if (name === "null") return { value: null, path: "" };
    if (this.peek("(")) return { value: this.call(name), path: "" };
    if (!(name in this.scope.contexts)) {
      throw new ExpressionError(
        `the context \`${name}\` is not available to this runner (expression \`${this.expression}\`; available: ${Object.keys(this.scope.contexts).join(", ")})`,
      );
    }
    return { value: this.scope.contexts[name], path: name };
  }

  private call(name: string): ExpressionValue {
    this.expect("(");
    const args: (ExpressionValue | undefined)[] = [];
    while (!this.peek(")")) {
      args.push(this.or());
      if (!this.peek(")")) this.expect(",");
    }
    this.expect(")");
    const text = (index: number) => asText(args[index]);
    switch (name.toLowerCase()) {
      case "success":
        return this.scope.status === "success";
      case "failure":
        return this.scope.status === "failure";
      case "always":
        return true;
      // The runner is never cancelled.
      case "cancelled":
        return false;
      case "contains": {
        const haystack = args[0];
        if (Array.isArray(haystack)) return haystack.some((item) => looseEquals(item, args[1]));
        return text(0).toLowerCase().includes(text(1).toLowerCase());
      }
      case "startswith":
        return text(0).toLowerCase().startsWith(text(1).toLowerCase());
      case "endswith":
        return text(0).toLowerCase().endsWith(text(1).toLowerCase());
      case "format":
        return text(0).replace(/\{(\d+)\}/g, (_, index: string) => text(Number(index) + 1));
      case "tojson":
        return JSON.stringify(args[0] ?? null, null, 2);
      case "fromjson":
        return JSON.parse(text(0)) as ExpressionValue;
      case "hashfiles":
        return hashFiles(
          this.scope.workspace,
          args.map((_, index) => text(index)),
        );
      default:
        throw new ExpressionError(
          `the function \`${name}()\` is not supported by this runner (expression \`${this.expression}\`)`,
        );
    }
  }
}

/** Evaluates one expression, without the `${{ }}`. */
export function evaluate(expression: string, scope: ExpressionScope): ExpressionValue | undefined {
  return new Parser(expression, tokenize(expression), scope).parse();
}

/** Replaces every `${{ … }}` in a string, as GitHub does in `run`, `with`, `env` and names. */
export function substitute(text: string, scope: ExpressionScope): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) =>
    asText(evaluate(expression.trim(), scope)),
  );
}

/**
 * An `if:` condition: GitHub evaluates it with or without `${{ }}`, and adds `success() &&` when it calls no
 * status function (GitHub Docs, "Workflow syntax", jobs.<job_id>.steps[*].if).
 */
export function condition(text: string | boolean | undefined, scope: ExpressionScope): boolean {
  if (text === undefined) return scope.status === "success";
  if (typeof text === "boolean") return text && scope.status === "success";
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  const callsStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(inner);
  const value = truthy(evaluate(inner.trim(), scope));
  return callsStatus ? value : value && scope.status === "success";
}
