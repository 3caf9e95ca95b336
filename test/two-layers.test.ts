import { strict as assert } from "node:assert";
import { Matrix, Random, mul, setKernels, kernels, referenceKernels } from "../lib/array";
import type { Kernels } from "../lib/array";
import { load_data } from "../lib/data";
import {
  accuracy, evaluate_loss,
  init_two_layers_nn, predict_two_layers_nn, partial_derivative_two_layers_nn, gradient_descent_two_layers_nn,
} from "../lib/nn";
import type { TwoLayersParameters } from "../lib/nn";
import { categorical_cross_entropy, numericGradient, relativeError } from "../lib/metrics";
import { divergedAt } from "../lib/training";

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
    assert.throws(() => predict_two_layers_nn(x, { ...q, W2: new Matrix(3, K) }), /shapes \(7, 4\) and \(3, 3\) not aligned: 4 \(dim 1\) != 3 \(dim 0\)/);
  });

  it("init_two_layers_nn draws W1, b1, W2, b2 in that order from np.random seeded with `seed`", () => {
    const p = init_two_layers_nn(D, Q, K, 4);
    const r = new Random(4);
    const want = [r.randn(D, Q), r.randn(1, Q), r.randn(Q, K), r.randn(1, K)].map((m) => mul(m, 1e-3).data);
    assert.deepEqual([p.W1.data, p.b1.data, p.W2.data, p.b2.data], want);
    assert.deepEqual(init_two_layers_nn(D, Q, K, 4).W2.data, p.W2.data);
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

  it("the gradients depend on ŷ's values only: the handout's signature recomputes tanh(X·W1 + b1)", () => {
    // The handout's partial_derivative_two_layers_nn cannot receive A1 from the prediction,
    // so it computes X·W1 again (the native kernels answer that repeated product from memory,
    // see training.test.ts): four products, whether ŷ comes from predict or is a copy.
    const p = init_two_layers_nn(D, Q, K, 3);
    const y_hat = predict_two_layers_nn(x, p);
    const inner = kernels();
    let products = 0;
    const counting: Kernels = { ...inner, gemm: (...args) => { products++; inner.gemm(...args); } };
    const previous = setKernels(counting);
    let fromPredict: Matrix[], fromCopy: Matrix[];
    try {
      fromPredict = partial_derivative_two_layers_nn(x, y, y_hat, p);
      assert.equal(products, 4, "X·W1, δ3·W2ᵀ, Xᵀ·δ2 and A1ᵀ·δ3");
      products = 0;
      fromCopy = partial_derivative_two_layers_nn(x, y, y_hat.clone(), p);
      assert.equal(products, 4);
    } finally {
      setKernels(previous);
    }
    fromPredict.forEach((g, k) => assert.deepEqual(g.data, fromCopy[k].data));
    // And they are the reference kernels' (triple loop) gradients.
    setKernels(referenceKernels);
    try {
      const want = partial_derivative_two_layers_nn(x, y, y_hat, p);
      want.forEach((g, k) => assert.ok(relativeError(fromPredict[k], g) < 1e-13, `gradient ${k}`));
    } finally {
      setKernels(previous);
    }
  });

  it("one pass of the descent is P − ε·dP for each of the four parameters, the loss taken before", () => {
    const p = init_two_layers_nn(D, Q, K, 5);
    const snapshot = [p.W1, p.b1, p.W2, p.b2].map((m) => m.data.slice());
    const [q, losses, test_losses] = gradient_descent_two_layers_nn(x, y, p, Q, 1, 0.1);
    assert.deepEqual([p.W1, p.b1, p.W2, p.b2].map((m) => m.data), snapshot, "the caller's parameters are not changed");
    assert.deepEqual(test_losses, []);
    assert.deepEqual(losses, [evaluate_loss(y, predict_two_layers_nn(x, p))]);
    const grads = partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p);
    [q.W1, q.b1, q.W2, q.b2].forEach((m, k) => assert.deepEqual(m.data, [p.W1, p.b1, p.W2, p.b2][k].sub(grads[k].mul(0.1)).data));
  });

  it("draws its parameters when given null, with Q = hidden_dim", () => {
    const [p, losses] = gradient_descent_two_layers_nn(x, y, null, 6, 2, 1e-3);
    assert.deepEqual([p.W1.shape, p.b1.shape, p.W2.shape, p.b2.shape], [[D, 6], [1, 6], [6, K], [1, K]]);
    assert.equal(losses.length, 2);
  });

  it("trains on the shipped data: the loss falls and the test accuracy exceeds 0.95", function () {
    this.timeout(120000);
    const d = load_data();
    const [parameters, losses, test_losses] = gradient_descent_two_layers_nn(d.x_train, d.y_train, init_two_layers_nn(784, 10, 3, 0), 10, 100, 1e-3, d.x_test, d.y_test);
    assert.ok(losses.every(Number.isFinite));
    assert.equal(divergedAt(losses), undefined, "no divergence");
    assert.equal(losses.length, 100);
    assert.equal(test_losses.length, 100);
    assert.ok(losses[99] < 0.1 * losses[0]);
    assert.ok(accuracy(d.y_test, predict_two_layers_nn(d.x_test, parameters)) > 0.95);
  });
});
