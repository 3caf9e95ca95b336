/**
 * Batch gradient descent with a fixed learning rate (consignes 5, 8, 9, 13):
 * the loop both networks share. Each pass predicts on the whole training set,
 * records the loss (and the test loss when test data is given), computes the
 * partial derivatives and updates every parameter: P = P − ε·dP.
 */
import { performance } from "node:perf_hooks";
import { Matrix } from "../array/matrix";
import { allFinite, subScaledInPlace } from "../array/ops";
import { withConstant } from "../array/constant";
import { evaluate_loss } from "./loss";

/** What the loop needs to know of a network. */
export interface Network<P> {
  /** The handout's predict function: ŷ for the samples x. */
  predict(x: Matrix, parameters: P): Matrix;
  /** The handout's partial-derivative function: one gradient per parameter, in `tensors` order. */
  derivatives(x: Matrix, y: Matrix, y_hat: Matrix, parameters: P): Matrix[];
  /** The parameter matrices, in the order of `derivatives`. */
  tensors(parameters: P): Matrix[];
  /** A deep copy, so that training never changes the caller's parameters. */
  copy(parameters: P): P;
}

export interface PassInfo {
  /** 0-based index of the pass. */
  pass: number;
  num_passes: number;
  train_loss: number;
  test_loss?: number;
}

export interface GradientDescentOptions {
  /** Consigne 9: test data, whose loss is recorded at every pass. */
  x_test?: Matrix;
  y_test?: Matrix;
  /** Called after each pass's losses are computed (progress bars, live plots). */
  onPass?: (info: PassInfo) => void;
  /** Do not print the message when training stops early. */
  quiet?: boolean;
  /**
   * Keep going when the loss diverges (stays above 2 × its first value + 1
   * for DIVERGENCE_PATIENCE passes), e.g. to plot the oscillations;
   * `diverged_at` still records it.
   */
  continue_on_divergence?: boolean;
}

/** What a training run recorded: every loop of the workbook returns it. */
export interface TrainingHistory {
  /** train_loss[i]: the training loss before the i-th update. */
  train_loss: number[];
  /** test_loss[i]: the test loss before the i-th update (empty without test data). */
  test_loss: number[];
  /** Updates done. */
  passes: number;
  /** Why training stopped early (divergence, NaN/Infinity), if it did. */
  stopped?: string;
  /** The pass from which the loss stayed above 2 × the first loss + 1 (see DIVERGENCE_PATIENCE), if it did. */
  diverged_at?: number;
  /** Wall time per pass, in ms. */
  ms_per_pass: number;
}

export interface TrainingResult<P> extends TrainingHistory {
  /** The trained parameters (a copy: the ones passed in are unchanged). */
  parameters: P;
}

/** Passes in a row the loss must stay above 2 × its first value + 1 to count as diverging. */
export const DIVERGENCE_PATIENCE = 25;

/**
 * Watches the training loss pass after pass and says when to stop: NaN or
 * Infinity, or a divergence. The loss is bounded (the +1e-16 in the logs),
 * so a diverging descent shows as a loss that stays far above where it
 * started, not as NaN. Short spikes that come back down are normal with a
 * large ε: only DIVERGENCE_PATIENCE passes in a row above the limit count.
 */
export class LossWatch {
  diverged_at: number | undefined;
  private first: number | undefined;
  private above = 0;

  constructor(
    private readonly what: string,
    private readonly epsilon: number,
    private readonly n: number,
    private readonly options: { continue_on_divergence?: boolean; quiet?: boolean } = {},
    /** The hand-written gradients sum over N; autograd's of a mean loss do not. */
    private readonly gradientIsSum = true,
  ) {}

  /** Why training must stop after this pass's loss, or undefined to go on. */
  check(pass: number, loss: number): string | undefined {
    const { what, epsilon } = this;
    if (!Number.isFinite(loss)) {
      return `${what}: the loss became ${loss} at pass ${pass}; training stopped, the history so far is kept. The learning rate ε = ${epsilon} is probably too large for this data${this.gradientIsSum ? " (the gradient is a sum over the N samples)" : ""}: try a smaller one.`;
    }
    this.first ??= loss;
    const limit = 2 * this.first + 1;
    this.above = loss > limit ? this.above + 1 : 0;
    if (this.diverged_at !== undefined || this.above < DIVERGENCE_PATIENCE) return undefined;
    this.diverged_at = pass - DIVERGENCE_PATIENCE + 1;
    const why = `${what}: the loss rose from ${this.first.toFixed(4)} above ${limit.toFixed(4)} at pass ${this.diverged_at} and stayed there for ${DIVERGENCE_PATIENCE} passes: the descent diverges. The learning rate ε = ${epsilon} is too large${this.gradientIsSum ? ` for N = ${this.n} samples (the gradient is a sum over N, so the step grows with N)` : ""}: try ε = ${(epsilon / 10).toExponential(0)} or smaller.`;
    if (!this.options.continue_on_divergence) return `${why} Training stopped; the history so far is kept.`;
    if (!this.options.quiet) console.warn(`${why} (continuing, as asked)`);
    return undefined;
  }
}

/** The arguments every training loop checks first (row counts, so tensors fit too). */
export function checkTrainingArgs(what: string, xRows: number, yRows: number, num_passes: number, epsilon: number): void {
  if (xRows !== yRows) throw new RangeError(`${what}: x has ${xRows} rows but y has ${yRows}; each sample needs its label`);
  if (!Number.isInteger(num_passes) || num_passes < 0) throw new RangeError(`${what}: num_passes must be a non-negative integer, got ${num_passes}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`${what}: epsilon (the learning rate) must be a positive number, got ${epsilon}`);
}

/** Runs `num_passes` passes of batch gradient descent on `network`. */
export function gradient_descent<P>(
  network: Network<P>,
  x_train: Matrix,
  y_train: Matrix,
  parameters: P,
  num_passes: number,
  epsilon: number,
  options: GradientDescentOptions = {},
  what = "gradient_descent",
): TrainingResult<P> {
  checkTrainingArgs(what, x_train.rows, y_train.rows, num_passes, epsilon);
  const { x_test, y_test } = options;
  if ((x_test === undefined) !== (y_test === undefined)) throw new TypeError(`${what}: give both x_test and y_test, or neither`);
  if (x_test && y_test && x_test.rows !== y_test.rows) throw new RangeError(`${what}: x_test has ${x_test.rows} rows but y_test has ${y_test.rows}`);
  // The data stays unchanged during the loop: kernels may keep a sparse copy of it.
  return withConstant([x_train, y_train, x_test, y_test], () => descend(network, x_train, y_train, parameters, num_passes, epsilon, options, what));
}

function descend<P>(
  network: Network<P>, x_train: Matrix, y_train: Matrix, parameters: P,
  num_passes: number, epsilon: number, options: GradientDescentOptions, what: string,
): TrainingResult<P> {
  const { x_test, y_test } = options;
  const p = network.copy(parameters);
  const tensors = network.tensors(p);
  const train_loss: number[] = [];
  const test_loss: number[] = [];
  let stopped: string | undefined;
  const watch = new LossWatch(what, epsilon, x_train.rows, options);
  let passes = 0;
  const started = performance.now();
  for (let i = 0; i < num_passes; i++) {
    const y_hat = network.predict(x_train, p);
    const loss = evaluate_loss(y_train, y_hat);
    train_loss.push(loss);
    const tl = x_test && y_test ? evaluate_loss(y_test, network.predict(x_test, p)) : undefined;
    if (tl !== undefined) test_loss.push(tl);
    options.onPass?.({ pass: i, num_passes, train_loss: loss, test_loss: tl });
    const verdict = watch.check(i, loss);
    if (verdict) {
      stopped = verdict;
      break;
    }
    const grads = network.derivatives(x_train, y_train, y_hat, p);
    tensors.forEach((t, k) => subScaledInPlace(t, grads[k], epsilon));
    passes++;
    if (!tensors.every(allFinite)) {
      stopped = `${what}: the parameters became NaN or infinite at pass ${i}; training stopped, the history so far is kept. The learning rate ε = ${epsilon} is too large for this data: try a smaller one.`;
      break;
    }
  }
  if (stopped && !options.quiet) console.warn(stopped);
  const ms_per_pass = train_loss.length === 0 ? 0 : (performance.now() - started) / train_loss.length;
  return { parameters: p, train_loss, test_loss, passes, stopped, diverged_at: watch.diverged_at, ms_per_pass };
}
