/** The grader's checks on the lib's own functions (all pass) and on wrong ones (the right check fails, with a French reason). */
import { strict as assert } from "node:assert";
import * as lib from "../lib";
import * as autograd from "../lib/autograd";
import { CHECKS, GRADED_FUNCTIONS, runChecks, checkReport } from "../lib/grading";

const failedChecks = (name: string, fn: unknown) => runChecks(name, fn).filter((r) => !r.ok).map((r) => r.id);

describe("grading checks", function () {
  this.timeout(60000);
  before(async () => void (await autograd.initBackend("wasm")));

  it("cover every graded function of the handout, parts 1 to 3", () => {
    assert.deepEqual(GRADED_FUNCTIONS, [
      "softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn",
      "predict_two_layers_nn", "partial_derivative_two_layers_nn", "gradient_descent_two_layers_nn",
      "predict_two_layers_nn_torch", "evaluate_loss_torch", "gradient_descent_torch",
    ]);
  });

  it("the lib's functions pass every check", () => {
    const all = { ...lib, ...autograd } as Record<string, unknown>;
    for (const name of GRADED_FUNCTIONS) assert.deepEqual(failedChecks(name, all[name]), [], name);
  });

  it("a wrong function fails the check that concerns it, and says why in French", () => {
    // softmax without the max subtraction: right values, NaN for z = 1000.
    const naive = (z: lib.Matrix) => { const e = lib.exp(z); return lib.div(e, lib.sum(e, 1)); };
    assert.deepEqual(failedChecks("softmax", naive), ["softmax/grandes-valeurs"]);
    const noEpsilon = (y: lib.Matrix, p: lib.Matrix) => -lib.sum(lib.add(lib.mul(y, lib.log(p)), lib.mul(lib.sub(lib.mul(y, -1), -1), lib.log(lib.sub(lib.mul(p, -1), -1))))) / y.rows;
    assert.deepEqual(failedChecks("evaluate_loss", noEpsilon), ["evaluate_loss/epsilon"]);
    const swapped = (x: lib.Matrix, y: lib.Matrix, y_hat: lib.Matrix, p: lib.TwoLayersParameters) => {
      const [dW1, db1, dW2, db2] = lib.partial_derivative_two_layers_nn(x, y, y_hat, p);
      return [dW1, lib.mul(db1, 0), dW2, db2];
    };
    assert.deepEqual(failedChecks("partial_derivative_two_layers_nn", swapped), ["partial_derivative_two_layers_nn/db1"]);
    const tooSlow = (x: lib.Matrix, y: lib.Matrix, p: lib.OneLayerParameters, n: number, eps: number, xt?: lib.Matrix, yt?: lib.Matrix) => lib.gradient_descent_one_layer_nn(x, y, p, n, eps / 2, xt, yt);
    assert.deepEqual(failedChecks("gradient_descent_one_layer_nn", tooSlow), ["gradient_descent_one_layer_nn/perte-exacte", "gradient_descent_one_layer_nn/perte-test"]);
    const report = checkReport(runChecks("evaluate_loss", noEpsilon));
    assert.match(report, /✘ evaluate_loss : 1\/2 vérifications réussies/);
    assert.match(report, /ajoutez 1e-16 dans les log/);
  });

  it("part 3: a wrong loss or learning rate fails its check", () => {
    const scaled = (y: autograd.tf.Tensor2D, p: autograd.tf.Tensor2D) => autograd.tf.mul(autograd.evaluate_loss_torch(y, p), 1.01);
    assert.deepEqual(failedChecks("evaluate_loss_torch", scaled), ["evaluate_loss_torch/valeur"]);
    const fast: typeof autograd.gradient_descent_torch = (x, y, m, h, n, e, xt, yt) => autograd.gradient_descent_torch(x, y, m, h, n, (e ?? 1e-4) * 2, xt, yt);
    assert.deepEqual(failedChecks("gradient_descent_torch", fast), ["gradient_descent_torch/perte-exacte"]);
  });

  it("a function that overwrites its inputs is judged against untouched ones and spoils no later check", () => {
    const wipes = (X: lib.Matrix, p: lib.OneLayerParameters) => { X.data.fill(0); return lib.predict_one_layer_nn(X, p); };
    assert.deepEqual(failedChecks("predict_one_layer_nn", wipes), ["predict_one_layer_nn/valeurs"]);
    const wipesData = (x: lib.Matrix, y: lib.Matrix, p: lib.OneLayerParameters, n: number, e: number, xt?: lib.Matrix, yt?: lib.Matrix) => {
      x.data.fill(0);
      return lib.gradient_descent_one_layer_nn(x, y, p, n, e, xt, yt);
    };
    assert.ok(failedChecks("gradient_descent_one_layer_nn", wipesData).includes("gradient_descent_one_layer_nn/perte-exacte"));
    for (const name of ["predict_one_layer_nn", "gradient_descent_one_layer_nn"]) assert.deepEqual(failedChecks(name, (lib as Record<string, unknown>)[name]), [], name);
  });

  it("a missing function or one that throws fails every check without stopping the others", () => {
    for (const name of ["softmax", "gradient_descent_two_layers_nn"]) {
      const missing = runChecks(name, undefined);
      assert.equal(missing.length, CHECKS[name].length);
      assert.ok(missing.every((r) => !r.ok && r.message === `${name} n'est pas une fonction (absente)`));
    }
    const stub = runChecks("predict_one_layer_nn", () => { throw new Error("À compléter"); });
    assert.ok(stub.every((r) => r.message === "predict_one_layer_nn n'est pas encore écrite (« À compléter »)"));
    const boom = runChecks("evaluate_loss", () => { throw new TypeError("x is undefined"); });
    assert.ok(boom.every((r) => r.message === "evaluate_loss lève une erreur : x is undefined"));
  });
});
