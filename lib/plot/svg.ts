/**
 * A plain SVG line chart, drawn here rather than by plotly.js: the live
 * training view replaces its output many times, and JupyterLab's plotly
 * renderer ignores in-place updates (it keeps the first graph), while an
 * <svg> needs no script at all to render.
 */
import type { LineOptions, Series } from "./figure";
import { escapeHtml as esc } from "./html";

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];
const MAX_POINTS = 400;

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : +v.toPrecision(4)).toString();

/** The series as an SVG chart of `width`×`height` px (non-finite values, or ≤ 0 on a log axis, leave gaps). */
export function lineSvg(series: Series[], opts: LineOptions & { width?: number } = {}): string {
  const W = opts.width ?? 720, H = opts.height ?? 300;
  const L = 64, R = 130, T = opts.title ? 30 : 10, B = 36;
  const shown = (v: number) => Number.isFinite(v) && (!opts.logy || v > 0);
  const ty = (v: number) => (opts.logy ? Math.log10(v) : v);
  let n = 1, lo = Infinity, hi = -Infinity;
  for (const s of series) {
    n = Math.max(n, s.y.length);
    for (let i = 0; i < s.y.length; i++) if (shown(s.y[i])) { lo = Math.min(lo, ty(s.y[i])); hi = Math.max(hi, ty(s.y[i])); }
  }
  if (!(lo <= hi)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const px = (i: number) => L + ((W - L - R) * i) / Math.max(n - 1, 1);
  const py = (v: number) => T + ((H - T - B) * (hi - ty(v))) / (hi - lo);
  const parts: string[] = [];
  series.forEach((s, k) => {
    // Every step-th point (and the last): a long run stays a few KB per update.
    const step = Math.max(1, Math.ceil(s.y.length / MAX_POINTS));
    const indices: number[] = [];
    for (let i = 0; i < s.y.length; i += step) indices.push(i);
    if (s.y.length && indices[indices.length - 1] !== s.y.length - 1) indices.push(s.y.length - 1);
    let path = "", pen = false;
    for (const i of indices) {
      const v = s.y[i];
      if (!shown(v)) { pen = false; continue; }
      path += `${pen ? "L" : "M"}${px(i).toFixed(1)},${py(v).toFixed(1)}`;
      pen = true;
    }
    const color = COLORS[k % COLORS.length];
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"${s.dash ? ' stroke-dasharray="5,3"' : ""}/>`);
    const ly = T + 14 + 18 * k;
    parts.push(`<line x1="${W - R + 10}" y1="${ly - 4}" x2="${W - R + 30}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dash ? ' stroke-dasharray="5,3"' : ""}/><text x="${W - R + 35}" y="${ly}">${esc(s.name ?? "")}</text>`);
  });
  const val = (t: number) => fmt(opts.logy ? 10 ** t : t);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="nnwb-live" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#ccc"/>
${opts.title ? `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${esc(opts.title)}</text>` : ""}
<text x="${L - 4}" y="${T + 4}" text-anchor="end">${val(hi)}</text><text x="${L - 4}" y="${H - B}" text-anchor="end">${val(lo)}</text>
<text x="${L}" y="${H - B + 14}" text-anchor="middle">0</text><text x="${W - R}" y="${H - B + 14}" text-anchor="middle">${n - 1}</text>
<text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${esc(opts.xlabel ?? "")}${opts.logy ? " (échelle log en y)" : ""}</text>
<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${esc(opts.ylabel ?? "")}</text>
${parts.join("\n")}
</svg>`;
}
