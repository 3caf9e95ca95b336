import { strict as assert } from "node:assert";
import { Matrix, Random, mul, setKernels, kernels } from "../lib/array";
import type { Kernels } from "../lib/array";
import { load_data, DATA_DIR } from "../lib/data";
import {
  categorical_cross_entropy, accuracy, numericGradient, relativeError,
  DIVERGENCE_PATIENCE, init_two_layers_nn, predict_two_layers_nn, partial_derivative_two_layers_nn, gradient_descent_two_layers_nn,
} from "../lib/nn";
import type { TwoLayersParameters } from "../lib/nn";

describe("part 2: the two-layer network", () => {
  const rng = new Random(11);
  const N = 7, D = 5, Q = 4, K = 3;
  const x = rng.randn(N, D);
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, (i * 2) % K, 1);

  it("has the handout's shapes and parameter count", () => {
    const p = init_two_layers_nn(784, 10, 3, 0);
    assert.deepEqual([p.W1.shape, p.b1.shape, p.W2.shape, p.b2.shape], [[784, 10], [1, 10], [10, 3], [1, 3]]);
    assert.equal(p.W1.size + p.b1.size + p.W2.size + p.b2.size, 7883);
    const q = init_two_layers_nn(D, Q, K, 1);
    const y_hat = predict_two_layers_nn(x, q);
    assert.deepEqual(y_hat.shape, [N, K]);
    const grads = partial_derivative_two_layers_nn(x, y, y_hat, q);
    assert.deepEqual(grads.map((g) => g.shape), [[D, Q], [1, Q], [Q, K], [1, K]]);
    assert.throws(() => predict_two_layers_nn(x, { ...q, W2: new Matrix(3, K) }), /W2 has 3 rows but must have Q = 4/);
  });

  it("its four gradients are N × the categorical cross-entropy's (finite differences)", () => {
    const p: TwoLayersParameters = { W1: mul(rng.randn(D, Q), 0.7), b1: mul(rng.randn(1, Q), 0.3), W2: mul(rng.randn(Q, K), 0.7), b2: mul(rng.randn(1, K), 0.3) };
    const grads = partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p);
    const ce = () => categorical_cross_entropy(y, predict_two_layers_nn(x, p));
    [p.W1, p.b1, p.W2, p.b2].forEach((m, k) => {
      const err = relativeError(grads[k], mul(numericGradient(ce, m), N));
      assert.ok(err < 1e-7, `gradient ${["dW1", "db1", "dW2", "db2"][k]}: relative error ${err}`);
    });
  });

  it("reuses the forward pass's activations instead of recomputing them", () => {
    const p = init_two_layers_nn(D, Q, K, 3);
    const y_hat = predict_two_layers_nn(x, p);
    const inner = kernels();
    let products = 0;
    const counting: Kernels = { ...inner, gemm: (...args) => { products++; inner.gemm(...args); } };
    const previous = setKernels(counting);
    try {
      const reused = partial_derivative_two_layers_nn(x, y, y_hat, p);
      assert.equal(products, 3, "δ3·W2ᵀ, Xᵀ·δ2 and A1ᵀ·δ3 only");
      products = 0;
      const recomputed = partial_derivative_two_layers_nn(x, y, y_hat.clone(), p); // not from predict: forward again
      assert.equal(products, 4);
      reused.forEach((g, k) => assert.deepEqual(g.data, recomputed[k].data));
    } finally {
      setKernels(previous);
    }
  });

  it("trains on the shipped data: the loss falls and the test accuracy exceeds 0.95", function () {
    this.timeout(60000);
    const d = load_data();
    const r = gradient_descent_two_layers_nn(d.x_train, d.y_train, null, 10, 100, 1e-3, { x_test: d.x_test, y_test: d.y_test });
    assert.equal(r.stopped, undefined);
    assert.equal(r.train_loss.length, 100);
    assert.ok(r.train_loss[99] < 0.1 * r.train_loss[0]);
    assert.ok(accuracy(d.y_test, predict_two_layers_nn(d.x_test, r.parameters)) > 0.95);
  });

  it("reports the divergence of ε = 1e-3 on the full set (18 858 images) instead of plotting garbage", function () {
    this.timeout(120000);
    const d = load_data(DATA_DIR, "digit 3 classes full");
    const r = gradient_descent_two_layers_nn(d.x_train, d.y_train, null, 10, 60, 1e-3, { quiet: true });
    assert.ok(r.stopped && /the descent diverges.*N = 18858/.test(r.stopped), r.stopped);
    assert.ok(r.diverged_at !== undefined && r.diverged_at < 10);
    assert.equal(r.train_loss.length, r.diverged_at + DIVERGENCE_PATIENCE, "the history up to the divergence is kept");
    const small = gradient_descent_two_layers_nn(d.x_train, d.y_train, null, 10, 20, 1e-5, { quiet: true });
    assert.equal(small.stopped, undefined, "a smaller ε converges");
    assert.ok(small.train_loss[19] < small.train_loss[0]);
  });

  it("does not call a transient spike a divergence (Q = 100, ε = 1e-3 on the shipped data)", function () {
    this.timeout(60000);
    const d = load_data();
    const r = gradient_descent_two_layers_nn(d.x_train, d.y_train, null, 100, 80, 1e-3, { quiet: true });
    assert.equal(r.stopped, undefined);
    assert.ok(Math.max(...r.train_loss) > 2 * r.train_loss[0] + 1, "this run has a spike");
    assert.ok(r.train_loss[79] < 0.5);
  });

  it("checks hidden_dim against the given parameters", () => {
    assert.throws(() => gradient_descent_two_layers_nn(x, y, init_two_layers_nn(D, Q, K), 10, 1), /hidden_dim = 10 but W1 is \(5, 4\)/);
  });
});
