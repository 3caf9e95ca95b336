/**
 * Watching a descent: the loss of each pass says when training diverges or
 * breaks (NaN, Infinity). Derived from the losses alone, so it works on any
 * loop that returns them, the student's included.
 */

import { typeset } from "../text/french";

/** The language of the messages: French in the notebooks (the default), English for the command line. */
export type Language = "fr" | "en";

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
    private readonly options: { continue_on_divergence?: boolean; quiet?: boolean; language?: Language } = {},
    /** The hand-written gradients sum over N; autograd's of a mean loss do not. */
    private readonly gradientIsSum = true,
  ) {}

  /** Why training must stop after this pass's loss, or undefined to go on. */
  check(pass: number, loss: number): string | undefined {
    const { what, epsilon, n, gradientIsSum } = this;
    const fr = (this.options.language ?? "fr") === "fr";
    const dec = (v: number, digits: number) => (fr ? v.toFixed(digits).replace(".", ",") : v.toFixed(digits));
    if (!Number.isFinite(loss)) {
      return fr
        ? typeset(`${what} : la perte vaut ${loss} à l'itération ${pass} ; l'apprentissage s'arrête, l'historique jusque-là est gardé. Le pas ε = ${epsilon} est sans doute trop grand pour ces données${gradientIsSum ? " (le gradient est une somme sur les N exemples)" : ""} : essayez-en un plus petit.`)
        : `${what}: the loss became ${loss} at pass ${pass}; training stopped, the history so far is kept. The learning rate ε = ${epsilon} is probably too large for this data${gradientIsSum ? " (the gradient is a sum over the N samples)" : ""}: try a smaller one.`;
    }
    this.first ??= loss;
    const limit = 2 * this.first + 1;
    this.above = loss > limit ? this.above + 1 : 0;
    if (this.diverged_at !== undefined || this.above < DIVERGENCE_PATIENCE) return undefined;
    this.diverged_at = pass - DIVERGENCE_PATIENCE + 1;
    const smaller = (epsilon / 10).toExponential(0);
    const why = fr
      ? `${what} : la perte est passée de ${dec(this.first, 4)} au-dessus de ${dec(limit, 4)} à l'itération ${this.diverged_at} et y est restée ${DIVERGENCE_PATIENCE} itérations : la descente diverge. Le pas ε = ${epsilon} est trop grand${gradientIsSum ? ` pour N = ${n} exemples (le gradient est une somme sur N, le pas grandit avec N)` : ""} : essayez ε = ${smaller} ou moins.`
      : `${what}: the loss rose from ${dec(this.first, 4)} above ${dec(limit, 4)} at pass ${this.diverged_at} and stayed there for ${DIVERGENCE_PATIENCE} passes: the descent diverges. The learning rate ε = ${epsilon} is too large${gradientIsSum ? ` for N = ${n} samples (the gradient is a sum over N, so the step grows with N)` : ""}: try ε = ${smaller} or smaller.`;
    const stop = fr ? " L'apprentissage s'arrête ; l'historique jusque-là est gardé." : " Training stopped; the history so far is kept.";
    const goOn = fr ? " (on continue, comme demandé)" : " (continuing, as asked)";
    if (!this.options.continue_on_divergence) return fr ? typeset(why + stop) : why + stop;
    if (!this.options.quiet) console.warn(fr ? typeset(why + goOn) : why + goOn);
    return undefined;
  }
}

/** The pass from which `losses` diverge (see LossWatch), or undefined. */
export function divergedAt(losses: readonly number[]): number | undefined {
  const watch = new LossWatch("", 1, 1, { continue_on_divergence: true, quiet: true });
  losses.forEach((l, i) => watch.check(i, l));
  return watch.diverged_at;
}
