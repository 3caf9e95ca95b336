/**
 * A training cell's live view: a progress line and the loss curves, updated
 * in place (one display, replaced by its display id) while the descent runs,
 * at most every `intervalMs` so that drawing costs little next to training;
 * the final figure stays in the saved notebook.
 */
import { performance } from "node:perf_hooks";
import type { PassInfo } from "../nn/descent";
import { lineChart } from "./figure";
import type { LineOptions } from "./figure";
import { displayBundle, figureBundle, inNotebook } from "./display";
import { plotlyLoaderHtml } from "./html";

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
  if (live) {
    const loader = plotlyLoaderHtml();
    if (loader) displayBundle({ "text/html": loader, "text/plain": "" });
  }
  const draw = (done: boolean) => {
    if (!live) return; // outside a notebook there is nothing to draw on
    const t0 = performance.now();
    const pct = total ? Math.round((100 * train.length) / total) : 100;
    const status = `${done ? "terminé" : "en cours"} : passe ${train.length}/${total} (${pct} %), perte ${train.length ? train[train.length - 1].toFixed(4) : "-"}${test.length ? `, test ${test[test.length - 1].toFixed(4)}` : ""}`;
    const fig = lineChart(
      [{ y: train, name: "apprentissage" }, ...(test.length ? [{ y: test, name: "test", dash: true }] : [])],
      { ...opts, title: `${opts.title ?? "Perte"} — ${status}` },
    );
    const bundle = figureBundle(fig, { withoutLib: true });
    bundle["text/html"] = `<progress max="100" value="${pct}" style="width:100%"></progress>${bundle["text/html"]}`;
    bundle["text/plain"] = `${status}\n${bundle["text/plain"]}`;
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
