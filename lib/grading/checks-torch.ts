/**
 * Part 3's checks (consignes 15–20), on TensorFlow.js tensors. Tensors reach
 * the checks as raw values (RawTensor from the grader's wire, or a live
 * tf.Tensor in the notebook: both read through `raw`). Tolerances are
 * float32's.
 */
import { Matrix } from "../array/matrix";
import { Random } from "../array/random";
import type { RawTensor } from "./wire";
import type { Check, Context, RawTorchParameters, StudentObject } from "./checks";
import { fail, firstOff, fr, num, initTwo, relErr, sci, seeded, smallData, training } from "./checks";
import { FIT_EPSILON, FIT_PASSES } from "./fit";

const D = 784, Q = 5, K = 3, N = 12;

interface LiveTensor { shape: number[]; dtype: string; dataSync(): ArrayLike<number>; trainable?: boolean; assign?: unknown }

/** The values of a tensor, whichever side it comes from; undefined when `v` is not a tensor. */
export function raw(v: unknown): RawTensor | undefined {
  if (!v || typeof v !== "object") return undefined;
  const t = v as Partial<RawTensor> & Partial<LiveTensor>;
  if (typeof t.dataSync === "function" && Array.isArray(t.shape)) {
    return { shape: t.shape, dtype: (t.dtype ?? "float32") as RawTensor["dtype"], data: Float32Array.from(t.dataSync()), variable: typeof t.assign === "function" };
  }
  if (Array.isArray(t.shape) && t.data instanceof Float32Array) return t as RawTensor;
  return undefined;
}

const rawOf = (m: Matrix, variable = false): RawTensor => ({ shape: [m.rows, m.cols], dtype: "float32", data: Float32Array.from(m.data), variable });

function tensor2d(v: unknown, rows: number, cols: number, what: string): RawTensor {
  const t = raw(v);
  if (!t) fail(`${what} devrait être un tenseur (tf.Tensor), c'est ${v === null ? "null" : typeof v}`);
  const s = t!.shape;
  if (s.length !== 2 || s[0] !== rows || s[1] !== cols) fail(`${what} est de dimensions (${s.join(", ")}), on attend (${rows}, ${cols})`);
  return t!;
}

function closeRaw(got: RawTensor, want: RawTensor, what: string, tol: number): void {
  if (!Array.from(got.data).every(Number.isFinite)) fail(`${what} contient NaN ou Infinity`);
  const err = relErr(got.data, want.data);
  if (!(err <= tol)) fail(`${what} est faux : écart relatif ${sci(err)} avec la valeur attendue (tolérance ${sci(tol, 0)})`);
}

/** Fixed inputs: 12 real images, parameters of a useful size (randn · 0.3). */
function inputs() {
  const d = smallData();
  const rng = new Random(seeded(20261130));
  const p = initTwo(7, Q);
  for (const m of [p.W1, p.b1, p.W2, p.b2]) m.data.forEach((_, i) => (m.data[i] = rng.randn(1, 1).data[0] * 0.3));
  return { x: rawOf(d.x_train.sliceRows(0, N)), y: rawOf(d.y_train.sliceRows(0, N)), p };
}

const torchParams = (p: { W1: Matrix; b1: Matrix; W2: Matrix; b2: Matrix }): RawTorchParameters => ({ W1: rawOf(p.W1, true), b1: rawOf(p.b1, true), W2: rawOf(p.W2, true), b2: rawOf(p.b2, true) });
const args = (ctx: Context, p: RawTorchParameters) => ({ W1: ctx.tensor(p.W1), b1: ctx.tensor(p.b1), W2: ctx.tensor(p.W2), b2: ctx.tensor(p.b2) });

/** Checks of a descent over the torch parameters: the same losses as the reference with one optimizer. */
function torchDescent(name: string, optimizer: "gd" | "momentum", epsilon: number, how: string): Check[] {
  const data = () => { const d = smallData(); return { x: rawOf(d.x_train), y: rawOf(d.y_train), p: torchParams(initTwo(3, 10, 1e-2)) }; };
  const run = (ctx: Context) => ctx.once("descent", async () => {
    const d = data();
    return training(await ctx.fn(ctx.tensor(d.x), ctx.tensor(d.y), args(ctx, d.p), 10, 30, epsilon), name);
  });
  return [
    { name: "perte-decroit", title: "la perte d'apprentissage baisse (30 itérations, initialisation fixée)", async run(ctx) {
      const r = await run(ctx);
      if (r.train_loss.length !== 30) fail(`train_loss a ${r.train_loss.length} valeurs pour 30 itérations`);
      if (!(r.train_loss[29] < r.train_loss[0])) fail(`la perte ne baisse pas : ${num(r.train_loss[0])} au début, ${num(r.train_loss[29])} à la fin`);
    } },
    { name: "perte-exacte", title: `30 itérations depuis une initialisation fixée donnent les pertes attendues (${how})`, async run(ctx) {
      const r = await run(ctx);
      const want = await ctx.ref(`${name}/reference`, (lib) => { const d = data(); return lib.gradient_descent_torch(d.x, d.y, d.p, 10, 30, epsilon, optimizer); });
      if (r.train_loss.length !== want.length) fail(`train_loss a ${r.train_loss.length} valeurs pour ${want.length} itérations`);
      const i = firstOff(r.train_loss, want, 1e-3);
      if (i >= 0) fail(`à l'itération ${i}, la perte vaut ${num(r.train_loss[i])}, on attend ${fr(want[i], 5)} (même initialisation, ε = ${String(epsilon).replace(".", ",")}) : ${how}`);
    } },
  ];
}

/** Fixed weights for an MLP(784, 5, 3): the checks set them, so the output does not depend on the student's init. */
function mlpWeights(b1Shift = 0): RawTorchParameters {
  const { p } = inputs();
  p.b1.data.forEach((v, i) => (p.b1.data[i] = v + b1Shift));
  return torchParams(p);
}

async function mlpWith(ctx: Context, w: RawTorchParameters): Promise<StudentObject> {
  const mlp = await ctx.construct("MLP", D, Q, K);
  for (const [layer, weight, bias] of [["c1", w.W1, w.b1], ["c2", w.W2, w.b2]] as const) {
    const l = await mlp.get([layer]);
    if (!l || typeof l !== "object") fail(`mlp.${layer} devrait être une couche Linear, c'est ${l === undefined ? "absent" : typeof l}`);
    await mlp.set([layer, "weight"], ctx.tensor(weight));
    await mlp.set([layer, "bias"], ctx.tensor(bias));
  }
  return mlp;
}

/** Mean probability the module gives each image's own class: what training must raise. */
function rightClass(out: RawTensor, y: RawTensor): number {
  const [n, k] = out.shape;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) s += out.data[i * k + j] * y.data[i * k + j];
  return s / n;
}

/** The MLP's four weights as they are now. */
async function weightsOf(mlp: StudentObject): Promise<[string, Float32Array][]> {
  const out: [string, Float32Array][] = [];
  for (const path of [["c1", "weight"], ["c1", "bias"], ["c2", "weight"], ["c2", "bias"]]) {
    out.push([`mlp.${path.join(".")}`, Float32Array.from(raw(await mlp.get(path))?.data ?? [])]);
  }
  return out;
}

/**
 * Consigne 20.4: the MLP trained a few passes learns. With the student's
 * gradient_descent_torch_optim when it takes a Module (the handout's way),
 * else with the checks' own loop (fit.ts) through parameters() and apply(x).
 * The verdict is read here: every weight moved, the right class's
 * probability rose.
 */
async function mlpLearns(ctx: Context): Promise<void> {
  const mlp = await mlpWith(ctx, mlpWeights());
  const d = smallData();
  const x = rawOf(d.x_train), y = rawOf(d.y_train);
  const output = async () => tensor2d(await mlp.call("apply", ctx.tensor(x)), x.shape[0], K, "mlp.apply(x_train)");
  const before = rightClass(await output(), y), w0 = await weightsOf(mlp);
  const optim = ctx.other("gradient_descent_torch_optim");
  let trained = false;
  if (optim) {
    try {
      await optim(ctx.tensor(x), ctx.tensor(y), mlp, Q, FIT_PASSES, FIT_EPSILON);
      trained = true;
    } catch {
      // A descent written for the parameters only (not a Module): the checks' loop trains the MLP instead.
    }
  }
  const how = trained ? `votre gradient_descent_torch_optim(x, y, mlp, ${Q}, ${FIT_PASSES}, ${num(FIT_EPSILON)})` : `${FIT_PASSES} passes de SGD (momentum 0,9, ε = ${num(FIT_EPSILON)}) sur mlp.parameters()`;
  if (!trained) {
    try {
      await mlp.fit(ctx.tensor(x), ctx.tensor(y), FIT_PASSES, FIT_EPSILON);
    } catch (e) {
      fail(`le MLP n'apprend pas (${how}) : ${(e instanceof Error ? e.message : String(e)).replace(/^Error: /, "")}`);
    }
  }
  const w1 = await weightsOf(mlp);
  const still = w0.filter(([, v], i) => w1[i][1].length === v.length && w1[i][1].every((u, j) => u === v[j])).map(([name]) => name);
  if (still.length === w0.length) fail(`le MLP n'apprend pas : aucun de ses poids ne change pendant l'entraînement (${how}) ; mlp.parameters() doit donner les tf.Variable de c1 et c2 elles-mêmes, pas des copies`);
  if (still.length) fail(`${still.join(", ")} ${still.length > 1 ? "ne changent" : "ne change"} pas pendant l'entraînement (${how}) : mlp.parameters() doit les donner à l'optimiseur`);
  const after = rightClass(await output(), y);
  if (!(after > before + 0.01)) fail(`le MLP n'apprend pas : la probabilité moyenne de la bonne classe passe de ${fr(before, 4)} à ${fr(after, 4)} après ${how}`);
}

/** The checks of part 3. */
export function torchChecks(): Record<string, Check[]> {
  return {
    to_torch_parameters: [
      { name: "variables", title: "W1, b1, W2, b2 deviennent des tf.Variable float32 de mêmes valeurs (consigne 15)", async run(ctx) {
        const { p } = inputs();
        const out = await ctx.fn({ W1: p.W1.clone(), b1: p.b1.clone(), W2: p.W2.clone(), b2: p.b2.clone() });
        if (!out || typeof out !== "object") fail("to_torch_parameters doit renvoyer un objet { W1, b1, W2, b2 }");
        for (const k of ["W1", "b1", "W2", "b2"] as const) {
          const m = p[k], t = tensor2d((out as Record<string, unknown>)[k], m.rows, m.cols, k);
          if (t.dtype !== "float32") fail(`${k} est de type ${t.dtype}, on attend float32`);
          if (!t.variable) fail(`${k} n'est pas une tf.Variable : l'autograd ne le dérivera pas (tf.variable(…))`);
          closeRaw(t, rawOf(m), k, 1e-6);
        }
      } },
    ],
    predict_two_layers_nn_torch: [
      { name: "dimensions", title: "Ŷ est un tenseur de dimensions (N, K)", run: async (ctx) => {
        const t = inputs();
        tensor2d(await ctx.fn(ctx.tensor(t.x), args(ctx, torchParams(t.p))), N, K, "predict_two_layers_nn_torch(x, parameters)");
      } },
      { name: "valeurs", title: "Ŷ = softmax(tanh(x·W1 + b1)·W2 + b2), chaque ligne somme à 1", run: async (ctx) => {
        const t = inputs();
        const out = tensor2d(await ctx.fn(ctx.tensor(t.x), args(ctx, torchParams(t.p))), N, K, "Ŷ");
        closeRaw(out, await ctx.ref("predict_two_layers_nn_torch/valeurs", (lib) => { const u = inputs(); return lib.predict_two_layers_nn_torch(u.x, torchParams(u.p)); }), "Ŷ", 1e-5);
      } },
    ],
    evaluate_loss_torch: [
      { name: "valeur", title: "la perte du TP, un tenseur scalaire", run: async (ctx) => {
        const t = inputs();
        const y_hat = rawOf(Matrix.from(Array.from({ length: N }, (_, i) => [0.2 + (i % 3) * 0.1, 0.5, 0.3 - (i % 3) * 0.1])));
        const got = raw(await ctx.fn(ctx.tensor(t.y), ctx.tensor(y_hat)));
        if (!got || got.data.length !== 1) fail("evaluate_loss_torch doit renvoyer un tenseur scalaire (pour que l'autograd le dérive)");
        const want = await ctx.ref("evaluate_loss_torch/valeur", (lib) => lib.evaluate_loss_torch(inputs().y, y_hat));
        if (!(Math.abs(got!.data[0] - want) <= 1e-5 * Math.abs(want))) fail(`evaluate_loss_torch vaut ${num(got!.data[0])}, on attend ${fr(want, 5)}`);
      } },
      { name: "epsilon", title: "finie quand ŷ vaut exactement 0 (le +1e-16 dans les log)", run: async (ctx) => {
        const y = rawOf(Matrix.from([[1, 0, 0]])), y_hat = rawOf(Matrix.from([[0, 1, 0]]));
        const got = raw(await ctx.fn(ctx.tensor(y), ctx.tensor(y_hat)));
        if (!got || got.data.length !== 1) fail("evaluate_loss_torch doit renvoyer un tenseur scalaire");
        if (!Number.isFinite(got!.data[0])) fail(`evaluate_loss_torch vaut ${num(got!.data[0])} pour ŷ = (0, 1, 0) : ajoutez 1e-16 dans les log`);
        const want = await ctx.ref("evaluate_loss_torch/epsilon", (lib) => lib.evaluate_loss_torch(y, y_hat));
        if (!(Math.abs(got!.data[0] - want) <= 1e-4 * Math.abs(want))) fail(`evaluate_loss_torch vaut ${num(got!.data[0])} pour y = (1, 0, 0), ŷ = (0, 1, 0), on attend ${fr(want, 3)}`);
      } },
    ],
    gradient_descent_torch: torchDescent("gradient_descent_torch", "gd", 0.1, "vérifiez W = W − ε·grad avec les gradients de tf.variableGrads"),
    gradient_descent_torch_optim: torchDescent("gradient_descent_torch_optim", "momentum", 0.05, "un optimiseur SGD avec momentum 0,9 : `tf.train.momentum(epsilon, 0.9)`"),
    MLP: [
      { name: "couches", title: "MLP(784, 5, 3) a deux couches Linear c1 (784 → 5) et c2 (5 → 3) (consigne 20)", async run(ctx) {
        const mlp = await ctx.construct("MLP", D, Q, K);
        for (const [path, rows, cols] of [[["c1", "weight"], D, Q], [["c1", "bias"], 1, Q], [["c2", "weight"], Q, K], [["c2", "bias"], 1, K]] as const) {
          tensor2d(await mlp.get([...path]), rows, cols, `mlp.${path.join(".")}`);
        }
      } },
      { name: "parametres", title: "mlp.parameters() donne les 4 tenseurs à entraîner", async run(ctx) {
        const mlp = await ctx.construct("MLP", D, Q, K);
        const ps = await mlp.call("parameters");
        if (!Array.isArray(ps)) fail("mlp.parameters() doit renvoyer un tableau de tf.Variable");
        const shapes = (ps as unknown[]).map((t) => raw(t)?.shape.join("×") ?? "?").sort();
        const want = [`${D}×${Q}`, `1×${Q}`, `${Q}×${K}`, `1×${K}`].sort();
        if (shapes.join(",") !== want.join(",")) fail(`mlp.parameters() donne des tenseurs ${shapes.join(", ") || "(aucun)"}, on attend ${want.join(", ")}`);
      } },
      { name: "valeurs", title: "mlp.apply(x) = softmax(c2(relu(c1(x)))), chaque ligne somme à 1", async run(ctx) {
        const mlp = await mlpWith(ctx, mlpWeights());
        const t = inputs();
        const out = tensor2d(await mlp.call("apply", ctx.tensor(t.x)), N, K, "mlp.apply(x)");
        for (let i = 0; i < N; i++) {
          const s = out.data[i * K] + out.data[i * K + 1] + out.data[i * K + 2];
          if (!(Math.abs(s - 1) < 1e-4)) fail(`la ligne ${i} de mlp.apply(x) somme à ${num(s)}, pas à 1 : softmax sur la sortie`);
        }
        closeRaw(out, await ctx.ref("MLP/valeurs", (lib) => lib.mlp_forward(inputs().x, mlpWeights())), "mlp.apply(x)", 1e-4);
      } },
      { name: "relu", title: "relu : une pré-activation négative donne 0", async run(ctx) {
        const mlp = await mlpWith(ctx, mlpWeights(-1000));
        const out = tensor2d(await mlp.call("apply", ctx.tensor(inputs().x)), N, K, "mlp.apply(x)");
        closeRaw(out, await ctx.ref("MLP/relu", (lib) => lib.mlp_forward(inputs().x, mlpWeights(-1000))), "mlp.apply(x) quand c1(x) < 0 partout", 1e-4);
      } },
      { name: "apprend", title: `entraîné ${FIT_PASSES} passes (par votre gradient_descent_torch_optim, sinon un SGD fixé), le MLP apprend : tous ses poids changent, la bonne classe devient plus probable (consigne 20.4)`, run: mlpLearns },
    ],
  };
}
