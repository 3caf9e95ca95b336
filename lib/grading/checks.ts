/**
 * The checks a student's function must pass. One definition per check (its
 * fixed inputs and its comparison) serves two runs:
 *  - `nn-workbook grade`: the student's function lives in a sandboxed
 *    process and is called over a pipe; the expected values come from the
 *    teacher's reference, computed live in the grader's own memory;
 *  - the notebooks' self-check (`check.softmax(softmax)`): the function is
 *    called in place and the expected values are read from the stored
 *    grading/expected.json, so the student's lib holds no solution.
 * This file imports neither: the reference comes in through `Context.ref`.
 * Inputs are seeded, so nothing depends on the student's random draws.
 * Messages are in French, for the student.
 */
import { Matrix } from "../array/matrix";
import { Random } from "../array/random";
import { load_data, DATA_DIR } from "../data/load";
import type { RawTensor } from "./wire";

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

export interface OneLayerParameters { W: Matrix; b: Matrix }
export interface TwoLayersParameters { W1: Matrix; b1: Matrix; W2: Matrix; b2: Matrix }
export type Training<P> = [parameters: P, train_loss: number[], test_loss: number[]];
/** Torch parameters as the reference sees them: raw tensor values. */
export interface RawTorchParameters { W1: RawTensor; b1: RawTensor; W2: RawTensor; b2: RawTensor }

/** The teacher's functions with the students' signatures (reference.ts builds it from lib/nn and lib/autograd). */
export interface ReferenceLib {
  softmax(z: Matrix): Matrix;
  predict_one_layer_nn(x: Matrix, p: OneLayerParameters): Matrix;
  evaluate_loss(y: Matrix, y_hat: Matrix): number;
  partial_derivative_one_layer_nn(x: Matrix, y: Matrix, y_hat: Matrix, p: OneLayerParameters): Matrix[];
  gradient_descent_one_layer_nn(x: Matrix, y: Matrix, p: OneLayerParameters, n: number, eps: number, xt?: Matrix, yt?: Matrix): Training<OneLayerParameters>;
  accuracy(y: Matrix, y_hat: Matrix): number;
  predict_two_layers_nn(x: Matrix, p: TwoLayersParameters): Matrix;
  partial_derivative_two_layers_nn(x: Matrix, y: Matrix, y_hat: Matrix, p: TwoLayersParameters): Matrix[];
  gradient_descent_two_layers_nn(x: Matrix, y: Matrix, p: TwoLayersParameters, q: number, n: number, eps: number, xt?: Matrix, yt?: Matrix): Training<TwoLayersParameters>;
  predict_two_layers_nn_torch(x: RawTensor, p: RawTorchParameters): RawTensor;
  evaluate_loss_torch(y: RawTensor, y_hat: RawTensor): number;
  /** Consigne 18 (optimizer "gd") or 19 ("momentum", 0.9); returns the training losses. */
  gradient_descent_torch(x: RawTensor, y: RawTensor, p: RawTorchParameters, q: number, n: number, eps: number, optimizer: "gd" | "momentum"): number[];
  /** The MLP of consigne 20 with the given weights: softmax(relu(x·W1 + b1)·W2 + b2). */
  mlp_forward(x: RawTensor, p: RawTorchParameters): RawTensor;
}

/** An object built by the student's code (an MLP), wherever it lives. */
export interface StudentObject {
  get(path: string[]): Promise<unknown>;
  set(path: string[], value: unknown): Promise<void>;
  call(method: string, ...args: unknown[]): Promise<unknown>;
  /** Trains the object with the checks' own loop (fit.ts: parameters() and apply(x)), where it lives. */
  fit(x: unknown, y: unknown, passes: number, epsilon: number): Promise<void>;
}

/** What a check runs with. */
export interface Context {
  /** The student's function under check; results come back as matrices, raw tensors, arrays, numbers. */
  fn(...args: unknown[]): Promise<unknown>;
  /** Another function of the student's (for diagnostics), undefined when not available. */
  other(name: string): ((...args: unknown[]) => Promise<unknown>) | undefined;
  /** Builds an object of the student's class `name`. */
  construct(name: string, ...args: unknown[]): Promise<StudentObject>;
  /** A tensor argument for the student's function (a raw tensor over the wire, a tf tensor in the notebook). */
  tensor(t: RawTensor): unknown;
  /** The expected value `key`: live from the reference (grader) or stored (self-check). */
  ref<T>(key: string, compute: (lib: ReferenceLib) => T): Promise<T>;
  /** The reference itself when it runs live (the grader): extra diagnostics only, never needed to decide. */
  live?: ReferenceLib;
  /**
   * Which inputs: 0 for the notebooks' self-check (its expected values are
   * stored in the students' lib), another number for the grader, so that
   * stored answers are of no use to a graded function.
   */
  variant?: number;
  /** Shares one outcome (value or exception) between the checks of one function: one training run serves them all. */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** One check of a function: `run` throws when the function is wrong. */
export interface Check {
  name: string;
  title: string;
  run(ctx: Context): Promise<void>;
}

/** A failed check, with its explanation for the student. */
export class Failure extends Error {}
export const fail = (message: string): never => { throw new Failure(message); };

export const D = 784, K = 3, N = 12, Q = 5;

let variant = 0;
/** The inputs' variant of the checks that run now (runChecksWith sets it from the context). */
export function setVariant(v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`setVariant: a non-negative integer, got ${v}`);
  if (v !== variant) cachedData = undefined;
  variant = v;
}
/** A seed of the current variant. */
export const seeded = (seed: number) => seed + variant * 7919;

/** Deterministic inputs: sparse pixels in [0, 1] like MNIST, one-hot labels, small parameters, rows of probabilities. */
export function fixtures() {
  const rng = new Random(seeded(20261129));
  const x = new Matrix(N, D);
  for (let i = 0; i < x.data.length; i++) x.data[i] = rng.random() < 0.8 ? 0 : rng.random();
  const y = new Matrix(N, K);
  for (let i = 0; i < N; i++) y.set(i, i % K, 1);
  const big = (r: number, c: number, s: number) => { const m = rng.randn(r, c); m.data.forEach((v, i) => (m.data[i] = v * s)); return m; };
  const one: OneLayerParameters = { W: big(D, K, 0.05), b: big(1, K, 0.1) };
  const two: TwoLayersParameters = { W1: big(D, Q, 0.1), b1: big(1, Q, 0.1), W2: big(Q, K, 1), b2: big(1, K, 0.1) };
  const z = big(N, K, 3);
  // Probabilities that are not a softmax of anything the student sees.
  const y_hat = new Matrix(N, K);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += (y_hat.data[i * K + j] = 0.05 + rng.random());
    for (let j = 0; j < K; j++) y_hat.data[i * K + j] /= s;
  }
  return { x, y, one, two, z, y_hat };
}

/** Seeded parameters drawn like the handout's init (randn · scale). */
export function initOne(seed: number): OneLayerParameters {
  const rng = new Random(seeded(seed));
  return { W: scaled(rng.randn(D, K), 1e-3), b: new Matrix(1, K) };
}
export function initTwo(seed: number, q: number, scale = 1e-3): TwoLayersParameters {
  const rng = new Random(seeded(seed));
  return { W1: scaled(rng.randn(D, q), scale), b1: new Matrix(1, q), W2: scaled(rng.randn(q, K), scale), b2: new Matrix(1, K) };
}
function scaled(m: Matrix, s: number): Matrix {
  m.data.forEach((v, i) => (m.data[i] = v * s));
  return m;
}

let cachedData: { x_train: Matrix; y_train: Matrix; x_test: Matrix; y_test: Matrix } | undefined;
/**
 * 300 training and 300 test images of the shipped data (which ones depends on the variant): real digits, fast to
 * train on. Copies each time: a function that changes its inputs in place
 * must not spoil the next check.
 */
export function smallData() {
  if (!cachedData) {
    const d = load_data(DATA_DIR);
    // The self-check's rows are 0–299; the grader's start elsewhere (the shipped set has 1 000 of each).
    const a = variant === 0 ? 0 : 300 + (variant % 401), b = a + 300;
    cachedData = { x_train: d.x_train.sliceRows(a, b), y_train: d.y_train.sliceRows(a, b), x_test: d.x_test.sliceRows(a, b), y_test: d.y_test.sliceRows(a, b) };
  }
  const c = cachedData;
  return { x_train: c.x_train.clone(), y_train: c.y_train.clone(), x_test: c.x_test.clone(), y_test: c.y_test.clone() };
}

export const clone = <P extends object>(p: P): P => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, (v as Matrix).clone()])) as P;

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "un tableau" : typeof v === "object" ? (Object.getPrototypeOf(v)?.constructor?.name ?? "un objet") : typeof v);

export function isMatrix(v: unknown, what: string): Matrix {
  if (!(v instanceof Matrix)) fail(`${what} devrait être une Matrix, c'est ${kindOf(v)}`);
  return v as Matrix;
}

export function shape(v: unknown, rows: number, cols: number, what: string): Matrix {
  const m = isMatrix(v, what);
  if (m.rows !== rows || m.cols !== cols) fail(`${what} est de dimensions (${m.rows}, ${m.cols}), on attend (${rows}, ${cols})`);
  return m;
}

/** ‖a − b‖ / ‖b‖ over two arrays of the same length (computed here: nothing the student can touch). */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let d = 0, n = 0;
  for (let i = 0; i < want.length; i++) { d += (got[i] - want[i]) ** 2; n += want[i] ** 2; }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-300);
}

/** Writes 1.5e-3 as « 1,5e-3 » (French decimal comma). */
export const sci = (v: number, digits = 1) => v.toExponential(digits).replace(".", ",").replace("e+", "e");
/** A measured value in French: all its digits, decimal comma. */
export const num = (v: number) => String(v).replace(".", ",");
export const fr = (v: number, digits = 6) => (Number.isFinite(v) ? v.toFixed(digits).replace(".", ",") : String(v));

export function close(got: Matrix, want: Matrix, what: string, tol = 1e-6): void {
  if (got.rows !== want.rows || got.cols !== want.cols) fail(`${what} est de dimensions (${got.rows}, ${got.cols}), on attend (${want.rows}, ${want.cols})`);
  if (!Array.from(got.data).every(Number.isFinite)) fail(`${what} contient NaN ou Infinity`);
  const err = relErr(got.data, want.data);
  if (!(err <= tol)) fail(`${what} est faux : écart relatif ${sci(err)} avec la valeur attendue (tolérance ${sci(tol, 0)})`);
}

export function number(v: unknown, what: string): number {
  if (typeof v !== "number") fail(`${what} devrait être un nombre, c'est ${kindOf(v)}`);
  return v as number;
}

/** The contract's [parameters, train_loss, test_loss]. */
export function training(v: unknown, what: string): { parameters: unknown; train_loss: number[]; test_loss: number[] } {
  if (!Array.isArray(v) || v.length < 2) fail(`${what} doit renvoyer le tableau [parameters, train_loss, test_loss]`);
  const [parameters, train_loss, test_loss] = v as unknown[];
  if (!Array.isArray(train_loss) || !train_loss.every((x) => typeof x === "number")) fail(`${what} : le 2e élément du résultat doit être la liste des pertes d'apprentissage (une par itération, consigne 8)`);
  if (!parameters || typeof parameters !== "object") fail(`${what} : le 1er élément du résultat doit être les paramètres appris`);
  return { parameters, train_loss: train_loss as number[], test_loss: Array.isArray(test_loss) ? (test_loss as number[]) : [] };
}

/** The index of the first loss off by more than `tol` (relative), or -1. */
export const firstOff = (got: number[], want: number[], tol: number) => want.findIndex((v, k) => !(Math.abs(got[k] - v) <= tol * Math.abs(v)));

type Descent<P> = {
  name: string;
  derivative: string;
  /** Calls the student's descent (30 passes, from `init`). */
  call: (ctx: Context, d: ReturnType<typeof smallData>, p: P, withTest: boolean) => Promise<unknown>;
  reference: (lib: ReferenceLib, d: ReturnType<typeof smallData>, p: P) => Training<P>;
  init: () => P;
  epsilon: number;
  predict: (lib: ReferenceLib, x: Matrix, p: P) => Matrix;
  gradient: (lib: ReferenceLib, x: Matrix, y: Matrix, y_hat: Matrix, p: P) => Matrix[];
};

/** Checks of a gradient descent from a fixed init, against the reference descent. */
export function descentChecks<P extends object>(s: Descent<P>): Check[] {
  const ref = (ctx: Context) => ctx.ref(`${s.name}/reference`, (lib) => s.reference(lib, smallData(), s.init()));
  // One run of the student's descent (and one with test data) serves all the checks below.
  const trained = async (ctx: Context, withTest: boolean) =>
    training(await ctx.once(withTest ? "descent with test data" : "descent", () => s.call(ctx, smallData(), s.init(), withTest)), s.name);
  /** Why the losses differ from the second pass on, when the grader can tell: the student's own gradient. */
  const why = async (ctx: Context, got: number[]): Promise<string> => {
    const lib = ctx.live, derivative = ctx.other(s.derivative);
    if (!lib || !derivative || got.length < 2) return "";
    try {
      const d = smallData(), p0 = s.init();
      const y_hat = s.predict(lib, d.x_train, p0);
      const theirs = await derivative(d.x_train, d.y_train, y_hat, clone(p0));
      if (!Array.isArray(theirs)) return "";
      const step = (grads: unknown[]) => Object.fromEntries(Object.entries(p0).map(([k, m], i) => {
        const g = grads[i] as Matrix, out = (m as Matrix).clone();
        out.data.forEach((v, j) => (out.data[j] = v - s.epsilon * g.data[j]));
        return [k, out];
      })) as P;
      if (!theirs.every((g, i) => g instanceof Matrix && g.size === (Object.values(p0)[i] as Matrix).size)) return "";
      const withTheirs = lib.evaluate_loss(d.y_train, s.predict(lib, d.x_train, step(theirs)));
      const withRef = lib.evaluate_loss(d.y_train, s.predict(lib, d.x_train, step(s.gradient(lib, d.x_train, d.y_train, y_hat, p0))));
      if (Math.abs(got[1] - withTheirs) <= 1e-6 * Math.abs(withTheirs) && !(Math.abs(withTheirs - withRef) <= 1e-6 * Math.abs(withRef))) {
        return ` La mise à jour est bien P − ε·dP, mais avec votre ${s.derivative}, qui est faux : corrigez d'abord le gradient.`;
      }
      return " (La perte après une itération n'est pas celle de P − ε·dP avec votre gradient : vérifiez la mise à jour et ε.)";
    } catch {
      return "";
    }
  };
  return [
    {
      name: "perte-decroit", title: "la perte d'apprentissage baisse (30 itérations, initialisation fixée)",
      async run(ctx) {
        const r = await trained(ctx, false);
        if (r.train_loss.length !== 30) fail(`train_loss a ${r.train_loss.length} valeurs pour 30 itérations`);
        const [first, last] = [r.train_loss[0], r.train_loss[r.train_loss.length - 1]];
        if (!(last < first)) fail(`la perte ne baisse pas : ${num(first)} au début, ${num(last)} à la fin`);
      },
    },
    {
      name: "perte-exacte", title: "les pertes de chaque itération sont celles de la descente de gradient attendue",
      async run(ctx) {
        const r = await trained(ctx, false);
        const want = (await ref(ctx))[1];
        const i = firstOff(r.train_loss, want, 1e-6);
        if (i >= 0) {
          fail(`à l'itération ${i}, la perte vaut ${num(r.train_loss[i])}, on attend ${fr(want[i])} (même initialisation, même ε) : vérifiez la mise à jour P = P − ε·dP.${i === 1 ? await why(ctx, r.train_loss) : ""}`);
        }
      },
    },
    {
      name: "perte-test", title: "avec x_test et y_test, la perte de test est enregistrée à chaque itération (consigne 9)",
      async run(ctx) {
        const r = await trained(ctx, true);
        const want = (await ref(ctx))[2];
        if (r.test_loss.length !== want.length) fail(`test_loss a ${r.test_loss.length} valeurs, on en attend ${want.length}`);
        const i = firstOff(r.test_loss, want, 1e-6);
        if (i >= 0) fail(`à l'itération ${i}, la perte de test vaut ${num(r.test_loss[i])}, on attend ${fr(want[i])}`);
      },
    },
    {
      name: "precision", title: "les paramètres appris sont ceux de la descente attendue",
      async run(ctx) {
        const r = await trained(ctx, false);
        const want = (await ref(ctx))[0] as Record<string, Matrix>;
        const got = r.parameters as Record<string, unknown>;
        for (const k of Object.keys(want)) close(isMatrix(got[k], `parameters.${k}`), want[k], `parameters.${k} après 30 itérations`);
      },
    },
  ];
}

/** Checks of a predict function: Ŷ's shape, then its values against the reference on fixed parameters. */
export function predictChecks<P extends object>(name: string, params: () => P, reference: (lib: ReferenceLib, x: Matrix, p: P) => Matrix, formula: string): Check[] {
  return [
    { name: "dimensions", title: "Ŷ est de dimensions (N, K)", run: async (ctx) => void shape(await ctx.fn(fixtures().x, clone(params())), N, K, `${name}(X, parameters)`) },
    { name: "valeurs", title: `Ŷ = ${formula}`, run: async (ctx) => close(isMatrix(await ctx.fn(fixtures().x, clone(params())), "Ŷ"), await ctx.ref(`${name}/valeurs`, (lib) => reference(lib, fixtures().x, params())), "Ŷ") },
  ];
}

/**
 * Checks of a partial-derivative function: the list of gradients with the
 * shapes of the parameters, then each gradient on its own (one wrong
 * gradient costs its check only).
 */
export function gradientChecks<P extends object>(
  name: string,
  params: () => P,
  grads: readonly (readonly [name: string, rows: number, cols: number, note: string])[],
  shapes: string,
): Check[] {
  const list = `[${grads.map(([g]) => g).join(", ")}]`;
  // ŷ is a fixed set of probabilities: each gradient is checked whatever the student's predict does.
  const call = (ctx: Context) => { const f = fixtures(); return ctx.fn(f.x, f.y, f.y_hat, clone(params())); };
  const reference = (ctx: Context) => ctx.ref(`${name}/gradients`, (lib) => {
    const f = fixtures();
    return (name.includes("two") ? lib.partial_derivative_two_layers_nn(f.x, f.y, f.y_hat, params() as never) : lib.partial_derivative_one_layer_nn(f.x, f.y, f.y_hat, params() as never));
  });
  return [
    { name: "forme", title: `renvoie ${list} ${shapes}`, run: async (ctx) => {
      const r = await call(ctx);
      if (!Array.isArray(r) || r.length !== grads.length) fail(`le résultat doit être le tableau ${list}`);
      grads.forEach(([g, rows, cols], k) => shape((r as unknown[])[k], rows, cols, g));
    } },
    ...grads.map(([g, , , note], k): Check => ({
      name: g, title: `${g} est juste${note}`, async run(ctx) {
        const r = await ctx.once("gradients", () => call(ctx));
        close(isMatrix(Array.isArray(r) ? r[k] : r, g), (await reference(ctx))[k], g);
      },
    })),
  ];
}

/** Shape and scale of an init function's parameters (randn · 1e-3: values drawn, not graded one by one). */
export function initChecks(name: string, args: number[], wants: readonly (readonly [string, number, number, boolean])[]): Check[] {
  const drawn = (ctx: Context) => ctx.once("init", () => ctx.fn(...args));
  const fields = (v: unknown) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) fail(`${name}(${args.join(", ")}) doit renvoyer un objet { ${wants.map(([k]) => k).join(", ")} }`);
    return v as Record<string, unknown>;
  };
  return [
    { name: "dimensions", title: `${wants.map(([k, r, c]) => `${k} (${r}, ${c})`).join(", ")}`, async run(ctx) {
      const p = fields(await drawn(ctx));
      for (const [k, r, c] of wants) shape(p[k], r, c, k);
    } },
    { name: "echelle", title: "poids tirés au hasard, d'écart-type de l'ordre de 1e-3 (consigne 1)", async run(ctx) {
      const p = fields(await drawn(ctx));
      for (const [k, , , random] of wants) {
        const m = isMatrix(p[k], k);
        if (!Array.from(m.data).every(Number.isFinite)) fail(`${k} contient NaN ou Infinity`);
        const mean = m.data.reduce((s, v) => s + v, 0) / m.size;
        const sd = Math.sqrt(m.data.reduce((s, v) => s + (v - mean) ** 2, 0) / m.size);
        if (random && !(sd > 1e-4 && sd < 1e-2)) fail(`l'écart-type de ${k} vaut ${sci(sd)}, on attend environ 1e-3 (np.random.randn(...) * 1e-3)`);
        if (!random && !(Math.max(...Array.from(m.data, Math.abs)) < 1e-1)) fail(`${k} est trop grand (valeurs jusqu'à ${sci(Math.max(...Array.from(m.data, Math.abs)))}) : petites valeurs attendues`);
      }
    } },
  ];
}

