/**
 * Relative links in Markdown pages and the anchors GitHub gives their headings, so that a test can check that
 * every link between README.md and docs/ still resolves after a page or a heading moves.
 */

interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** The page without fenced code blocks and inline code spans (their brackets are not links), lines kept. */
function proseOnly(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line.replace(/`[^`]*`/g, "");
  });
}

/** Inline links and images whose target is neither a URL with a scheme nor protocol-relative. */
export function relativeLinks(markdown: string): MarkdownLink[] {
  return proseOnly(markdown).flatMap((text, index) =>
    [...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
      .map((match) => match[1] ?? "")
      .filter((target) => !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(target))
      .map((target) => ({ line: index + 1, target })),
  );
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every heading's anchor in a page, repeated headings numbered as GitHub does (`-1`, `-2`). */
export function headingAnchors(markdown: string): Set<string> {
  let fenced = false;
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const anchor = headingAnchor(heading);
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}
