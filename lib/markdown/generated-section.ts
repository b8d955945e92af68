/**
 * A section of a Markdown page written by a tool between two HTML comment markers. Prettier would pad its tables, so the
 * section is kept out of Prettier's way and stays exactly as generated: a test can compare it.
 */
export interface SectionMarkers {
  readonly start: string;
  readonly end: string;
}

/** The generated section as it stands in the document, or undefined without the markers. */
export function readGeneratedSection(document: string, markers: SectionMarkers): string | undefined {
  const start = document.indexOf(markers.start);
  const end = document.indexOf(markers.end);
  if (start < 0 || end < start) return undefined;
  return document
    .slice(start + markers.start.length, end)
    .replace("<!-- prettier-ignore-start -->", "")
    .replace("<!-- prettier-ignore-end -->", "")
    .trim();
}

/** The document with the section replaced; throws when the markers are missing. */
export function replaceGeneratedSection(document: string, markers: SectionMarkers, section: string): string {
  const start = document.indexOf(markers.start);
  const end = document.indexOf(markers.end);
  if (start < 0 || end < start)
    throw new Error(`the page lacks the markers ${markers.start} … ${markers.end}`);
  return `${document.slice(0, start + markers.start.length)}\n<!-- prettier-ignore-start -->\n${section}\n<!-- prettier-ignore-end -->\n${document.slice(end)}`;
}
