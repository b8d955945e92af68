import type { PlanReview, PlannedStackReview, ResourceReview, RiskFlag, StackReview } from "./model";

/** Hidden first line: the workflow finds its previous comment by it and updates that one. */
export const reviewMarker = "<!-- license-manager-org:plan-review -->";

/** GitHub refuses comments over 65,536 characters; the margin leaves room for the workflow's footer. */
export const defaultMaxLength = 60_000;

interface RenderOptions {
  /** @default 60,000 characters */
  readonly maxLength?: number;
  /** Where the full plans are, e.g. "the `plans` artifact of this run". @default "the plans/ directory" */
  readonly artifactHint?: string;
  /** E.g. the config file; shown under the title. */
  readonly subtitle?: string;
}

interface RenderedReview {
  readonly markdown: string;
  /** True when details were left out to fit maxLength. */
  readonly truncated: boolean;
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function riskLine(flag: RiskFlag): string {
  const path = flag.constructPath ? ` (${code(flag.constructPath)})` : "";
  return `- **${flag.stack}** ${code(flag.address)}${path}: ${flag.reason}`;
}

function summary(stack: StackReview): string {
  if (stack.status === "failed") return "plan failed";
  if (stack.status === "no-changes") return "no changes";
  const { counts } = stack;
  const parts = (["import", "create", "update", "replace", "destroy"] as const)
    .filter((kind) => counts[kind] > 0)
    .map((kind) => (kind === "import" ? `${counts[kind]} to adopt (import)` : `${counts[kind]} to ${kind}`));
  if (stack.outputChanges.length > 0) parts.push(`${stack.outputChanges.length} output(s)`);
  return parts.join(", ");
}

function countsRow(stack: StackReview): string {
  if (stack.status === "failed") return `| ${stack.stack} | ❌ plan failed | | | | | |`;
  const c = stack.counts;
  const status =
    stack.status === "changes" ? (stack.risks.length > 0 ? "⚠️ changes" : "changes") : "no changes";
  return `| ${stack.stack} | ${status} | ${c.create} | ${c.update} | ${c.replace} | ${c.destroy} | ${c.import} |`;
}

function resourceRow(resource: ResourceReview): string {
  const actions = [
    // An import adopts a live resource that no state holds (an interrupted deploy's, a service-linked role).
    ...(resource.importing
      ? [resource.importId ? `adopts ${code(resource.importId)}` : "adopts (import)"]
      : []),
    ...(resource.kind === "no-op" ? [] : [resource.kind]),
  ];
  const reason =
    resource.replacedBecauseOf.length > 0
      ? ` (forced by ${resource.replacedBecauseOf.join(", ")})`
      : resource.actionReason
        ? ` (${resource.actionReason})`
        : "";
  const attributes = resource.changedAttributes.length > 0 ? resource.changedAttributes.join(", ") : "";
  return `| ${code(resource.address)} | ${constructPathCell(resource)} | ${actions.join(", ")}${reason} | ${cell(attributes)} |`;
}

/** A destroyed resource is gone from the synthesized JSON, and so is its construct path. */
const constructPathCell = (resource: ResourceReview) =>
  resource.constructPath
    ? code(resource.constructPath)
    : resource.kind === "destroy"
      ? "(removed from the code)"
      : "—";

const tableHeader = ["| address | construct path | actions | attributes |", "| --- | --- | --- | --- |"];

function detailsOpen(stack: StackReview): string {
  return `<details><summary><b>${stack.stack}</b>: ${summary(stack)}</summary>\n`;
}

function failedDetails(stack: StackReview & { status: "failed" }): string {
  return [detailsOpen(stack), "```", stack.error.trim(), "```", "</details>"].join("\n");
}

function stackDetails(
  stack: PlannedStackReview,
  rows: readonly string[],
  omitted: number,
  hint: string,
): string {
  const lines = [detailsOpen(stack), ...tableHeader, ...rows];
  if (omitted > 0) lines.push("", `…and ${omitted} more resource change(s): see ${hint}.`);
  if (stack.outputChanges.length > 0) {
    lines.push(
      "",
      `Outputs: ${stack.outputChanges.map((output) => `${code(output.name)} (${output.actions.join(", ")})`).join(", ")}`,
    );
  }
  lines.push("</details>");
  return lines.join("\n");
}

/**
 * The review as Markdown for a pull-request comment: risk flags first, then a table of counts, then
 * each stack's changes in a <details> block. Details that do not fit maxLength are cut (never the
 * risk flags), with a pointer to the full plans.
 */
export function renderReview(review: PlanReview, options: RenderOptions = {}): RenderedReview {
  const maxLength = options.maxLength ?? defaultMaxLength;
  const hint = options.artifactHint ?? "the plans/ directory";
  const head: string[] = [reviewMarker, "## Terraform plan review", ""];
  if (options.subtitle) head.push(options.subtitle, "");
  if (review.risks.length > 0) {
    head.push(`### ⚠️ Risk flags (${review.risks.length})`, "", ...review.risks.map(riskLine), "");
  } else {
    head.push("### Risk flags", "", "None.", "");
  }
  head.push(
    "### Stacks",
    "",
    "| stack | status | create | update | replace | destroy | import |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ...review.stacks.map(countsRow),
    "",
  );

  const truncationNote = `> ✂️ This review was cut to fit GitHub's comment limit. The full review (review-full.md) is in ${hint}.`;
  const budget = maxLength - truncationNote.length - 2;
  let markdown = head.join("\n");
  let truncated = false;
  for (const stack of review.stacks) {
    if (stack.status === "no-changes") continue;
    if (stack.status === "failed") {
      const block = `${failedDetails(stack)}\n\n`;
      if (markdown.length + block.length <= budget) markdown += block;
      else truncated = true;
      continue;
    }
    const rows = stack.resources.map(resourceRow);
    let kept = rows.length;
    let block = `${stackDetails(stack, rows, 0, hint)}\n\n`;
    while (markdown.length + block.length > budget && kept > 0) {
      // Drop rows in proportion to the overshoot: one pass per stack, not one per row.
      const over = markdown.length + block.length - budget;
      const average = block.length / Math.max(kept, 1);
      kept = Math.max(0, kept - Math.max(1, Math.ceil(over / average)));
      block = `${stackDetails(stack, rows.slice(0, kept), rows.length - kept, hint)}\n\n`;
      truncated = true;
    }
    if (markdown.length + block.length <= budget) markdown += block;
    else truncated = true;
  }
  if (truncated) markdown += `${truncationNote}\n`;
  return { markdown, truncated };
}
