/**
 * HTML for figures: a div plus a script that draws it with plotly.js. The
 * plotly.js bundle (cartesian, 1.5 MB) is inlined once, in the first figure a
 * process renders; later figures wait for `window.Plotly`. That keeps an
 * executed notebook small while it still renders offline and exported to HTML.
 */
import { readFileSync } from "node:fs";
import type { Figure } from "./figure";

let bundle: string | undefined;
let inlined = false;
let counter = 0;

function plotlyScript(): string {
  bundle ??= readFileSync(require.resolve("plotly.js-cartesian-dist-min"), "utf8");
  // `module` is shadowed so the UMD wrapper always sets window.Plotly.
  return `<script type="text/javascript">(function(module){${bundle.replace(/<\/script/gi, "<\\/script")}\n})(undefined);</script>`;
}

/** Text made safe inside HTML or SVG elements (not attributes): <, > and & escaped. */
export function escapeHtml(v: unknown): string {
  return String(v).replace(/[<&>]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

/** Makes the next notebook figure inline plotly.js again (e.g. for a new page). */
export function resetPlotlyInline(): void {
  inlined = false;
}

/** The HTML of one figure in a notebook: plotly.js comes with the process's first one. */
export function figureHtml(fig: Figure): string {
  const withLib = !inlined;
  inlined = true;
  return renderFigure(fig, withLib);
}

function renderFigure(fig: Figure, withLib: boolean): string {
  const id = `nnwb-fig-${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const lib = withLib ? plotlyScript() : "";
  const spec = JSON.stringify({ data: fig.data, layout: { ...fig.layout, autosize: true } }).replace(/</g, "\\u003c");
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 400;
  return `${lib}<div id="${id}" class="nnwb-figure" style="width:100%;min-height:${height}px"></div>
<script type="text/javascript">(function(){
  var spec = ${spec}, tries = 0;
  function draw(){
    var el = document.getElementById("${id}");
    if (!el) return;
    if (window.Plotly) { window.Plotly.newPlot(el, spec.data, spec.layout, {responsive: true, displaylogo: false}); return; }
    if (++tries < 100) { setTimeout(draw, 100); return; }
    el.textContent = "plotly.js is not loaded: re-run the notebook's first figure cell.";
  }
  draw();
})();</script>`;
}

/** A standalone HTML page of figures. */
export function pageHtml(title: string, figures: Figure[]): string {
  const esc = title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"));
  const body = figures.map((f, i) => renderFigure(f, i === 0));
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc}</title></head><body><h1>${esc}</h1>\n${body.join("\n")}\n</body></html>\n`;
}
