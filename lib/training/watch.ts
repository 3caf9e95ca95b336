/**
 * Watching a descent: the loss of each pass says when training diverges or
 * breaks (NaN, Infinity). Derived from the losses alone, so it works on any
 * loop that returns them, the student's included.
 */

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

/** The pass from which `losses` diverge (see LossWatch), or undefined. */
export function divergedAt(losses: readonly number[]): number | undefined {
  const watch = new LossWatch("", 1, 1, { continue_on_divergence: true, quiet: true });
  losses.forEach((l, i) => watch.check(i, l));
  return watch.diverged_at;
}
