/**
 * Sends figures to the notebook. tslab's public `display` sends one MIME type
 * per output; a figure needs three in one bundle (plotly JSON for JupyterLab
 * and VS Code, HTML for exported pages, plain text for everything else), so
 * this goes through `tslab/dist/jupyter`'s `lastWriteDisplayData`, the
 * function the running kernel installs before each cell.
 */
import type { Figure } from "./figure";
import { describe } from "./figure";
import { figureHtml } from "./html";

export type MimeBundle = { [mime: string]: unknown };
type WriteDisplayData = (msg: { data: MimeBundle; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

function writer(): WriteDisplayData | null {
  try {
    // Resolved from this package, so it is the kernel's own module instance.
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData;
  } catch {
    return null;
  }
}

/** True inside a running tslab kernel. */
export function inNotebook(): boolean {
  return writer() !== null;
}

/** The three representations of a figure. */
export function figureBundle(fig: Figure): MimeBundle {
  return {
    "application/vnd.plotly.v1+json": { data: fig.data, layout: fig.layout },
    "text/html": figureHtml(fig),
    "text/plain": describe(fig),
  };
}

/**
 * Displays a MIME bundle. With a `displayId`, a later call with the same id
 * and `update` replaces it in place (live training curves).
 * Outside a notebook, prints the text/plain part.
 */
export function displayBundle(bundle: MimeBundle, displayId?: string, update = false): void {
  const write = writer();
  if (write === null) {
    console.log(String(bundle["text/plain"] ?? ""));
    return;
  }
  write({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
}

/** Shows a figure in the notebook, like `plt.show()`. */
export function show(fig: Figure): void {
  displayBundle(figureBundle(fig));
}

/** Shows HTML with a plain-text fallback (tables). */
export function showHtml(html: string, text: string): void {
  displayBundle({ "text/html": html, "text/plain": text });
}
