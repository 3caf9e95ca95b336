/**
 * Figures as plotly.js JSON: the matplotlib of this workbook. Builders return a
 * plain `Figure` (data + layout) that `show` displays in a notebook and
 * `figureHtml` turns into a standalone page.
 */
import type { Matrix } from "../array/matrix";

export type Trace = { type: "scatter" | "heatmap" | "bar"; [key: string]: unknown };
export type Layout = { [key: string]: unknown };

export interface Figure {
  data: Trace[];
  layout: Layout;
}

export interface Series {
  /** The curve's values; x defaults to 0, 1, 2, … */
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  name?: string;
  /** Dashed line, e.g. for the test curve next to the train one. */
  dash?: boolean;
}

export interface LineOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Logarithmic y axis (loss curves spanning decades). */
  logy?: boolean;
  height?: number;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Line chart of one or more series, like `plt.plot(y1); plt.plot(y2)`. */
export function lineChart(series: Series[], opts: LineOptions = {}): Figure {
  return {
    data: series.map((s) => ({
      type: "scatter",
      mode: "lines",
      name: s.name ?? "",
      x: s.x ? Array.from(s.x) : Array.from({ length: s.y.length }, (_, i) => i),
      // Plotly draws a gap for null; NaN/Infinity would break the JSON.
      y: Array.from(s.y, finiteOrNull),
      line: s.dash ? { dash: "dash" } : {},
    })),
    layout: {
      title: { text: opts.title ?? "" },
      xaxis: { title: { text: opts.xlabel ?? "" } },
      yaxis: { title: { text: opts.ylabel ?? "" }, type: opts.logy ? "log" : "linear" },
      height: opts.height ?? 400,
      margin: { t: 50, r: 20, b: 50, l: 60 },
      showlegend: series.length > 1 || series.some((s) => s.name),
    },
  };
}

/** Bar chart, e.g. class counts. */
export function barChart(labels: string[], values: number[], opts: LineOptions = {}): Figure {
  return {
    data: [{ type: "bar", x: labels, y: values, text: values.map(String), textposition: "auto" }],
    layout: {
      title: { text: opts.title ?? "" },
      xaxis: { title: { text: opts.xlabel ?? "" }, type: "category" },
      yaxis: { title: { text: opts.ylabel ?? "" } },
      height: opts.height ?? 350,
      margin: { t: 50, r: 20, b: 50, l: 60 },
    },
  };
}

export interface ImageGridOptions {
  title?: string;
  /** Images per row of the grid. */
  columns?: number;
  /** Side of one image in pixels (28 for MNIST). */
  side?: number;
  /** Color scale, gray for digits, a diverging one for weights. */
  colorscale?: string;
  /** Size of one cell of the grid on screen, in px. */
  cellPx?: number;
  /**
   * Centre a diverging color scale on 0, the same range for every image
   * (weights: negative and positive evidence read alike across classes).
   */
  symmetric?: boolean;
}

/**
 * Images as a grid of heatmaps (like `plt.imshow` in subplots): each row of
 * `images` is one side×side image, `titles[i]` its caption.
 */
export function imageGrid(images: Matrix, titles: string[] = [], opts: ImageGridOptions = {}): Figure {
  const side = opts.side ?? 28;
  if (images.cols !== side * side) throw new RangeError(`imageGrid: rows of ${images.cols} values are not ${side}×${side} images`);
  const n = images.rows;
  const columns = Math.min(opts.columns ?? 10, Math.max(n, 1));
  const gridRows = Math.ceil(n / columns);
  const cell = opts.cellPx ?? 90;
  const gap = 0.02;
  const colorscale = opts.colorscale ?? "Greys";
  let bound = 0;
  if (opts.symmetric) for (const v of images.data) bound = Math.max(bound, Math.abs(v));
  const range = opts.symmetric ? { zmin: -bound || -1, zmax: bound || 1 } : {};
  const data: Trace[] = [];
  const layout: Layout = {
    title: { text: opts.title ?? "" },
    height: gridRows * (cell + 22) + (opts.title ? 50 : 10),
    width: columns * cell + 40,
    margin: { t: opts.title ? 50 : 10, r: 10, b: 10, l: 10 },
    showlegend: false,
    annotations: [] as unknown[],
  };
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / columns), c = k % columns;
    const ax = k === 0 ? "" : String(k + 1);
    const z: number[][] = [];
    for (let i = side - 1; i >= 0; i--) z.push(Array.from(images.data.subarray(k * side * side + i * side, k * side * side + (i + 1) * side)));
    data.push({ type: "heatmap", z, xaxis: `x${ax}`, yaxis: `y${ax}`, colorscale, reversescale: colorscale === "Greys", showscale: false, hoverinfo: "z", ...range });
    const x0 = c / columns + gap / 2, x1 = (c + 1) / columns - gap / 2;
    const y1 = 1 - r / gridRows - 0.06 / gridRows, y0 = 1 - (r + 1) / gridRows + gap / 2;
    const hidden = { showticklabels: false, showgrid: false, zeroline: false, ticks: "" };
    layout[`xaxis${ax}`] = { ...hidden, domain: [x0, x1], anchor: `y${ax}` };
    layout[`yaxis${ax}`] = { ...hidden, domain: [y0, y1], anchor: `x${ax}`, scaleanchor: `x${ax}` };
    if (titles[k] !== undefined) {
      (layout.annotations as unknown[]).push({ text: titles[k], x: (x0 + x1) / 2, y: y1, xref: "paper", yref: "paper", yanchor: "bottom", showarrow: false, font: { size: 11 } });
    }
  }
  return { data, layout };
}

/** A one-line description, the text/plain of a figure. */
export function describe(fig: Figure): string {
  const title = (fig.layout.title as { text?: string } | undefined)?.text ?? "";
  const parts = fig.data.map((t) => {
    const y = t.y as (number | null)[] | undefined;
    if (t.type === "scatter" && y) {
      const last = [...y].reverse().find((v) => v !== null);
      return `${t.name || "series"}: ${y.length} points${last !== undefined && last !== null ? `, last ${last.toPrecision(4)}` : ""}`;
    }
    return t.type;
  });
  const kinds = parts.every((p) => p === "heatmap") ? `${parts.length} images` : parts.join("; ");
  return `<Figure${title ? ` "${title}"` : ""}: ${kinds}>`;
}
