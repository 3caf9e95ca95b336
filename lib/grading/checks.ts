/**
 * The checks a student's function must pass, the same for the notebook's
 * self-check cells (`check.softmax(softmax)`) and for `nn-workbook grade`.
 * The oracle is the lib itself; inputs are fixed (seeded), so nothing depends
 * on the student's random draws. Messages are in French, for the student.
 */
import { Matrix } from "../array/matrix";
import { Random } from "../array/random";
import { load_data, DATA_DIR } from "../data/load";
import * as nn from "../nn";
import { relativeError } from "../metrics";
import type { OneLayerParameters } from "../workbook/parameters";
import type { TwoLayersParameters } from "../workbook/parameters";
import { torchChecks } from "./checks-torch";

/** A check's verdict. */
export interface CheckResult {
  /** `function/check`, the key of the points file. */
  id: string;
  function: string;
  title: string;
  ok: boolean;
  /** What is wrong (empty when ok). */
  message: string;
}

/**
 * Runs `compute` the first time `key` is asked for during one `runChecks`
 * call and gives the same outcome (value or exception) afterwards: the
 * checks of a training function share one training run.
 */
export type Once = <T>(key: string, compute: () => T) => T;

/** One check of a function: `run` throws when the function is wrong. */
export interface Check {
  name: string;
  title: string;
  /** Throws a Failure (or anything) when the function is wrong. */
  run(fn: Function, once: Once): void;
}

/** A failed check, with its explanation for the student. */
class Failure extends Error {}
const fail = (message: string): never => { throw new Failure(message); };

const D = 784, K = 3, N = 12, Q = 5;

/** Deterministic inputs: sparse pixels in [0, 1] like MNIST, one-hot labels, small parameters. */
function fixtures() {
  const rng = new Random(20261129);
  const x = new Matrix(N, D);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.random() < 0.8 ? 0 : rng.random();
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, i % K, 1);
  const big = (r: number, c: number, s: number) => { const m = rng.randn(r, c); m.data.forEach((v, i) => (m.data[i] = v * s)); return m; };
  const one: OneLayerParameters = { W: big(D, K, 0.05), b: big(1, K, 0.1) };
  const two: TwoLayersParameters = { W1: big(D, Q, 0.1), b1: big(1, Q, 0.1), W2: big(Q, K, 1), b2: big(1, K, 0.1) };
  const z = big(N, K, 3);
  return { x, y, one, two, z, y_hat: nn.softmax(z) };
}

let cachedData: { x_train: Matrix; y_train: Matrix; x_test: Matrix; y_test: Matrix } | undefined;
/**
 * 300 training and 300 test images of the shipped data: real digits, fast to
 * train on. Copies each time: a function that changes its inputs in place
 * must not spoil the next check.
 */
function smallData() {
  if (!cachedData) {
    const d = load_data(DATA_DIR);
    cachedData = { x_train: d.x_train.sliceRows(0, 300), y_train: d.y_train.sliceRows(0, 300), x_test: d.x_test.sliceRows(0, 300), y_test: d.y_test.sliceRows(0, 300) };
  }
  const c = cachedData;
  return { x_train: c.x_train.clone(), y_train: c.y_train.clone(), x_test: c.x_test.clone(), y_test: c.y_test.clone() };
}

const clone = <P extends object>(p: P): P => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, (v as Matrix).clone()])) as P;

function isMatrix(v: unknown, what: string): Matrix {
  if (!(v instanceof Matrix)) fail(`${what} devrait être une Matrix, c'est ${v === null ? "null" : Array.isArray(v) ? "un tableau" : typeof v}`);
  return v as Matrix;
}

function shape(v: unknown, rows: number, cols: number, what: string): Matrix {
  const m = isMatrix(v, what);
  if (m.rows !== rows || m.cols !== cols) fail(`${what} est de dimensions (${m.rows}, ${m.cols}), on attend (${rows}, ${cols})`);
  return m;
}

function close(got: Matrix, want: Matrix, what: string, tol = 1e-6): void {
  if (got.rows !== want.rows || got.cols !== want.cols) fail(`${what} est de dimensions (${got.rows}, ${got.cols}), on attend (${want.rows}, ${want.cols})`);
  if (!Array.from(got.data).every(Number.isFinite)) fail(`${what} contient NaN ou Infinity`);
  const err = relativeError(got, want);
  if (!(err <= tol)) fail(`${what} est faux : écart relatif ${err.toExponential(1)} avec la valeur attendue (tolérance ${tol.toExponential(0)})`);
}

function number(v: unknown, what: string): number {
  if (typeof v !== "number") fail(`${what} devrait être un nombre, c'est ${typeof v}`);
  return v as number;
}

interface Trained { parameters: unknown; train_loss: number[]; test_loss: number[] }

/** The handout's return `[parameters, losses, test_losses]`, checked. */
function trainingResult(v: unknown, what: string): Trained {
  if (!Array.isArray(v) || v.length < 2) fail(`${what} devrait renvoyer [parameters, losses, test_losses] : les paramètres appris, la perte à chaque itération, la perte de test`);
  const [parameters, losses, tests] = v as unknown[];
  if (!parameters) fail(`${what} : le premier élément du résultat doit être les paramètres appris`);
  if (!Array.isArray(losses)) fail(`${what} : le deuxième élément du résultat doit être la liste des pertes (consigne 8)`);
  return { parameters, train_loss: losses as number[], test_loss: Array.isArray(tests) ? (tests as number[]) : [] };
}

/** Checks of a gradient descent from a fixed init, against the lib's own descent. */
function descentChecks(
  name: string,
  call: (fn: Function, d: ReturnType<typeof smallData>, withTest: boolean) => unknown,
  reference: (d: ReturnType<typeof smallData>) => unknown,
  predict: (x: Matrix, p: never) => Matrix,
): Check[] {
  let ref: Trained | undefined;
  const reference1 = () => (ref ??= trainingResult(reference(smallData()), name));
  // One run of the student's descent (and one with test data) serves all the checks below.
  const trained = (fn: Function, once: Once, withTest: boolean) =>
    trainingResult(once(withTest ? "descent with test data" : "descent", () => call(fn, smallData(), withTest)), name);
  return [
    {
      name: "perte-decroit", title: "la perte d'apprentissage baisse (30 itérations, initialisation fixée)",
      run(fn, once) {
        const r = trained(fn, once, false);
        if (r.train_loss.length !== 30) fail(`train_loss a ${r.train_loss.length} valeurs pour 30 itérations`);
        const [first, last] = [r.train_loss[0], r.train_loss[r.train_loss.length - 1]];
        if (!(last < first)) fail(`la perte ne baisse pas : ${first} au début, ${last} à la fin`);
      },
    },
    {
      name: "perte-exacte", title: "les pertes de chaque itération sont celles de la descente de gradient attendue",
      run(fn, once) {
        const r = trained(fn, once, false);
        const want = reference1().train_loss;
        const i = want.findIndex((v, k) => !(Math.abs(r.train_loss[k] - v) <= 1e-6 * Math.abs(v)));
        if (i >= 0) fail(`à l'itération ${i}, la perte vaut ${r.train_loss[i]}, on attend ${want[i].toFixed(6)} (même initialisation, même ε) : vérifiez la mise à jour P = P − ε·dP`);
      },
    },
    {
      name: "perte-test", title: "avec x_test et y_test, la perte de test est enregistrée à chaque itération (consigne 9)",
      run(fn, once) {
        const r = trained(fn, once, true);
        const want = reference1().test_loss;
        if (r.test_loss.length !== want.length) fail(`test_loss a ${r.test_loss.length} valeurs, on en attend ${want.length}`);
        const i = want.findIndex((v, k) => !(Math.abs(r.test_loss[k] - v) <= 1e-6 * Math.abs(v)));
        if (i >= 0) fail(`à l'itération ${i}, la perte de test vaut ${r.test_loss[i]}, on attend ${want[i].toFixed(6)}`);
      },
    },
    {
      name: "precision", title: "la précision de test des paramètres appris est celle attendue",
      run(fn, once) {
        const d = smallData();
        const r = trained(fn, once, false);
        const got = nn.accuracy(d.y_test, predict(d.x_test, r.parameters as never));
        const want = nn.accuracy(d.y_test, predict(d.x_test, reference1().parameters as never));
        if (!(got >= want - 0.01)) fail(`précision de test ${got.toFixed(3)} après 30 itérations, on attend ${want.toFixed(3)}`);
      },
    },
  ];
}

/** Checks of a predict function: Ŷ's shape, then its values against the lib's on fixed parameters. */
function predictChecks<P extends object>(name: string, params: () => P, reference: (x: Matrix, p: P) => Matrix, formula: string): Check[] {
  return [
    { name: "dimensions", title: "Ŷ est de dimensions (N, K)", run: (fn) => void shape(fn(f.x.clone(), clone(params())), N, K, `${name}(X, parameters)`) },
    { name: "valeurs", title: `Ŷ = ${formula}`, run: (fn) => close(isMatrix(fn(f.x.clone(), clone(params())), "Ŷ"), reference(f.x, params()), "Ŷ") },
  ];
}

/**
 * Checks of a partial-derivative function: the list of gradients with the
 * shapes of the parameters, then each gradient on its own (one wrong
 * gradient costs its check only).
 */
function gradientChecks<P extends object>(
  params: () => P,
  predict: (x: Matrix, p: P) => Matrix,
  reference: (x: Matrix, y: Matrix, y_hat: Matrix, p: P) => Matrix[],
  grads: readonly (readonly [name: string, rows: number, cols: number, note: string])[],
  shapes: string,
): Check[] {
  const list = `[${grads.map(([g]) => g).join(", ")}]`;
  const call = (fn: Function) => fn(f.x.clone(), f.y.clone(), predict(f.x, params()), clone(params())) as unknown;
  return [
    { name: "forme", title: `renvoie ${list} ${shapes}`, run: (fn) => {
      const r = call(fn);
      if (!Array.isArray(r) || r.length !== grads.length) fail(`le résultat doit être le tableau ${list}`);
      grads.forEach(([g, rows, cols], k) => shape((r as unknown[])[k], rows, cols, g));
    } },
    ...grads.map(([g, , , note], k): Check => ({
      name: g, title: `${g} est juste${note}`, run(fn) {
        const r = call(fn);
        close(isMatrix(Array.isArray(r) ? r[k] : r, g), reference(f.x, f.y, predict(f.x, params()), params())[k], g);
      },
    })),
  ];
}

// Fresh before each check (runChecks): a function that changes its inputs in place must not spoil the next one.
let f = fixtures();

/** Every graded function of the handout, with its checks, in the handout's order. */
export const CHECKS: Record<string, Check[]> = {
  softmax: [
    { name: "dimensions", title: "le résultat a les dimensions de z", run: (fn) => void shape(fn(f.z.clone()), N, K, "softmax(z)") },
    {
      name: "somme-1", title: "chaque ligne somme à 1 (question 2)",
      run(fn) {
        const out = shape(fn(f.z.clone()), N, K, "softmax(z)");
        for (let i = 0; i < N; i++) {
          let row = 0;
          for (let j = 0; j < K; j++) row += out.get(i, j);
          if (!(Math.abs(row - 1) < 1e-9)) fail(`la ligne ${i} somme à ${row}, pas à 1`);
        }
      },
    },
    { name: "valeurs", title: "les valeurs sont e^z / Σ e^z", run: (fn) => close(isMatrix(fn(f.z.clone()), "softmax(z)"), f.y_hat, "softmax(z)", 1e-9) },
    {
      name: "grandes-valeurs", title: "pas de NaN pour de grandes valeurs (z = 1000)",
      run(fn) {
        const z = Matrix.from([[1000, 1000, -1000]]);
        close(isMatrix(fn(z), "softmax([[1000, 1000, -1000]])"), nn.softmax(z), "softmax([[1000, 1000, -1000]])", 1e-9);
      },
    },
  ],
  predict_one_layer_nn: predictChecks("predict_one_layer_nn", () => f.one, nn.predict_one_layer_nn, "softmax(X·W + b)"),
  evaluate_loss: [
    { name: "valeur", title: "la perte du TP sur des valeurs fixées", run: (fn) => {
      const got = number(fn(f.y.clone(), f.y_hat.clone()), "evaluate_loss(y, y_hat)"), want = nn.evaluate_loss(f.y, f.y_hat);
      if (!(Math.abs(got - want) <= 1e-9 * Math.abs(want))) fail(`evaluate_loss vaut ${got}, on attend ${want.toFixed(6)} : vérifiez les deux termes et la division par N`);
    } },
    { name: "epsilon", title: "finie quand ŷ vaut exactement 0 ou 1 (le +1e-16 dans les log)", run: (fn) => {
      const y = Matrix.from([[1, 0, 0]]), y_hat = Matrix.from([[0, 1, 0]]);
      const got = number(fn(y, y_hat), "evaluate_loss([[1, 0, 0]], [[0, 1, 0]])"), want = nn.evaluate_loss(y, y_hat);
      if (!Number.isFinite(got)) fail(`evaluate_loss vaut ${got} pour ŷ = (0, 1, 0) : ajoutez 1e-16 dans les log`);
      if (!(Math.abs(got - want) <= 1e-9 * want)) fail(`evaluate_loss vaut ${got} pour y = (1, 0, 0), ŷ = (0, 1, 0), on attend ${want.toFixed(4)}`);
    } },
  ],
  partial_derivative_one_layer_nn: gradientChecks(() => f.one, nn.predict_one_layer_nn, nn.partial_derivative_one_layer_nn, [["dW", D, K, ""], ["db", 1, K, ""]], "de dimensions (D, K) et (1, K)"),
  gradient_descent_one_layer_nn: descentChecks(
    "gradient_descent_one_layer_nn",
    (fn, d, withTest) => (withTest ? fn(d.x_train, d.y_train, nn.init_one_layer_nn(D, K, 3), 30, 1e-5, d.x_test, d.y_test) : fn(d.x_train, d.y_train, nn.init_one_layer_nn(D, K, 3), 30, 1e-5)),
    (d) => nn.gradient_descent_one_layer_nn(d.x_train, d.y_train, nn.init_one_layer_nn(D, K, 3), 30, 1e-5, d.x_test, d.y_test),
    nn.predict_one_layer_nn as (x: Matrix, p: never) => Matrix,
  ),
  predict_two_layers_nn: predictChecks("predict_two_layers_nn", () => f.two, nn.predict_two_layers_nn, "softmax(tanh(X·W1 + b1)·W2 + b2)"),
  partial_derivative_two_layers_nn: gradientChecks(() => f.two, nn.predict_two_layers_nn, nn.partial_derivative_two_layers_nn,
    [["dW1", D, Q, " (δ2)"], ["db1", 1, Q, " (δ2)"], ["dW2", Q, K, " (δ3)"], ["db2", 1, K, " (δ3)"]], "aux dimensions des paramètres"),
  gradient_descent_two_layers_nn: descentChecks(
    "gradient_descent_two_layers_nn",
    (fn, d, withTest) => (withTest ? fn(d.x_train, d.y_train, nn.init_two_layers_nn(D, 10, K, 3), 10, 30, 1e-3, d.x_test, d.y_test) : fn(d.x_train, d.y_train, nn.init_two_layers_nn(D, 10, K, 3), 10, 30, 1e-3)),
    (d) => nn.gradient_descent_two_layers_nn(d.x_train, d.y_train, nn.init_two_layers_nn(D, 10, K, 3), 10, 30, 1e-3, d.x_test, d.y_test),
    nn.predict_two_layers_nn as (x: Matrix, p: never) => Matrix,
  ),
  ...torchChecks(fail, smallData),
};

/** The names of the graded functions, in the handout's order. */
export const GRADED_FUNCTIONS = Object.keys(CHECKS);

/** Runs every check of `name` on `fn`; each scores on its own, whatever the others do. */
export function runChecks(name: string, fn: unknown): CheckResult[] {
  const checks = CHECKS[name];
  if (!checks) throw new RangeError(`runChecks: no checks for '${name}'; graded functions: ${GRADED_FUNCTIONS.join(", ")}`);
  const outcomes = new Map<string, { value: unknown } | { error: unknown }>();
  const once: Once = <T>(key: string, compute: () => T): T => {
    let o = outcomes.get(key);
    if (!o) {
      try {
        o = { value: compute() };
      } catch (error) {
        o = { error };
      }
      outcomes.set(key, o);
    }
    if ("error" in o) throw o.error;
    return o.value as T;
  };
  return checks.map((c) => {
    f = fixtures();
    const base = { id: `${name}/${c.name}`, function: name, title: c.title };
    if (typeof fn !== "function") return { ...base, ok: false, message: `${name} n'est pas une fonction (${fn === undefined ? "absente" : typeof fn})` };
    try {
      c.run(fn, once);
      return { ...base, ok: true, message: "" };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const message = e instanceof Failure ? msg : msg === "À compléter" ? `${name} n'est pas encore écrite (« À compléter »)` : `${name} lève une erreur : ${msg}`;
      return { ...base, ok: false, message };
    }
  });
}
