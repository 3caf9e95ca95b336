/**
 * The checks, without a sandbox: the reference (with the students'
 * signatures) passes them all, live and against the stored expected.json;
 * wrong functions fail the check that concerns them with a French reason;
 * the submission extractor keeps declarations and drops calls.
 */
import { strict as assert } from "node:assert";
import * as lib from "../lib";
import { initReference, reference } from "../lib/grading/reference";
import { CHECKS, GRADED_FUNCTIONS, runChecksWith } from "../lib/grading/registry";
import type { Context, ReferenceLib } from "../lib/grading/checks";
import { checkReport, localObject, runChecks, valueHooks } from "../lib/grading";
import { tf, Module } from "../lib/autograd";
import { MLP } from "../lib/autograd/mlp";
import type { RawTensor } from "../lib/grading/wire";
import type { StudentObject } from "../lib/grading/checks";
import { decode } from "../lib/grading/wire";
import type { Wire } from "../lib/grading/wire";
import { expectedValues } from "../cli/grading/expected";
import { MlpStandIn, solutions } from "../cli/grading/solutions";
import { extractDeclarations } from "../cli/grading/extract";
import { solutionImports } from "../cli/grading/check-student";
import { notebookDeclarations } from "../lib/workbook/carry";
import { feedback } from "../cli/grade";
import type { ScoredCheck, StudentGrade } from "../cli/grade";
import { frenchProblems, typeset } from "../lib/text/french";
import { Matrix } from "../lib/array/matrix";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../cli/paths";

type Fn = (...args: unknown[]) => unknown;

/** Runs the checks of `name` on a local function with the live reference (as the grader does, without the pipe). */
async function live(name: string, fn: Fn, others: Record<string, Fn> = {}, variant = 0) {
  return runChecksWith(name, (once): Context => ({
    fn: async (...a) => fn(...a),
    other: (n) => (others[n] ? async (...a: unknown[]) => others[n](...a) : undefined),
    construct: async (_c, ...a) => new MlpStandIn(a as number[]),
    tensor: (t) => t,
    ref: async <T>(_k: string, compute: (l: ReferenceLib) => T) => compute(reference),
    live: reference,
    variant,
    once,
  }));
}
const failed = async (name: string, fn: Fn, others?: Record<string, Fn>) => (await live(name, fn, others)).filter((r) => !r.ok).map((r) => r.id);

describe("grading checks", function () {
  this.timeout(120000);
  const sol = solutions();
  before(initReference);

  it("cover every graded function of the handout, parts 1 to 3, and the MLP", () => {
    assert.deepEqual(GRADED_FUNCTIONS, [
      "init_one_layer_nn", "softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn", "accuracy",
      "init_two_layers_nn", "predict_two_layers_nn", "partial_derivative_two_layers_nn", "gradient_descent_two_layers_nn",
      "to_torch_parameters", "predict_two_layers_nn_torch", "evaluate_loss_torch", "gradient_descent_torch", "gradient_descent_torch_optim", "MLP",
    ]);
    const points = JSON.parse(readFileSync(join(ROOT, "grading", "points.json"), "utf8")) as { points: Record<string, number> };
    const ids = GRADED_FUNCTIONS.flatMap((f) => CHECKS[f].map((c) => `${f}/${c.name}`));
    assert.deepEqual(Object.keys(points.points).sort(), [...ids].sort(), "points.json lists every check");
  });

  it("the reference passes every check; the stored expected.json is what it computes", async () => {
    const values = await expectedValues(); // throws if the reference fails a check
    const stored = JSON.parse(readFileSync(join(ROOT, "grading", "expected.json"), "utf8")) as { values: Record<string, unknown> };
    assert.deepEqual(Object.keys(stored.values).sort(), Object.keys(values).sort(), "grading/expected.json is up to date (nn-workbook grade --write-expected)");
    for (const k of Object.keys(values)) assert.deepEqual(stored.values[k], JSON.parse(JSON.stringify(values[k])), k);
  });

  it("the grader's inputs (another variant) are not the stored ones, and the reference passes them too", async () => {
    const cache = new Map<string, unknown>();
    for (const name of GRADED_FUNCTIONS.filter((f) => f !== "MLP")) {
      const r = await runChecksWith(name, (once): Context => ({
        fn: async (...a) => sol[name](...a), other: () => undefined, construct: async (_c, ...a) => new MlpStandIn(a as number[]), tensor: (t) => t,
        ref: async <T>(k: string, compute: (l: ReferenceLib) => T) => { const v = compute(reference); cache.set(k, v); return v; }, live: reference, variant: 7, once,
      }));
      assert.deepEqual(r.filter((c) => !c.ok).map((c) => `${c.id}: ${c.message}`), [], name);
    }
    const stored = JSON.parse(readFileSync(join(ROOT, "grading", "expected.json"), "utf8")) as { values: Record<string, unknown> };
    const softmax = cache.get("softmax/z") as lib.Matrix;
    const storedSoftmax = decode(stored.values["softmax/z"] as Wire, valueHooks) as lib.Matrix;
    assert.equal(storedSoftmax.rows, softmax.rows);
    assert.notDeepEqual(Array.from(softmax.data), Array.from(storedSoftmax.data), "variant 7 has other inputs than the stored ones");
  });

  it("the self-check (stored values) passes the lib's own functions and names what is wrong in a French report", async () => {
    for (const name of ["softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_two_layers_nn", "accuracy"]) {
      const results = await runChecks(name, (lib as unknown as Record<string, unknown>)[name]);
      assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.message), [], name);
    }
    const naive = (z: lib.Matrix) => { const e = lib.exp(z); return lib.div(e, lib.sum(e, 1)); };
    const report = checkReport(await runChecks("softmax", naive));
    assert.match(report, /✘ softmax\u00a0: 3\/4 vérifications réussies/);
    assert.match(report, /contient NaN ou Infinity/);
  });

  it("a wrong function fails the check that concerns it, and says why in French", async () => {
    const naive = (z: lib.Matrix) => { const e = lib.exp(z); return lib.div(e, lib.sum(e, 1)); };
    assert.deepEqual(await failed("softmax", naive as Fn), ["softmax/grandes-valeurs"]);
    const noEpsilon = (y: lib.Matrix, p: lib.Matrix) => -lib.sum(lib.add(lib.mul(y, lib.log(p)), lib.mul(lib.sub(lib.mul(y, -1), -1), lib.log(lib.sub(lib.mul(p, -1), -1))))) / y.rows;
    assert.deepEqual(await failed("evaluate_loss", noEpsilon as Fn), ["evaluate_loss/epsilon"]);
    const zeroDb1 = (x: lib.Matrix, y: lib.Matrix, y_hat: lib.Matrix, p: lib.TwoLayersParameters) => {
      const [dW1, db1, dW2, db2] = lib.partial_derivative_two_layers_nn(x, y, y_hat, p);
      return [dW1, lib.mul(db1, 0), dW2, db2];
    };
    assert.deepEqual(await failed("partial_derivative_two_layers_nn", zeroDb1 as Fn), ["partial_derivative_two_layers_nn/db1"]);
    const percent = (y: lib.Matrix, y_hat: lib.Matrix) => 100 * lib.accuracy(y, y_hat);
    assert.deepEqual(await failed("accuracy", percent as Fn), ["accuracy/valeur"]);
    const zeros = (D: number, K: number) => ({ W: new lib.Matrix(D, K), b: new lib.Matrix(1, K) });
    assert.deepEqual(await failed("init_one_layer_nn", zeros as Fn), ["init_one_layer_nn/echelle"]);
  });

  it("a descent with a wrong gradient says the gradient is to blame; a wrong step says so too", async () => {
    const twice: Fn = (x, y, y_hat, p) => { const [dW, db] = reference.partial_derivative_one_layer_nn(x as lib.Matrix, y as lib.Matrix, y_hat as lib.Matrix, p as lib.OneLayerParameters); return [lib.mul(dW, 2), db]; };
    // The student's descent uses their own (wrong) gradient.
    const descentWith = (grad: Fn, step = 1): Fn => (x, y, p, n, eps, xt, yt) => {
      let q = p as lib.OneLayerParameters;
      const train: number[] = [], test: number[] = [];
      for (let i = 0; i < (n as number); i++) {
        const y_hat = reference.predict_one_layer_nn(x as lib.Matrix, q);
        train.push(reference.evaluate_loss(y as lib.Matrix, y_hat));
        if (xt) test.push(reference.evaluate_loss(yt as lib.Matrix, reference.predict_one_layer_nn(xt as lib.Matrix, q)));
        const [dW, db] = grad(x, y, y_hat, q) as lib.Matrix[];
        q = { W: lib.sub(q.W, lib.mul(dW, (eps as number) * step)), b: lib.sub(q.b, lib.mul(db, (eps as number) * step)) };
      }
      return [q, train, test];
    };
    const r = await live("gradient_descent_one_layer_nn", descentWith(twice), { partial_derivative_one_layer_nn: twice });
    const exact = r.find((c) => c.id === "gradient_descent_one_layer_nn/perte-exacte")!;
    assert.equal(exact.ok, false);
    assert.match(exact.message, /avec votre partial_derivative_one_layer_nn, qui est faux : corrigez d'abord le gradient/);
    const slow = await live("gradient_descent_one_layer_nn", descentWith(sol.partial_derivative_one_layer_nn, 0.5), { partial_derivative_one_layer_nn: sol.partial_derivative_one_layer_nn });
    assert.match(slow.find((c) => c.id === "gradient_descent_one_layer_nn/perte-exacte")!.message, /vérifiez la mise à jour et ε/);
  });

  it("part 3: the optimizer loop, the +1e-16 of the torch loss and the MLP's relu are checked", async () => {
    // Plain descent where momentum is asked: the optimizer check fails, the plain one passes.
    assert.deepEqual(await failed("gradient_descent_torch_optim", sol.gradient_descent_torch), ["gradient_descent_torch_optim/perte-exacte"]);
    const noEps: Fn = (y, y_hat) => {
      const a = y as { data: Float32Array }, b = y_hat as { data: Float32Array };
      let s = 0;
      for (let i = 0; i < a.data.length; i++) s += a.data[i] * Math.log(b.data[i]) + (1 - a.data[i]) * Math.log(1 - b.data[i]);
      return { shape: [], dtype: "float32", data: Float32Array.of(-s / 1), variable: false };
    };
    assert.ok((await failed("evaluate_loss_torch", noEps)).includes("evaluate_loss_torch/epsilon"));
  });

  it("the MLP learns (consigne 20.4): a correct one passes, one whose parameters() omit c2 or hand out copies fails, named in French", async () => {
    // The lib's MLP stands for a correct student's (consigne 20).
    const Mlp = MLP;
    class NoC2 extends Mlp {
      override parameters(): tf.Variable[] { return this.c1.parameters(); }
    }
    class Copies extends Mlp {
      override parameters(): tf.Variable[] { return super.parameters().map((p) => tf.variable(p.clone())); }
    }
    const learns = async (results: Promise<{ id: string; ok: boolean; message: string }[]>) => (await results).find((r) => r.id === "MLP/apprend")!;
    // The self-check: no optimizer of the student's, the checks' own loop trains the module where it lives.
    const good = await learns(runChecks("MLP", Mlp));
    assert.ok(good.ok, good.message);
    assert.deepEqual((await runChecks("MLP", Mlp)).filter((r) => !r.ok).map((r) => r.id), []);
    const noC2 = await learns(runChecks("MLP", NoC2));
    assert.equal(noC2.ok, false);
    assert.match(noC2.message, /^mlp\.c2\.weight, mlp\.c2\.bias ne changent pas pendant l'entraînement \(30 passes de SGD .*mlp\.parameters\(\) doit les donner à l'optimiseur$/);
    assert.ok((await runChecks("MLP", NoC2)).some((r) => r.id === "MLP/parametres" && !r.ok), "parametres names the missing tensors too");
    const copies = await learns(runChecks("MLP", Copies));
    assert.equal(copies.ok, false);
    assert.match(copies.message, /^le MLP n'apprend pas \(30 passes de SGD .*\) : les tf\.Variable de mlp\.parameters\(\) ne servent pas au calcul de mlp\.apply\(x\)/);
    // A bug in the student's optimizer or loss costs their own checks, not this one: the checks' own loop trains the MLP.
    const used: string[] = [];
    const withOptimizer = (Cls: new (D: number, Q: number, K: number) => Module, optim: (m: Module, x: tf.Tensor2D, y: tf.Tensor2D, n: number, eps: number) => void) => {
      const objects = new Map<StudentObject, Module>();
      const live = (t: RawTensor) => { const v = tf.tensor(t.data, t.shape, t.dtype); return t.variable ? tf.variable(v, true) : v; };
      return runChecksWith("MLP", (once): Context => ({
        fn: async () => undefined,
        other: (n) => (n === "gradient_descent_torch_optim" ? async (...a: unknown[]) => {
          used.push(n);
          optim(objects.get(a[2] as StudentObject)!, a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, a[4] as number, a[5] as number);
          return [a[2], [], []];
        } : undefined),
        construct: async (_c, ...a) => { const m = new Cls(...(a as [number, number, number])); const o = localObject(m); objects.set(o, m); return o; },
        tensor: live,
        ref: async <T>(_k: string, compute: (l: ReferenceLib) => T) => compute(reference),
        once,
      }));
    };
    const wrecks = (m: Module) => { for (const p of m.parameters()) p.assign(tf.fill(p.shape, NaN)); };
    const withBrokenOptim = await learns(withOptimizer(Mlp, wrecks));
    assert.ok(withBrokenOptim.ok, withBrokenOptim.message);
    assert.deepEqual(used, [], "the student's gradient_descent_torch_optim does not train the MLP of this check");
  });

  it("a missing function or one that throws fails every check without stopping the others", async () => {
    const stub = await live("predict_one_layer_nn", () => { throw new Error("À compléter"); });
    assert.ok(stub.every((r) => r.message === "predict_one_layer_nn n'est pas encore écrite (« À compléter »)"));
    const boom = await live("evaluate_loss", () => { throw new TypeError("x is undefined"); });
    assert.ok(boom.every((r) => r.message === "evaluate_loss lève une erreur : x is undefined"));
    const missing = await runChecks("softmax", undefined);
    assert.ok(missing.every((r) => !r.ok && r.message === "softmax n'est pas une fonction (absente)"));
  });
});

describe("grading: submission extraction and French typography", () => {
  it("keeps imports, functions, classes, types and static consts in cell order, the last of each name; drops calls", () => {
    const ex = extractDeclarations([
      { cell: 1, source: `import { Matrix } from "../dist/lib";\nconst EPS = 1e-16;\nconst rng = new Random(0);\nconst data = load_data();` },
      { cell: 2, source: `function softmax(z: Matrix): Matrix { return z; }\ntrain(1000);\ninterface P { W: Matrix }` },
      { cell: 3, source: `const softmax = (z: Matrix) => z;\nclass MLP {}\nwhile (true) {}` },
      { cell: 4, source: `this is not typescript (` },
    ], ["softmax", "MLP", "accuracy"]);
    assert.deepEqual(ex.declared.sort(), ["EPS", "MLP", "rng", "softmax"]);
    assert.doesNotMatch(ex.js, /load_data|train\(1000\)|while \(true\)|function softmax/);
    assert.match(ex.js, /const softmax = \(z\) => z/);
    assert.match(ex.js, /"softmax": softmax, "MLP": MLP/);
    assert.ok(ex.unparsed.includes(4));
  });

  it("keeps the functions carried from an earlier notebook bound through charger_cahier, as the student's own, not the lib's", () => {
    const ex = extractDeclarations([
      { cell: 1, source: `import { Matrix, charger_cahier } from "../dist/lib";` },
      { cell: 2, source: `const partie1 = charger_cahier("1-une-couche.ipynb");\nconst softmax: (z: Matrix) => Matrix = partie1.softmax;\nconst evaluate_loss = (partie1.evaluate_loss);` },
      { cell: 3, source: `function predict_two_layers_nn(x: Matrix, p: unknown) { return softmax(x); }` },
    ], ["softmax", "evaluate_loss", "predict_two_layers_nn"]);
    assert.deepEqual(ex.declared, ["predict_two_layers_nn"], "carried functions are graded in the notebook that defines them");
    assert.deepEqual(ex.carriers, ["partie1"]);
    assert.match(ex.js, /const partie1 = \(0, \w+\.charger_cahier\)\("1-une-couche\.ipynb"\)/);
    assert.match(ex.js, /const softmax = partie1\.softmax/);
    assert.deepEqual(solutionImports(ex.js, ex.carriers), []);
    assert.deepEqual(solutionImports(ex.js).sort(), ["evaluate_loss", "softmax"], "without the carriers, partie1.f reads as a lib call");
    const cheat = extractDeclarations([{ cell: 1, source: `import * as lib from "../dist/lib";\nconst partie1 = lib.charger_cahier("1.ipynb");\nfunction softmax(z: unknown) { return lib.softmax(z); }` }], ["softmax"]);
    assert.deepEqual(solutionImports(cheat.js, cheat.carriers), ["softmax"]);
  });

  it("charger_cahier and the grader read a notebook the same way", () => {
    const cells = [`import { Matrix } from "../dist/lib";\nconst EPS = 1e-16;`, `function softmax(z: Matrix) { return z; }\nconst accuracy = (y: Matrix) => 1;\ntrain(softmax);`, `class MLP {}\nconst data = load_data();`];
    const carried = notebookDeclarations(cells);
    const graded = extractDeclarations(cells.map((source, i) => ({ cell: i + 1, source })), ["softmax", "accuracy", "MLP"]);
    assert.deepEqual(carried.names.sort(), ["MLP", "accuracy", "softmax"]);
    assert.deepEqual(graded.declared.sort(), ["EPS", "MLP", "accuracy", "softmax"]);
    assert.match(carried.source, /const EPS = 1e-16/, "a constant the functions use is carried with them");
    assert.doesNotMatch(carried.source + graded.js, /train\(|load_data\(/);
  });

  it("the feedback a student reads follows French typography, whatever fails and however", async function () {
    this.timeout(300000);
    await initReference();
    const sol = solutions();
    // Wrong in value (×1,5), in kind (a number), by throwing: each check's own French message.
    const scaled = (v: unknown): unknown => {
      if (v instanceof Matrix) { const m = v.clone(); m.data.forEach((x, i) => (m.data[i] = x * 1.5 + 1e-3)); return m; }
      if (typeof v === "number") return v * 1.5 + 1e-3;
      if (Array.isArray(v)) return v.map(scaled);
      if (v && typeof v === "object" && (v as { data?: unknown }).data instanceof Float32Array) { const t = v as { data: Float32Array }; return { ...t, data: t.data.map((x) => x * 1.5 + 1e-3) }; }
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scaled(x)]));
      return v;
    };
    const wrongs: Fn[] = [];
    const checks: ScoredCheck[] = [];
    for (const name of GRADED_FUNCTIONS.filter((f) => f !== "MLP")) {
      wrongs.splice(0, wrongs.length, (...a) => scaled(sol[name](...a)), () => 12345.5, () => { throw new TypeError("cannot read properties of undefined (reading 'rows')"); });
      for (const w of wrongs) for (const r of await live(name, w)) if (!r.ok) checks.push({ ...r, points: 0, max: 2 });
    }
    assert.ok(checks.length > 60, `${checks.length} failed checks`);
    const g: StudentGrade = {
      student: "etudiant", checks, total: 0, max: 94, cpuSeconds: 12.5, wallSeconds: 30, peakMb: 300,
      notebooks: [{ file: "1-une-couche.ipynb", cells: [
        { cell: 3, status: "error", message: "TypeError: x.dot is not a function", source: "" },
        { cell: 5, status: "timeout", message: "plus de 120 s de calcul", source: "" },
        { cell: 6, status: "skipped", message: "", source: "" }, { cell: 7, status: "skipped", message: "", source: "" },
      ], not_run: [8, 9, 10], seconds: 1234.4, cpu_seconds: 15000 }],
    };
    const text = feedback(g);
    const problems = frenchProblems(text);
    const lines = text.split("\n");
    assert.deepEqual(problems.map((p) => `${p.message} — ${lines[p.line - 1]}`), []);
  });

  it("puts no-break spaces before : ; ! ? and inside « », not in code", () => {
    assert.equal(typeset("Note : 3 ; bien ! vrai ? « oui » `a ? b : c`"), "Note\u00a0: 3\u202f; bien\u202f! vrai\u202f? «\u00a0oui\u00a0» `a ? b : c`");
  });
});
