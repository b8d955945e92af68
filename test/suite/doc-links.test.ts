import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { headingAnchor, headingAnchors, relativeLinks } from "../../lib/markdown/links";

const pages = [
  "README.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Why a relative link from `page` does not resolve, or undefined when it does. */
function brokenLink(page: string, target: string): string | undefined {
  const [file = "", anchor] = target.split("#", 2);
  const resolved =
    file === "" ? page : path.normalize(path.join(path.dirname(page), decodeURIComponent(file)));
  if (!existsSync(resolved)) return `${resolved} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (!resolved.endsWith(".md") || statSync(resolved).isDirectory())
    return `#${anchor} on a file that is not a page`;
  return headingAnchors(readFileSync(resolved, "utf8")).has(anchor)
    ? undefined
    : `${resolved} has no heading #${anchor}`;
}

describe("links between README.md and docs/", () => {
  it("reads every page, and the README links each docs page", () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/configuration.md",
        "docs/design.md",
        "docs/development.md",
        "docs/operations.md",
        "docs/permissions.md",
        "docs/sandbox.md",
      ]),
    );
    const fromReadme = relativeLinks(readFileSync("README.md", "utf8")).map(
      (link) => link.target.split("#")[0],
    );
    expect(pages.filter((page) => page !== "README.md" && !fromReadme.includes(page))).toEqual([]);
  });

  it.each(pages)("every relative link in %s points at an existing file and heading", (page) => {
    const broken = relativeLinks(readFileSync(page, "utf8")).flatMap(({ line, target }) => {
      const reason = brokenLink(page, target);
      return reason ? [`${page}:${line}: ${target}: ${reason}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("finds the links a page has, and only those, with GitHub's heading anchors", () => {
    const page = [
      "# Title",
      "## What Terraform cannot manage: settings and `npm run reconcile`",
      "## Choosing the role: LM_ROLE",
      "## Title",
      "See [a](docs/a.md#x), ![b](img.png), [c](#title-1) and [d](https://example.com/e.md).",
      "`[not](a-link.md)`",
      "```",
      "[not](either.md)",
      "```",
    ].join("\n");
    expect(relativeLinks(page)).toEqual([
      { line: 5, target: "docs/a.md#x" },
      { line: 5, target: "img.png" },
      { line: 5, target: "#title-1" },
    ]);
    expect([...headingAnchors(page)]).toEqual([
      "title",
      "what-terraform-cannot-manage-settings-and-npm-run-reconcile",
      "choosing-the-role-lm_role",
      "title-1",
    ]);
    expect(headingAnchor("[Sandbox](sandbox.md): faults")).toBe("sandbox-faults");
  });

  it("reports a missing file and a missing heading", () => {
    expect(brokenLink("README.md", "docs/missing.md")).toBe("docs/missing.md does not exist");
    expect(brokenLink("README.md", "docs/operations.md#no-such-heading")).toBe(
      "docs/operations.md has no heading #no-such-heading",
    );
    expect(brokenLink("docs/design.md", "operations.md#the-removal-guard")).toBeUndefined();
  });
});
