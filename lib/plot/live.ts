/**
 * A training cell's live view: a progress bar and the loss curves, updated
 * in place (one display, replaced by its display id) while the descent runs,
 * at most every `intervalMs` so that drawing costs little next to training.
 * While it runs the curves are a plain SVG (JupyterLab's plotly renderer
 * ignores in-place updates); the last update is the full plotly figure,
 * which stays in the saved notebook.
 */
import { performance } from "node:perf_hooks";
import type { PassInfo } from "../training/train";
import { lineChart } from "./figure";
import type { LineOptions, Series } from "./figure";
import { displayBundle, figureBundle, inNotebook } from "./display";
import type { MimeBundle } from "./display";
import { lineSvg } from "./svg";

export interface LiveTraining {
  /** Pass it as `onPass` to a gradient descent. */
  onPass: (info: PassInfo) => void;
  /** Draws the final state (call after training). */
  finish(): void;
  /** Time spent drawing, in ms (to check it stays small). */
  readonly drawingMs: number;
}

let ids = 0;

/** A live loss-curve display for one training run. */
export function liveTraining(opts: LineOptions & { intervalMs?: number } = {}): LiveTraining {
  const id = `nnwb-live-${process.pid}-${++ids}`;
  const interval = opts.intervalMs ?? 1000;
  const train: number[] = [], test: number[] = [];
  let total = 0, last = -Infinity, drawingMs = 0, shown = false;
  const live = inNotebook();
  const draw = (done: boolean) => {
    if (!live) return; // outside a notebook there is nothing to draw on
    const t0 = performance.now();
    const pct = total ? Math.round((100 * train.length) / total) : 100;
    const status = `${done ? "terminé" : "en cours"} : passe ${train.length}/${total} (${pct} %), perte ${train.length ? train[train.length - 1].toFixed(4) : "-"}${test.length ? `, test ${test[test.length - 1].toFixed(4)}` : ""}`;
    const series: Series[] = [{ y: train, name: "apprentissage" }, ...(test.length ? [{ y: test, name: "test", dash: true }] : [])];
    const title = `${opts.title ?? "Perte"} — ${status}`;
    const progress = `<progress max="100" value="${pct}" style="width:100%"></progress>`;
    let bundle: MimeBundle;
    if (done) {
      bundle = figureBundle(lineChart(series, { ...opts, title }));
      bundle["text/html"] = `${progress}${bundle["text/html"]}`;
      bundle["text/plain"] = `${status}\n${bundle["text/plain"]}`;
    } else {
      bundle = { "text/html": `${progress}<div>${lineSvg(series, { ...opts, title })}</div>`, "text/plain": status };
    }
    displayBundle(bundle, id, shown);
    shown = true;
    drawingMs += performance.now() - t0;
  };
  return {
    onPass(info) {
      total = info.num_passes;
      train.push(info.train_loss);
      if (info.test_loss !== undefined) test.push(info.test_loss);
      const now = performance.now();
      if (now - last >= interval) {
        last = now;
        draw(false);
      }
    },
    finish() {
      draw(true);
    },
    get drawingMs() {
      return drawingMs;
    },
  };
}
