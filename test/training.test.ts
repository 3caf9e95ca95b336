import { strict as assert } from "node:assert";
import { Matrix, Random, map, mul, nativeKernels, nativeUnavailable, referenceKernels, setKernels } from "../lib/array";
import type { Kernels } from "../lib/array";
import { constantProductsComputed } from "../lib/array/native";
import { load_data } from "../lib/data";
import {
  init_one_layer_nn, gradient_descent_one_layer_nn, init_two_layers_nn, predict_two_layers_nn, partial_derivative_two_layers_nn,
  gradient_descent_two_layers_nn,
} from "../lib/nn";
import type { OneLayerParameters, TwoLayersParameters } from "../lib/nn";
import { categorical_cross_entropy, numericGradient, relativeError } from "../lib/metrics";
import { train, LossWatch, DIVERGENCE_PATIENCE, divergedAt } from "../lib/training";
import type { DescentStep, PassInfo } from "../lib/training";

function using<T>(k: Kernels, f: () => T): T {
  const previous = setKernels(k);
  try {
    return f();
  } finally {
    setKernels(previous);
  }
}

/** A toy data set: N samples of D features, K one-hot classes. */
function toyData(seed: number, N: number, D: number, K: number): { x: Matrix; y: Matrix } {
  const rng = new Random(seed);
  const x = rng.randn(N, D);
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, (i * 5) % K, 1);
  return { x, y };
}

/** A fake descent that returns the given losses, one per pass; its "parameters" count the passes done. */
function scripted(losses: readonly number[], tests?: readonly number[]): { step: DescentStep<number>; calls: number[] } {
  const calls: number[] = [];
  const step: DescentStep<number> = (p, n) => {
    calls.push(n);
    return [p + n, losses.slice(p, p + n), tests ? tests.slice(p, p + n) : []];
  };
  return { step, calls };
}

/** Captures console.warn while `f` runs. */
function warnings<T>(f: () => T): [T, string[]] {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { seen.push(args.map(String).join(" ")); };
  try {
    return [f(), seen];
  } finally {
    console.warn = warn;
  }
}

describe("train(): the handout's descent, slice by slice", function () {
  this.timeout(600000);

  describe("slices give what one call gives", () => {
    const { x, y } = toyData(3, 40, 12, 3);
    const { x: xt, y: yt } = toyData(4, 15, 12, 3);

    it("one layer: the same losses, test losses and parameters as one call, whatever the slice", () => {
      const p0 = init_one_layer_nn(12, 3, 1);
      const [want, losses, tests] = gradient_descent_one_layer_nn(x, y, p0, 23, 1e-2, xt, yt);
      const step: DescentStep<OneLayerParameters> = (p, n) => gradient_descent_one_layer_nn(x, y, p, n, 1e-2, xt, yt);
      for (const slice of [undefined, 1, 4, 7, 23, 100]) {
        const r = train(step, p0, 23, { epsilon: 1e-2, n: x.rows, slice, quiet: true });
        assert.deepEqual(r.train_loss, losses, `slice ${slice}`);
        assert.deepEqual(r.test_loss, tests, `slice ${slice}`);
        assert.deepEqual([r.parameters.W.data, r.parameters.b.data], [want.W.data, want.b.data], `slice ${slice}`);
        assert.equal(r.passes, 23);
        assert.equal(r.stopped, undefined);
        assert.equal(r.diverged_at, undefined);
        assert.ok(r.ms_per_pass >= 0 && Number.isFinite(r.ms_per_pass));
      }
      assert.deepEqual(p0, init_one_layer_nn(12, 3, 1), "the initial parameters are not changed");
    });

    it("two layers, on the shipped (read-only) data: the same history as one call", () => {
      const d = load_data();
      const p0 = init_two_layers_nn(784, 10, 3, 0);
      const [want, losses, tests] = gradient_descent_two_layers_nn(d.x_train, d.y_train, p0, 10, 12, 1e-3, d.x_test, d.y_test);
      const step: DescentStep<TwoLayersParameters> = (p, n) => gradient_descent_two_layers_nn(d.x_train, d.y_train, p, 10, n, 1e-3, d.x_test, d.y_test);
      for (const slice of [1, 5]) {
        const r = train(step, p0, 12, { epsilon: 1e-3, n: d.x_train.rows, slice, what: "gradient_descent_two_layers_nn" });
        assert.deepEqual(r.train_loss, losses, `slice ${slice}`);
        assert.deepEqual(r.test_loss, tests, `slice ${slice}`);
        (["W1", "b1", "W2", "b2"] as const).forEach((k) => assert.deepEqual(r.parameters[k].data, want[k].data, `slice ${slice}: ${k}`));
        assert.equal(r.passes, 12);
      }
    });

    it("calls the step with the passes left, and reports every pass in order", () => {
      const losses = [5, 4, 3, 2.5, 2, 1.5, 1.2, 1.1, 1, 0.9], tests = losses.map((l) => l + 0.5);
      const { step, calls } = scripted(losses, tests);
      const seen: PassInfo[] = [];
      const r = train(step, 0, 10, { epsilon: 0.1, n: 100, slice: 4, onPass: (info) => seen.push(info) });
      assert.deepEqual(calls, [4, 4, 2]);
      assert.equal(r.parameters, 10, "each slice starts from the parameters the previous one returned");
      assert.deepEqual(seen, losses.map((l, pass) => ({ pass, num_passes: 10, train_loss: l, test_loss: l + 0.5 })));
      assert.deepEqual([r.train_loss, r.test_loss, r.passes], [losses, tests, 10]);
      // Without test data, no test loss.
      const plain = scripted(losses);
      const q = train(plain.step, 0, 10, { epsilon: 0.1, n: 100, slice: 3, onPass: (info) => assert.equal(info.test_loss, undefined) });
      assert.deepEqual([q.test_loss, plain.calls], [[], [3, 3, 3, 1]]);
      // A slice larger than the run, a slice below 1.
      const big = scripted(losses);
      train(big.step, 0, 6, { epsilon: 0.1, n: 100, slice: 50 });
      assert.deepEqual(big.calls, [6]);
      const tiny = scripted(losses);
      train(tiny.step, 0, 3, { epsilon: 0.1, n: 100, slice: 0.3 });
      assert.deepEqual(tiny.calls, [1, 1, 1]);
      // No pass: the step is not called, the parameters come back as they were.
      const none = scripted(losses);
      const z = train(none.step, 7, 0, { epsilon: 0.1, n: 100 });
      assert.deepEqual([none.calls, z.parameters, z.train_loss, z.passes, z.ms_per_pass, z.stopped], [[], 7, [], 0, 0, undefined]);
    });
  });

  describe("stops a descent that diverges or breaks, with the old messages", () => {
    it("stops with a message, keeping the history, when the parameters blow up (NaN)", () => {
      const { x, y } = toyData(5, 6, 4, 3);
      const big = mul(x, 1e200);
      const step: DescentStep<OneLayerParameters> = (p, n) => gradient_descent_one_layer_nn(big, y, p, n, 1e300);
      const r = train(step, init_one_layer_nn(4, 3, 2), 50, { epsilon: 1e300, n: 6, quiet: true, what: "gradient_descent_one_layer_nn", language: "en" });
      assert.ok(r.stopped && /^gradient_descent_one_layer_nn: the loss became NaN at pass \d+; training stopped, the history so far is kept\. The learning rate ε = 1e\+300 is probably too large for this data \(the gradient is a sum over the N samples\)/.test(r.stopped), r.stopped);
      assert.ok(r.train_loss.length >= 1 && r.train_loss.length < 50);
      assert.ok(Number.isNaN(r.train_loss[r.train_loss.length - 1]), "the NaN is the last loss kept");
      assert.equal(r.passes, r.train_loss.length);
    });

    it("stops at the first non-finite loss, even in the middle of a slice, and says so unless quiet", () => {
      const { step, calls } = scripted([1, 0.9, 0.8, Infinity, 0.7, 0.6, 0.5, 0.4]);
      const [r, said] = warnings(() => train(step, 0, 8, { epsilon: 0.5, n: 10, slice: 5, what: "my_descent", language: "en" }));
      assert.deepEqual(calls, [5]);
      assert.deepEqual(r.train_loss, [1, 0.9, 0.8, Infinity]);
      assert.equal(r.passes, 4);
      assert.ok(r.stopped?.startsWith("my_descent: the loss became Infinity at pass 3;"), r.stopped);
      assert.deepEqual(said, [r.stopped]);
      const quiet = warnings(() => train(scripted([NaN]).step, 0, 3, { epsilon: 0.5, n: 10, quiet: true, language: "en" }));
      assert.deepEqual(quiet[1], []);
      assert.ok(quiet[0].stopped?.startsWith("gradient_descent: the loss became NaN at pass 0;"));
    });

    it("counts a divergence only after DIVERGENCE_PATIENCE passes above 2 × the first loss + 1", () => {
      assert.equal(DIVERGENCE_PATIENCE, 25);
      // Loss 1 then 3.5 (above 2·1 + 1 = 3) for 24 passes, back to 2, then up for good.
      const losses = [1, ...Array(24).fill(3.5), 2, ...Array(40).fill(4)];
      const { step } = scripted(losses);
      const r = train(step, 0, losses.length, { epsilon: 0.01, n: 500, quiet: true, language: "en" });
      assert.equal(r.diverged_at, 26);
      assert.equal(r.train_loss.length, 26 + DIVERGENCE_PATIENCE);
      assert.ok(r.stopped && /the loss rose from 1\.0000 above 3\.0000 at pass 26 and stayed there for 25 passes: the descent diverges\. The learning rate ε = 0\.01 is too large for N = 500 samples \(the gradient is a sum over N, so the step grows with N\): try ε = 1e-3 or smaller\. Training stopped; the history so far is kept\.$/.test(r.stopped), r.stopped);
      assert.equal(divergedAt(losses), 26);
      // continue_on_divergence: the run goes on, the divergence is still recorded (and said unless quiet).
      const [all, said] = warnings(() => train(scripted(losses).step, 0, losses.length, { epsilon: 0.01, n: 500, continue_on_divergence: true, language: "en" }));
      assert.deepEqual([all.stopped, all.diverged_at, all.passes], [undefined, 26, losses.length]);
      assert.equal(said.length, 1);
      assert.ok(said[0].endsWith("(continuing, as asked)"), said[0]);
      // Autograd's mean loss: the advice does not blame N.
      const mean = train(scripted(losses).step, 0, losses.length, { epsilon: 0.01, n: 500, quiet: true, gradientIsSum: false, language: "en" });
      assert.ok(mean.stopped && !/N = 500/.test(mean.stopped) && /ε = 0\.01 is too large: try ε = 1e-3 or smaller/.test(mean.stopped), mean.stopped);
      // LossWatch is the same watch, pass by pass.
      const watch = new LossWatch("w", 0.01, 500);
      const verdicts = losses.map((l, i) => watch.check(i, l));
      assert.equal(verdicts.findIndex((v) => v !== undefined), 26 + DIVERGENCE_PATIENCE - 1);
      assert.equal(watch.diverged_at, 26);
    });
  });

  it("speaks French in the notebooks (the default), typeset, with decimal commas", () => {
    const losses = [1, ...Array(24).fill(3.5), 2, ...Array(40).fill(4)];
    const r = train(scripted(losses).step, 0, losses.length, { epsilon: 0.01, n: 500, quiet: true, what: "ma_descente" });
    assert.equal(r.stopped, "ma_descente\u00a0: la perte est passée de 1,0000 au-dessus de 3,0000 à l'itération 26 et y est restée 25 itérations\u00a0: la descente diverge. Le pas ε = 0.01 est trop grand pour N = 500 exemples (le gradient est une somme sur N, le pas grandit avec N)\u00a0: essayez ε = 1e-3 ou moins. L'apprentissage s'arrête\u202f; l'historique jusque-là est gardé.");
    const nan = train(scripted([NaN]).step, 0, 3, { epsilon: 0.5, n: 10, quiet: true });
    assert.match(nan.stopped ?? "", /^gradient_descent\u00a0: la perte vaut NaN à l'itération 0\u202f; l'apprentissage s'arrête/);
    assert.throws(() => train(scripted([1]).step, 0, -1, { epsilon: 0.5, n: 10 }), /num_passes doit être un entier positif ou nul, pas -1/);
  });

  describe("a step that does not keep the handout's contract gets a clear error", () => {
    const opts = { epsilon: 0.1, n: 10, quiet: true };

    it("the wrong number of losses", () => {
      const short: DescentStep<number> = (p, n) => [p + n, Array(n - 1).fill(1), []];
      assert.throws(() => train(short, 0, 10, { ...opts, slice: 5 }), (e: unknown) =>
        e instanceof RangeError && e.message === "gradient_descent: asked for 5 passes, it returned 4 losses (one loss per pass, before each update)");
      const long: DescentStep<number> = (p, n) => [p + n, Array(n + 2).fill(1), []];
      assert.throws(() => train(long, 0, 3, { ...opts, what: "gradient_descent_two_layers_nn" }), /^RangeError: gradient_descent_two_layers_nn: asked for 1 passes, it returned 3 losses/);
      // The handout's own function, given a wrong num_passes by a wrapper that ignores n.
      const { x, y } = toyData(6, 8, 4, 3);
      const fixed: DescentStep<OneLayerParameters> = (p) => gradient_descent_one_layer_nn(x, y, p, 200, 1e-3);
      assert.throws(() => train(fixed, init_one_layer_nn(4, 3, 0), 10, { ...opts, slice: 2 }), /asked for 2 passes, it returned 200 losses/);
    });

    it("not a [parameters, losses, test_losses] tuple", () => {
      const cases: [unknown, string][] = [
        [{ parameters: 1, train_loss: [1], test_loss: [] }, "object"],
        [undefined, "undefined"],
        [null, "null"],
        [[1], "an array of 1"],
        [[1, 2, 3], "an array of 3"],
        [0.5, "number"],
      ];
      for (const [out, described] of cases) {
        const step = (() => out) as unknown as DescentStep<number>;
        assert.throws(() => train(step, 0, 3, opts), (e: unknown) =>
          e instanceof TypeError && e.message === `gradient_descent must return [parameters, losses, test_losses]; it returned ${described}`, described);
      }
    });

    it("a num_passes that is not a whole number", () => {
      const { step, calls } = scripted([1, 1, 1]);
      assert.throws(() => train(step, 0, 2.5, opts), /^RangeError: gradient_descent\u00a0: num_passes doit être un entier positif ou nul, pas 2\.5$/);
      assert.throws(() => train(step, 0, -1, { ...opts, what: "gradient_descent_one_layer_nn", language: "en" }), /gradient_descent_one_layer_nn: num_passes must be a non-negative integer, got -1/);
      assert.deepEqual(calls, []);
    });
  });
});

describe("the native kernels' memory of a repeated X·W (lib/array/native.ts)", function () {
  this.timeout(600000);
  let start = 0;
  /** Sparse products computed since the test began (lib/array/native.ts counts them; remembered ones are not). */
  const count = () => constantProductsComputed() - start;

  before(function () {
    if (!nativeKernels) {
      console.warn(`    native kernels not built, skipped: ${nativeUnavailable()}`);
      this.skip();
    }
  });
  beforeEach(() => (start = constantProductsComputed()));

  const native = () => nativeKernels!;
  const reference = (x: Matrix, w: Matrix) => using(referenceKernels, () => x.dot(w));
  const near = (got: Matrix, want: Matrix, what: string) => {
    assert.deepEqual(got.shape, want.shape, what);
    let worst = 0, scale = 1;
    for (let i = 0; i < want.size; i++) { worst = Math.max(worst, Math.abs(got.data[i] - want.data[i])); scale = Math.max(scale, Math.abs(want.data[i])); }
    assert.ok(worst / scale < 1e-13, `${what}: error ${worst / scale}`);
  };
  const sparse = (rng: Random, r: number, c: number) => map(rng.randn(r, c), (v) => (v > 0.6 ? v : 0));

  it("answers the same product again from memory, with correct values, and sees W change in place through .data", () => {
    const rng = new Random(17);
    const x = sparse(rng, 200, 60).freeze();
    const w = rng.randn(60, 8);
    using(native(), () => {
      const first = x.dot(w);
      near(first, reference(x, w), "first X·W");
      assert.equal(count(), 1);
      const again = x.dot(w);
      assert.equal(count(), 1, "the same W: answered from memory");
      assert.deepEqual(again.data, first.data);
      assert.notEqual(again.data, first.data, "a fresh matrix each time");
      first.data.fill(-1); // the caller's result is its own: the memory is not changed through it
      assert.deepEqual(x.dot(w).data, again.data);
      // W changed in place, one value, through .data: computed again.
      w.data[13] += 0.25;
      const changed = x.dot(w);
      assert.equal(count(), 2);
      near(changed, reference(x, w), "X·W after W.data[13] += 0.25");
      assert.notDeepEqual(changed.data, again.data);
      assert.deepEqual(x.dot(w).data, changed.data);
      assert.equal(count(), 2, "asked again with the same W: from memory");
      // Back to the old values: computed again (only the last product is kept), same numbers as at first.
      w.data[13] -= 0.25;
      near(x.dot(w), reference(x, w), "W restored");
      assert.equal(count(), 3);
      // Another matrix with the same values is the same W.
      near(x.dot(w.copy()), reference(x, w), "a copy of W");
      assert.equal(count(), 3);
      // The smallest change: the last bit of one weight.
      const bit = w.copy();
      bit.data[0] = bit.data[0] * (1 + Number.EPSILON);
      assert.notEqual(bit.data[0], w.data[0]);
      near(x.dot(bit), reference(x, bit), "one weight off by one ulp");
      assert.equal(count(), 4);
      // Other shapes of W are other products.
      const wide = rng.randn(60, 9);
      near(x.dot(wide), reference(x, wide), "W of another shape");
      assert.equal(count(), 5);
      // Every write pattern: W overwritten whole, and in place by the descent's update.
      for (let pass = 0; pass < 5; pass++) {
        w.data.set(rng.randn(60, 8).data);
        near(x.dot(w), reference(x, w), `W overwritten, pass ${pass}`);
        const grad = rng.randn(60, 8);
        for (let i = 0; i < w.size; i++) w.data[i] -= 1e-3 * grad.data[i];
        near(x.dot(w), reference(x, w), `W -= ε·dW in place, pass ${pass}`);
        near(x.dot(w), reference(x, w), `the same W again, pass ${pass}`);
      }
    });
  });

  it("finite differences through .data writes to W1 see every change (the gradient check is right)", () => {
    const rng = new Random(19);
    const N = 30, D = 20, Q = 4, K = 3;
    const x = sparse(rng, N, D).freeze();
    const y = new Matrix(N, K);
    for (let i = 0; i < N; i++) y.set(i, i % K, 1);
    const p: TwoLayersParameters = { W1: mul(rng.randn(D, Q), 0.7), b1: mul(rng.randn(1, Q), 0.3), W2: mul(rng.randn(Q, K), 0.7), b2: mul(rng.randn(1, K), 0.3) };
    using(native(), () => {
      const [dW1] = partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p);
      // numericGradient writes W1.data[i] ± h, predicts, and restores it: every X·W1 has another W1.
      const numeric = numericGradient(() => categorical_cross_entropy(y, predict_two_layers_nn(x, p)), p.W1);
      const err = relativeError(dW1, mul(numeric, N));
      assert.ok(err < 1e-7, `dW1: relative error ${err}`);
      const want = using(referenceKernels, () => partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p));
      const got = partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p);
      got.forEach((g, k) => assert.ok(relativeError(g, want[k]) < 1e-12, `gradient ${k}`));
    });
  });

  it("a descent pass on read-only X computes X·W1 once: the derivative's X·W1 comes from memory", () => {
    const d = load_data();
    const p0 = init_two_layers_nn(784, 10, 3, 0);
    const [fast, fastLosses] = using(native(), () => gradient_descent_two_layers_nn(d.x_train, d.y_train, p0, 10, 3, 1e-3));
    // Per pass: X·W1 (predict) and Xᵀ·δ2 on X's sparse copy; the second X·W1 is remembered.
    assert.equal(count(), 3 * 2);
    const [slow, slowLosses] = using(referenceKernels, () => gradient_descent_two_layers_nn(d.x_train, d.y_train, p0, 10, 3, 1e-3));
    slowLosses.forEach((l, i) => assert.ok(Math.abs(fastLosses[i] - l) <= 1e-12 * l, `loss ${i}`));
    (["W1", "b1", "W2", "b2"] as const).forEach((k) => assert.ok(relativeError(fast[k], slow[k]) < 1e-12, k));
  });
});
