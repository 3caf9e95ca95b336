import { strict as assert } from "node:assert";
import { Matrix, Random, sum, mul } from "../lib/array";
import { load_data } from "../lib/data";
import {
  softmax, evaluate_loss, categorical_cross_entropy, accuracy,
  init_one_layer_nn, predict_one_layer_nn, partial_derivative_one_layer_nn, gradient_descent_one_layer_nn,
} from "../lib/nn";
import { numericGradient, relativeError } from "../lib/nn";
import { maxAbsDiff } from "./helpers";

describe("part 1: softmax and the loss", () => {
  it("softmax rows are probabilities that sum to 1", () => {
    const p = softmax(new Random(1).randn(50, 3));
    assert.ok(p.data.every((v) => v > 0 && v < 1));
    assert.ok(maxAbsDiff(sum(p, 1).data, new Float64Array(50).fill(1)) < 1e-15);
  });

  it("softmax is stable for |z| ≥ 1000 and unchanged by a shift of the row", () => {
    const p = softmax(Matrix.from([[1000, 1000, -1000], [-1000, -2000, -1000], [1e308, 0, -1e308]]));
    assert.deepEqual(p.toArray(), [[0.5, 0.5, 0], [0.5, 0, 0.5], [1, 0, 0]]);
    const z = Matrix.from([[1, 2, 3]]);
    assert.ok(maxAbsDiff(softmax(z).data, softmax(Matrix.from([[1001, 1002, 1003]])).data) < 1e-15);
  });

  it("evaluate_loss matches hand-computed values", () => {
    // One sample, y = (1, 0, 0), ŷ = (0.5, 0.25, 0.25): −[ln 0.5 + 2 ln 0.75].
    const y = Matrix.from([[1, 0, 0]]);
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[0.5, 0.25, 0.25]])) - -(Math.log(0.5) + 2 * Math.log(0.75))) < 1e-12);
    // Perfect prediction: 0 (the 1e-16 costs nothing measurable).
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[1, 0, 0]]))) < 1e-15);
    // Certain and wrong: finite thanks to +1e-16, −ln(1e-16)·2 ≈ 73.68 (two wrong terms).
    assert.ok(Math.abs(evaluate_loss(y, Matrix.from([[0, 1, 0]])) - -2 * Math.log(1e-16)) < 1e-9);
    // The mean over N: two samples average.
    const two = evaluate_loss(Matrix.from([[1, 0, 0], [0, 1, 0]]), Matrix.from([[0.5, 0.25, 0.25], [0.25, 0.5, 0.25]]));
    assert.ok(Math.abs(two - -(Math.log(0.5) + 2 * Math.log(0.75))) < 1e-12);
    assert.throws(() => evaluate_loss(y, Matrix.zeros(2, 3)), /y is \(1, 3\) but y_hat is \(2, 3\)/);
  });

  it("accuracy compares argmaxes", () => {
    assert.equal(accuracy(Matrix.from([[1, 0], [0, 1], [0, 1]]), Matrix.from([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])), 2 / 3);
  });
});

describe("part 1: the one-layer network", () => {
  const rng = new Random(5);
  const N = 6, D = 4, K = 3;
  const x = rng.randn(N, D);
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, i % K, 1);

  it("has the handout's shapes", () => {
    const p = init_one_layer_nn(D, K, 1);
    assert.deepEqual(p.W.shape, [D, K]);
    assert.deepEqual(p.b.shape, [1, K]);
    assert.ok(p.W.data.every((v) => Math.abs(v) < 1e-2), "small values (randn · 1e-3)");
    const y_hat = predict_one_layer_nn(x, p);
    assert.deepEqual(y_hat.shape, [N, K]);
    const [dW, db] = partial_derivative_one_layer_nn(x, y, y_hat, p);
    assert.deepEqual(dW.shape, [D, K]);
    assert.deepEqual(db.shape, [1, K]);
    assert.throws(() => predict_one_layer_nn(new Matrix(2, 5), p), /x has 5 columns but W has 4 rows/);
  });

  it("Ŷ − Y is N × the gradient of the categorical cross-entropy (finite differences)", () => {
    const p = { W: mul(rng.randn(D, K), 0.5), b: mul(rng.randn(1, K), 0.5) };
    const [dW, db] = partial_derivative_one_layer_nn(x, y, predict_one_layer_nn(x, p), p);
    const ce = () => categorical_cross_entropy(y, predict_one_layer_nn(x, p));
    assert.ok(relativeError(dW, mul(numericGradient(ce, p.W), N)) < 1e-7);
    assert.ok(relativeError(db, mul(numericGradient(ce, p.b), N)) < 1e-7);
  });

  it("and is not the gradient of the handout's loss, which has the extra (1 − y) ln(1 − ŷ) term", () => {
    const p = { W: mul(rng.randn(D, K), 0.5), b: mul(rng.randn(1, K), 0.5) };
    const [dW] = partial_derivative_one_layer_nn(x, y, predict_one_layer_nn(x, p), p);
    const handout = mul(numericGradient(() => evaluate_loss(y, predict_one_layer_nn(x, p)), p.W), N);
    const gap = relativeError(dW, handout);
    assert.ok(gap > 0.05 && gap < 1, `relative gap ${gap}`);
  });

  it("trains on the shipped data with the handout's defaults: the loss falls, test accuracy ≥ 0.95", function () {
    this.timeout(60000);
    const d = load_data();
    const p0 = init_one_layer_nn(784, 3, 0);
    const W0 = p0.W.clone();
    const r = gradient_descent_one_layer_nn(d.x_train, d.y_train, p0, 200, 1e-5, { x_test: d.x_test, y_test: d.y_test });
    assert.deepEqual(p0.W.data, W0.data, "the caller's parameters are not changed");
    assert.equal(r.train_loss.length, 200);
    assert.equal(r.test_loss.length, 200);
    assert.equal(r.passes, 200);
    assert.equal(r.stopped, undefined);
    for (let i = 1; i < 200; i++) assert.ok(r.train_loss[i] < r.train_loss[i - 1], `train loss rose at pass ${i}`);
    assert.ok(r.train_loss[199] < 0.5 * r.train_loss[0]);
    assert.ok(accuracy(d.y_test, predict_one_layer_nn(d.x_test, r.parameters)) >= 0.95);
  });

  it("stops with a message, keeping the history, when the parameters blow up", () => {
    const p = init_one_layer_nn(D, K, 2);
    const r = gradient_descent_one_layer_nn(mul(x, 1e200), y, p, 50, 1e300, { quiet: true });
    assert.ok(r.stopped && /NaN or infinite at pass \d+.*ε = 1e\+300 is too large/.test(r.stopped), r.stopped);
    assert.ok(r.train_loss.length >= 1 && r.train_loss.length < 50);
  });

  it("rejects bad arguments with a clear message", () => {
    const p = init_one_layer_nn(D, K, 2);
    assert.throws(() => gradient_descent_one_layer_nn(x, y.sliceRows(0, 3), p), /x has 6 rows but y has 3/);
    assert.throws(() => gradient_descent_one_layer_nn(x, y, p, 10, -1), /epsilon .* must be a positive number, got -1/);
    assert.throws(() => gradient_descent_one_layer_nn(x, y, p, 2.5), /num_passes must be a non-negative integer/);
    assert.throws(() => gradient_descent_one_layer_nn(x, y, p, 2, 1e-3, { x_test: x }), /give both x_test and y_test/);
  });
});
