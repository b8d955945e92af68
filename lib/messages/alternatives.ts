/**
 * How an error names what was expected from a set: the whole set while it is short, otherwise its size and a
 * few examples, and in either case the closest value to what was given ("did you mean …"). A config with 1,000
 * license configurations must not turn one misspelt name into a 30,000-character line.
 */

/** Sets longer than this are told by their size and a few examples. */
const listedAtMost = 8;

/** Edit distance (insertions, deletions, substitutions), case-insensitive. */
function distance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[right.length]!;
}

/** The value closest to `given`, when it is close enough to be a slip (a third of its length, at least 2). */
export function closestMatch(given: string, values: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const value of values) {
    const d = distance(given, value);
    if (d < bestDistance) [best, bestDistance] = [value, d];
  }
  return bestDistance <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined;
}

/** "a, b, c" while the set is short; "the 1,000 <what>, e.g. a, b, c" otherwise. */
export function listOf(values: readonly string[], what = "values"): string {
  if (values.length === 0) return "";
  return values.length <= listedAtMost
    ? values.join(", ")
    : `the ${values.length.toLocaleString("en-US")} ${what}, e.g. ${values.slice(0, 3).join(", ")}`;
}

/** `; did you mean "x"?` when `given` is a string close to one of the values (and not one of them), else "". */
export function didYouMean(given: unknown, values: readonly string[]): string {
  if (typeof given !== "string" || values.includes(given)) return "";
  const closest = closestMatch(given, values);
  return closest === undefined ? "" : `; did you mean ${JSON.stringify(closest)}?`;
}

/**
 * "one of a, b, c" or "one of the 1,000 <what>, e.g. …", then the closest value to `given` when there is one;
 * just "a" for a set of one.
 */
export function oneOf(
  values: readonly string[],
  options: { readonly given?: unknown; readonly what?: string } = {},
): string {
  if (values.length === 0) return `one of the ${options.what ?? "values"}, but there are none`;
  if (values.length === 1) return values[0]!;
  return `one of ${listOf(values, options.what)}${didYouMean(options.given, values)}`;
}
