/**
 * Runs a descent function with the handout's contract — `(parameters,
 * num_passes) → [parameters, losses, test_losses]` — in slices of a few
 * passes, feeding each slice the parameters the previous one returned. For
 * plain gradient descent, which keeps no state between passes, the result
 * is the same as one call; a descent with state (momentum's velocity lives
 * inside one call) runs as one slice (`slice: num_passes`). Between slices
 * the workbook can draw the curves, time the passes and stop a diverging run. This is how the notebooks, the
 * `train` CLI and the bench wrap the handout's functions (the student's or
 * the lib's) instead of asking them for callbacks.
 */
import { performance } from "node:perf_hooks";
import { LossWatch } from "./watch";
import type { Language } from "./watch";
import { typeset } from "../text/french";

/** One call of a descent: from `parameters`, `num_passes` passes. */
export type DescentStep<P> = (parameters: P, num_passes: number) => [P, number[], number[]];

export interface PassInfo {
  /** 0-based index of the pass. */
  pass: number;
  num_passes: number;
  train_loss: number;
  test_loss?: number;
}

export interface TrainOptions {
  /** The learning rate (for the divergence message). */
  epsilon: number;
  /** Samples in the training set (the hand-written gradient is a sum over them). */
  n: number;
  /** Name used in messages. */
  what?: string;
  /** Passes per call of the step (default 1: the finest timing; the live view uses more). */
  slice?: number;
  /** Called for each pass once its slice has run (progress bars, live plots). */
  onPass?: (info: PassInfo) => void;
  /** Do not print the message when training stops early. */
  quiet?: boolean;
  /** Keep going when the loss diverges (`diverged_at` still records it). */
  continue_on_divergence?: boolean;
  /** False for autograd's mean-loss gradients (changes the advice in messages). */
  gradientIsSum?: boolean;
  /** Messages in French (the notebooks, default) or English (the command line). */
  language?: Language;
}

/** What a training run recorded. */
export interface TrainingHistory {
  /** train_loss[i]: the training loss before the i-th update. */
  train_loss: number[];
  /** test_loss[i]: the test loss before the i-th update (empty without test data). */
  test_loss: number[];
  /** Passes run. */
  passes: number;
  /** Why training stopped early (divergence, NaN/Infinity), if it did. */
  stopped?: string;
  /** The pass from which the loss stayed above 2 × the first loss + 1, if it did. */
  diverged_at?: number;
  /** Wall time per pass, in ms. */
  ms_per_pass: number;
}

export interface TrainingResult<P> extends TrainingHistory {
  /** The parameters after the last pass run. */
  parameters: P;
}

/** Runs `num_passes` passes of `step` from `parameters`, slice by slice. */
export function train<P>(step: DescentStep<P>, parameters: P, num_passes: number, options: TrainOptions): TrainingResult<P> {
  const what = options.what ?? "gradient_descent";
  if (!Number.isInteger(num_passes) || num_passes < 0) {
    throw new RangeError(options.language === "en" ? `${what}: num_passes must be a non-negative integer, got ${num_passes}` : typeset(`${what} : num_passes doit être un entier positif ou nul, pas ${num_passes}`));
  }
  const slice = Math.max(1, Math.floor(options.slice ?? 1));
  const watch = new LossWatch(what, options.epsilon, options.n, options, options.gradientIsSum ?? true);
  const train_loss: number[] = [], test_loss: number[] = [];
  let p = parameters, stopped: string | undefined;
  let elapsed = 0;
  while (train_loss.length < num_passes && !stopped) {
    const n = Math.min(slice, num_passes - train_loss.length);
    const started = performance.now();
    const out = step(p, n);
    elapsed += performance.now() - started;
    if (!Array.isArray(out) || out.length < 2 || !Array.isArray(out[1])) {
      throw new TypeError(`${what} must return [parameters, losses, test_losses]; it returned ${describe(out)}`);
    }
    const [next, losses, tests = []] = out;
    if (losses.length !== n) throw new RangeError(`${what}: asked for ${n} passes, it returned ${losses.length} losses (one loss per pass, before each update)`);
    p = next;
    for (let i = 0; i < n; i++) {
      const pass = train_loss.length;
      train_loss.push(losses[i]);
      if (tests[i] !== undefined) test_loss.push(tests[i]);
      options.onPass?.({ pass, num_passes, train_loss: losses[i], test_loss: tests[i] });
      stopped = watch.check(pass, losses[i]);
      if (stopped) break;
    }
  }
  if (stopped && !options.quiet) console.warn(stopped);
  const passes = train_loss.length;
  return { parameters: p, train_loss, test_loss, passes, stopped, diverged_at: watch.diverged_at, ms_per_pass: passes ? elapsed / passes : 0 };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? "null" : typeof v;
}
