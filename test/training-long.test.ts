/**
 * train() on real data, slow (left out of npm run test:unit): the handout's
 * divergence of ε = 1e-3 on the full set, and a transient spike on the
 * shipped data that is not one. test/training.test.ts has the fast ones.
 */
import { strict as assert } from "node:assert";
import { load_data, DATA_DIR } from "../lib/data";
import { init_two_layers_nn, gradient_descent_two_layers_nn } from "../lib/nn";
import type { TwoLayersParameters } from "../lib/nn";
import { train, DIVERGENCE_PATIENCE, divergedAt } from "../lib/training";
import type { DescentStep } from "../lib/training";

describe("train(): the handout's descent on real data (slow)", function () {
  this.timeout(300000);

  describe("stops a descent that diverges, not one that spikes", () => {
    it("reports the divergence of ε = 1e-3 on the full set (18 858 images) instead of plotting garbage", () => {
      const d = load_data(DATA_DIR, "digit 3 classes full");
      const step: DescentStep<TwoLayersParameters> = (p, n) => gradient_descent_two_layers_nn(d.x_train, d.y_train, p, 10, n, 1e-3);
      const r = train(step, init_two_layers_nn(784, 10, 3, 0), 60, { epsilon: 1e-3, n: d.x_train.rows, quiet: true, what: "gradient_descent_two_layers_nn", language: "en" });
      assert.ok(r.stopped && /^gradient_descent_two_layers_nn: the loss rose from .* the descent diverges.*N = 18858.*Training stopped; the history so far is kept\.$/.test(r.stopped), r.stopped);
      assert.ok(r.diverged_at !== undefined && r.diverged_at < 10);
      assert.equal(r.train_loss.length, r.diverged_at + DIVERGENCE_PATIENCE, "the history up to the divergence is kept");
      assert.equal(r.passes, r.train_loss.length);
      assert.equal(divergedAt(r.train_loss), r.diverged_at, "divergedAt finds it from the losses alone");
      const smallStep: DescentStep<TwoLayersParameters> = (p, n) => gradient_descent_two_layers_nn(d.x_train, d.y_train, p, 10, n, 1e-5);
      const small = train(smallStep, init_two_layers_nn(784, 10, 3, 0), 20, { epsilon: 1e-5, n: d.x_train.rows, quiet: true, slice: 5 });
      assert.equal(small.stopped, undefined, "a smaller ε converges");
      assert.ok(small.train_loss[19] < small.train_loss[0]);
    });

    it("does not call a transient spike a divergence (Q = 100, ε = 1e-3 on the shipped data)", () => {
      const d = load_data();
      const step: DescentStep<TwoLayersParameters> = (p, n) => gradient_descent_two_layers_nn(d.x_train, d.y_train, p, 100, n, 1e-3);
      const r = train(step, init_two_layers_nn(784, 100, 3, 0), 80, { epsilon: 1e-3, n: d.x_train.rows, quiet: true, slice: 10 });
      assert.equal(r.stopped, undefined);
      assert.equal(r.passes, 80);
      assert.ok(Math.max(...r.train_loss) > 2 * r.train_loss[0] + 1, "this run has a spike");
      assert.ok(r.train_loss[79] < 0.5);
    });
  });
});
