/**
 * Figures that show what a trained net does: its weights as images, the
 * confusion matrix of its predictions and the digits it gets wrong. Built on
 * the generic figures of figure.ts, fed by lib/nn's metrics.
 */
import type { Matrix } from "../array/matrix";
import { transpose } from "../array/ops";
import { confusion_matrix, misclassified } from "../metrics/confusion";
import type { Figure, Trace } from "./figure";
import { imageGrid } from "./figure";

/**
 * The one-layer net's W (D, K) as K images of side×side pixels: column k
 * holds, pixel by pixel, how much ink there pushes the score of class k up
 * (red) or down (blue).
 */
export function weightImages(W: Matrix, labels: string[], opts: { title?: string; side?: number } = {}): Figure {
  const side = opts.side ?? 28;
  if (W.rows !== side * side) throw new RangeError(`weightImages: W has ${W.rows} rows, not ${side}×${side} = ${side * side} pixels`);
  if (labels.length !== W.cols) throw new RangeError(`weightImages: ${labels.length} labels for ${W.cols} classes`);
  return imageGrid(transpose(W), labels, { title: opts.title, side, columns: W.cols, colorscale: "RdBu", symmetric: true, cellPx: 180 });
}

/** Heatmap of `confusion_matrix(y, y_hat)`, counts written in the cells; row t is true class t, from the top. */
export function confusionChart(y: Matrix, y_hat: Matrix, labels: string[], opts: { title?: string } = {}): Figure {
  const counts = confusion_matrix(y, y_hat);
  if (labels.length !== counts.length) throw new RangeError(`confusionChart: ${labels.length} labels for ${counts.length} classes`);
  // Numeric axes with tick labels: class names like "1" or "7" would be read as coordinates.
  const index = labels.map((_, k) => k);
  const trace: Trace = {
    type: "heatmap", z: counts, x: index, y: index, customdata: counts.map((row, t) => row.map((_, p) => [labels[t], labels[p]])),
    colorscale: [[0, "#f7fbff"], [1, "#08306b"]], showscale: false, hovertemplate: "vrai %{customdata[0]}, prédit %{customdata[1]} : %{z}<extra></extra>",
  };
  const max = Math.max(1, ...counts.flat());
  const annotations = counts.flatMap((row, t) => row.map((v, p) => ({
    x: p, y: t, text: String(v), showarrow: false, font: { color: v > max / 2 ? "white" : "black", size: 14 },
  })));
  const axis = (title: string) => ({ title: { text: title }, tickvals: index, ticktext: labels, showgrid: false, zeroline: false });
  const side = 110 * labels.length;
  return {
    data: [trace],
    layout: {
      title: { text: opts.title ?? "Matrice de confusion" },
      xaxis: { ...axis("classe prédite"), constrain: "domain" },
      yaxis: { ...axis("vraie classe"), autorange: "reversed", scaleanchor: "x" },
      annotations, width: side + 140, height: side + 130,
      margin: { t: 60, r: 20, b: 60, l: 70 },
    },
  };
}

/** The wrongly predicted images (most confident mistakes first), captioned "vrai t, prédit p (confiance)". */
export function misclassifiedGrid(x: Matrix, y: Matrix, y_hat: Matrix, labels: string[], opts: { title?: string; max?: number; columns?: number } = {}): Figure {
  if (x.rows !== y.rows) throw new RangeError(`misclassifiedGrid: ${x.rows} images for ${y.rows} labels`);
  const mistakes = misclassified(y, y_hat).slice(0, opts.max ?? 20);
  const images = x.takeRows(mistakes.map((m) => m.index));
  const titles = mistakes.map((m) => `vrai ${labels[m.truth]}, prédit ${labels[m.predicted]} (${Math.round(100 * m.confidence)} %)`);
  const title = opts.title ?? `${mistakes.length} erreur${mistakes.length > 1 ? "s" : ""}, les plus sûres d'elles d'abord`;
  return imageGrid(images, titles, { title, columns: opts.columns ?? 5, cellPx: 170 });
}
