import { strict as assert } from "node:assert";
import { Matrix, Random, mul, sub } from "../lib/array";
import { flooredTwoLayersGradient, evaluate_loss, softmax, init_two_layers_nn, partial_derivative_two_layers_nn, predict_two_layers_nn } from "../lib/nn";
import { flooredLossGradient, categorical_cross_entropy, numericGradient, relativeError } from "../lib/metrics";
import { initBackend, saturationGradients } from "../lib/autograd";

describe("the +1e-16 floor and saturated softmax (consigne 18.7)", function () {
  this.timeout(60000);
  const rng = new Random(5);
  const N = 6, K = 3;
  const z = mul(rng.randn(N, K), 2);
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, (i * 2) % K, 1);

  it("without floor nor binary term, ∂L/∂z is the handout's (ŷ − y)/N", () => {
    const g = flooredLossGradient(y, z, { floor: 0, binary: false });
    const want = mul(sub(softmax(z), y), 1 / N);
    assert.ok(relativeError(g, want) < 1e-12);
  });

  it("matches finite differences of the handout's loss and of the categorical one", () => {
    const zc = z.clone();
    const num = numericGradient(() => evaluate_loss(y, softmax(zc)), zc);
    assert.ok(relativeError(flooredLossGradient(y, zc), num) < 1e-6);
    const numCat = numericGradient(() => categorical_cross_entropy(y, softmax(zc)), zc);
    assert.ok(relativeError(flooredLossGradient(y, zc, { binary: false }), numCat) < 1e-6);
    // and the binary term makes a real difference (what part 2's formula ignores)
    assert.ok(relativeError(flooredLossGradient(y, zc), flooredLossGradient(y, zc, { binary: false })) > 0.05);
  });

  it("the two-layer gradient with the categorical loss and no floor is part 2's", () => {
    const x = rng.randn(N, 4);
    const p = init_two_layers_nn(4, 5, K, 3);
    p.W1 = mul(p.W1, 300); p.W2 = mul(p.W2, 300);
    const got = flooredTwoLayersGradient(x, y, p, { floor: 0, binary: false });
    const want = partial_derivative_two_layers_nn(x, y, predict_two_layers_nn(x, p), p);
    got.forEach((g, k) => assert.ok(relativeError(g, want[k]) < 1e-10, `gradient ${k}`));
  });

  it("rejects mismatched shapes and a negative floor with a clear message", () => {
    assert.throws(() => flooredLossGradient(new Matrix(2, 3), new Matrix(3, 3)), /same shape/);
    assert.throws(() => flooredLossGradient(y, z, { floor: -1 }), /floor must be ≥ 0/);
  });

  describe("saturationGradients", () => {
    before(async () => { await initBackend(); });

    it("agrees between float64 and float32 when the softmax is not saturated", () => {
      const rows = saturationGradients([2, 1, 0], 1);
      assert.equal(rows.length, 8);
      for (let i = 0; i < rows.length; i += 2) {
        assert.equal(rows[i].dtype, "float64");
        assert.ok(Math.abs(rows[i].grad_norm - rows[i + 1].grad_norm) < 1e-5, `${rows[i].loss} floor ${rows[i].floor}`);
        assert.ok(Math.abs(rows[i].value - rows[i + 1].value) < 1e-5);
      }
    });

    it("once saturated, the floored gradient vanishes in both formats and both losses; unfloored, it does not (float64) or is NaN (float32)", () => {
      const rows = saturationGradients([60, -60, -60], 1);
      const at = (loss: string, floor: number, dtype: string) => rows.find((r) => r.loss === loss && r.floor === floor && r.dtype === dtype)!;
      for (const loss of ["TP", "catégorielle"]) for (const dtype of ["float64", "float32"]) assert.ok(at(loss, 1e-16, dtype).grad_norm < 1e-30, `${loss} ${dtype}`);
      assert.ok(Math.abs(at("catégorielle", 0, "float64").grad_norm - Math.SQRT2) < 1e-9);
      assert.equal(at("catégorielle", 1e-16, "float32").p_true, 0);
      assert.ok(Number.isNaN(at("catégorielle", 0, "float32").grad_norm));
      // with the floor the loss is the bounded −ln(1e-16) per saturated term
      assert.ok(Math.abs(at("TP", 1e-16, "float64").value + 2 * Math.log(1e-16)) < 1e-9);
    });

    it("rejects a label out of range", () => {
      assert.throws(() => saturationGradients([1, 2], 2), /label must be a class index/);
    });
  });
});
