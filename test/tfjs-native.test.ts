import { strict as assert } from "node:assert";
import { Random, nativeInfo } from "../lib/array";
import { tf, initBackend, matMulData, releaseData } from "../lib/autograd";
import { onNativeBackend } from "./native-backend";
import { holdData, nativeKernelNames, NativeBackend } from "../lib/tfjs-native";
import { f32Isa } from "../lib/tfjs-native/addon";
import { broadcastPlan, reducePlan } from "../lib/tfjs-native/layout";
import { BufferPool } from "../lib/tfjs-native/pool";

/** Values of a computation on one backend, as plain arrays (tensors of any rank, or several). */
type Result = { shape: number[]; values: Float32Array | Int32Array | Uint8Array }[];

async function on(backend: "cpu" | "native", f: () => tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): Promise<Result> {
  assert.ok(await tf.setBackend(backend), `backend ${backend}`);
  return tf.tidy(() => {
    const r = f();
    const list = r instanceof tf.Tensor ? [r] : Array.isArray(r) ? r : Object.values(r);
    return list.map((t) => ({ shape: t.shape, values: t.dataSync().slice() as Float32Array }));
  });
}

/** |a − b| ≤ rel·|b| + abs for every element, NaN where NaN, same infinities. */
function assertClose(got: Result, want: Result, what: string, rel = 2e-6, abs = 1e-6): void {
  assert.equal(got.length, want.length, `${what}: outputs`);
  got.forEach((g, k) => {
    const w = want[k];
    assert.deepEqual(g.shape, w.shape, `${what}: shape of output ${k}`);
    for (let i = 0; i < w.values.length; i++) {
      const x = g.values[i], y = w.values[i];
      if (Number.isNaN(y)) assert.ok(Number.isNaN(x), `${what}[${i}]: ${x}, want NaN`);
      else if (!Number.isFinite(y)) assert.equal(x, y, `${what}[${i}]`);
      else assert.ok(Math.abs(x - y) <= rel * Math.abs(y) + abs, `${what}[${i}]: native ${x}, cpu ${y}`);
    }
  });
}

/** Runs f on both backends and compares. */
async function same(what: string, f: () => tf.Tensor | tf.Tensor[] | tf.NamedTensorMap, rel?: number, abs?: number): Promise<void> {
  const want = await on("cpu", f);
  const got = await on("native", f);
  assertClose(got, want, what, rel, abs);
}

const rng = new Random(7);
/** Seeded values, a share of them zero (like MNIST's pixels). */
function values(n: number, zeros = 0): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.random() < zeros ? 0 : rng.randn(1, 1).data[0]));
}
const size = (shape: number[]) => shape.reduce((p, x) => p * x, 1);
/** Tensors must be created inside each backend's run: these are made from fixed values. */
const maker = (shape: number[], zeros = 0) => {
  const v = values(size(shape), zeros);
  return () => tf.tensor(v, shape);
};

describe("TensorFlow.js backend 'native' (float32 C++ kernels)", function () {
  this.timeout(300000);

  onNativeBackend();

  it("is picked by default and overrides the hot kernels", async () => {
    assert.equal(await initBackend(), "native");
    assert.ok(tf.backend() instanceof NativeBackend);
    for (const k of ["BatchMatMul", "_FusedMatMul", "Add", "Sub", "Multiply", "RealDiv", "Tanh", "Exp", "Log", "Relu", "Sum", "Softmax"]) {
      assert.ok(nativeKernelNames.includes(k), k);
    }
    await assert.rejects(initBackend("gpu" as "cpu"), /unknown backend 'gpu'; use one of native, wasm, cpu/);
  });

  describe("plans shapes as matrices", () => {
    it("broadcasts", () => {
      assert.deepEqual(broadcastPlan([3, 4], [3, 4], [3, 4]), { rows: 1, cols: 12, modeA: 0, modeB: 0 });
      assert.deepEqual(broadcastPlan([3, 4], [1, 4], [3, 4]), { rows: 3, cols: 4, modeA: 0, modeB: 1 });
      assert.deepEqual(broadcastPlan([3, 4], [4], [3, 4]), { rows: 3, cols: 4, modeA: 0, modeB: 1 });
      assert.deepEqual(broadcastPlan([3, 1], [3, 4], [3, 4]), { rows: 3, cols: 4, modeA: 2, modeB: 0 });
      assert.deepEqual(broadcastPlan([], [3, 4], [3, 4]), { rows: 1, cols: 12, modeA: 3, modeB: 0 });
      assert.deepEqual(broadcastPlan([1, 4], [3, 1], [3, 4]), { rows: 3, cols: 4, modeA: 1, modeB: 2 });
      assert.deepEqual(broadcastPlan([2, 3, 4], [2, 1, 1], [2, 3, 4]), { rows: 2, cols: 12, modeA: 0, modeB: 2 });
      assert.equal(broadcastPlan([2, 3, 4], [1, 3, 1], [2, 3, 4]), undefined, "a middle axis: cpu");
      assert.equal(broadcastPlan([2, 1, 4], [2, 3, 1], [2, 3, 4]), undefined, "row and column on different axes: cpu");
    });
    it("reduces", () => {
      assert.deepEqual(reducePlan([5, 3], [1]), { rows: 5, cols: 3, axis: 1 });
      assert.deepEqual(reducePlan([5, 3], [0]), { rows: 5, cols: 3, axis: 0 });
      assert.deepEqual(reducePlan([5, 3], [0, 1]), { rows: 1, cols: 15, axis: 1 });
      assert.deepEqual(reducePlan([2, 3, 4], [1, 2]), { rows: 2, cols: 12, axis: 1 });
      assert.deepEqual(reducePlan([2, 1, 4], [0, 2]), { rows: 1, cols: 8, axis: 1 }, "a length-1 axis between");
      assert.equal(reducePlan([2, 3, 4], [0, 2]), undefined);
      assert.equal(reducePlan([2, 3], []), undefined);
    });
  });

  describe("matches the cpu backend (values and gradients, float32)", () => {
    // test/kernels-isa.test.ts runs this block again under each NN_WORKBOOK_ISA.
    it("runs on the float64 kernels' instruction-set variant (NN_WORKBOOK_ISA caps both)", () => {
      const info = nativeInfo();
      assert.ok(info, "the addon is loaded");
      assert.equal(f32Isa(), info.isa);
      const cap = process.env.NN_WORKBOOK_ISA;
      if (cap && info.isas.includes(cap)) assert.equal(f32Isa(), cap);
    });

    const special = Float32Array.from([
      0, -0, 1e-40, -1e-40, 1e-30, -1e-7, 0.5, 0.624, 0.626, -0.626, 1, -1, 2.5, -3, 9.9, 10.1, -20, 30,
      88.7, 88.73, -87.3, -103.9, -104, 1e30, -1e30, NaN, Infinity, -Infinity,
    ]);
    const unaries: [string, (x: tf.Tensor) => tf.Tensor][] = [
      ["tanh", tf.tanh], ["exp", tf.exp], ["log", tf.log], ["relu", tf.relu], ["neg", tf.neg],
      ["square", tf.square], ["sigmoid", tf.sigmoid], ["step", (x) => tf.step(x, 0.25)],
    ];
    for (const [name, op] of unaries) {
      it(`${name}: special values, odd lengths, empty, and its gradient`, async () => {
        // Subnormal results may flush to 0 (sigmoid(−104): 0 here, 1e-45 in cpu).
        await same(`${name} special`, () => op(tf.tensor1d(special)), 4e-6, 1e-37);
        const log = name === "log";
        for (const n of [0, 1, 7, 9, 17, 1001]) {
          const v = values(n).map((x) => (log ? Math.abs(x) * 3 + 1e-3 : x * 4));
          await same(`${name} n=${n}`, () => op(tf.tensor1d(v)), 4e-6, 1e-7);
        }
        const x = values(3 * 7).map((v) => (log ? Math.abs(v) + 0.1 : v * 2));
        const w = values(3 * 7);
        await same(`${name} gradient`, () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(op(t), tf.tensor2d(w, [3, 7]))))(tf.tensor2d(x, [3, 7])), 1e-5, 1e-6);
      });
    }

    const shapes: [number[], number[]][] = [
      [[3, 4], [3, 4]], [[3, 4], [1, 4]], [[3, 4], [4]], [[3, 4], [3, 1]], [[3, 4], []], [[], [3, 4]], [[], []],
      [[1, 4], [3, 1]], [[2, 3, 4], [3, 4]], [[2, 3, 4], [2, 1, 1]], [[2, 3, 4], [1, 3, 1]], [[0, 4], [1, 4]], [[1001], [1001]],
      [[37, 100], [1, 100]],
    ];
    const binaries: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [["add", tf.add], ["sub", tf.sub], ["mul", tf.mul], ["div", tf.div]];
    for (const [name, op] of binaries) {
      it(`${name}: broadcasting shapes, and its gradients`, async () => {
        for (const [sa, sb] of shapes) {
          const a = maker(sa), bv = values(size(sb)).map((v) => (name === "div" ? Math.sign(v || 1) * (Math.abs(v) + 0.5) : v));
          const b = () => tf.tensor(bv, sb);
          await same(`${name} [${sa}] [${sb}]`, () => op(a(), b()));
          const out = tf.broadcast_util.assertAndGetBroadcastShape(sa, sb);
          if (size(out) === 0) continue; // tfjs-core's gradients fail on empty broadcasts, cpu included
          const w = maker(out);
          await same(`${name} [${sa}] [${sb}] gradients`, () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(op(x, y), w())))([a(), b()]), 1e-5, 1e-5);
        }
      });
    }

    it("matMul: transposes, odd, empty, sparse and batched shapes, and its gradients", async () => {
      const cases: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [7, 9, 11], [2, 100, 3], [100, 2, 3], [50, 784, 100], [64, 30, 7], [0, 4, 3], [3, 0, 4]];
      for (const [m, k, n] of cases) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            for (const zeros of [0, 0.84]) {
              const a = maker(transA ? [k, m] : [m, k], zeros), b = maker(transB ? [n, k] : [k, n]);
              const what = `matMul ${m}×${k}×${n} tA=${transA} tB=${transB} zeros=${zeros}`;
              // Sums of k products in another order: float32 rounding grows with k (and cancels).
              const abs = 1e-6 * Math.max(k, 10);
              await same(what, () => tf.matMul(a(), b(), transA, transB), 1e-5, abs);
              if (m * n * k === 0) continue;
              const w = maker([m, n]);
              await same(`${what} gradients`, () => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, transA, transB), w())))([a(), b()]), 1e-5, 1e-6 * Math.max(m, n, 10));
            }
          }
        }
      }
      const a3 = maker([2, 3, 4]), b3 = maker([2, 4, 5]), b1 = maker([1, 4, 5]);
      await same("batched matMul", () => tf.matMul(a3(), b3()), 1e-5, 1e-5);
      await same("batched matMul, transposed", () => tf.matMul(b3(), a3(), true, true), 1e-5, 1e-5);
      await same("broadcast batch (cpu)", () => tf.matMul(a3(), b1()), 1e-5, 1e-5);
    });

    it("matMul of held data (its non-zeros gathered once, X and Xᵀ) and matMulData's gradient", async () => {
      for (const [m, k, n] of [[1, 1, 1], [13, 784, 100], [40, 50, 3], [5, 7, 0]]) {
        const x = maker([m, k], 0.84), w = maker([k, n]);
        await same(`held ${m}×${k}×${n}`, () => {
          const xs = x();
          holdData(xs);
          return [tf.matMul(xs, w()), tf.matMul(xs, w()), tf.matMul(xs, w(), false, false)];
        }, 1e-5, 1e-6 * k);
        const dy = maker([m, n]);
        await same(`held ${m}×${k}×${n}: W's gradient Xᵀ·dy (transposed sparse copy)`, () => {
          const xs = x();
          holdData(xs);
          return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xs, v), dy())))(w());
        }, 1e-5, 1e-6 * m);
        await same(`matMulData ${m}×${k}×${n} gradient`, () => {
          const xs = x() as tf.Tensor2D;
          const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(matMulData(xs, v as tf.Tensor2D), dy())))(w());
          releaseData(xs);
          return g;
        }, 1e-5, 1e-6 * m);
      }
    });

    it("fused matMul (bias, relu, linear) and its gradients", async () => {
      const a = maker([9, 6], 0.5), b = maker([6, 5]), bias = maker([5]), bias2 = maker([9, 5]);
      for (const activation of ["linear", "relu", "elu"] as const) {
        await same(`fused ${activation}`, () => tf.fused.matMul({ a: a() as tf.Tensor2D, b: b() as tf.Tensor2D, bias: bias(), activation }), 1e-5, 1e-5);
        await same(`fused ${activation} full bias, transposed`, () => tf.fused.matMul({ a: tf.transpose(a()) as tf.Tensor2D, b: b() as tf.Tensor2D, bias: bias2(), activation, transposeA: true }), 1e-5, 1e-5);
        await same(`fused ${activation} gradients`, () => tf.grads((x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: x as tf.Tensor2D, b: y as tf.Tensor2D, bias: z, activation }))))([a(), b(), bias()]), 1e-5, 1e-5);
      }
      await same("fused without bias", () => tf.fused.matMul({ a: a() as tf.Tensor2D, b: b() as tf.Tensor2D }), 1e-5, 1e-5);
    });

    it("sum: axes, keepDims, 3-D, empty and integer tensors, and its gradient", async () => {
      const x = maker([6, 5]), y = maker([2, 3, 4]), z = maker([0, 3]);
      const axes: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 1]];
      for (const axis of axes) {
        for (const keepDims of [false, true]) await same(`sum [6,5] ${axis} ${keepDims}`, () => tf.sum(x(), axis, keepDims), 1e-6, 1e-6);
      }
      for (const axis of [[1, 2], [0, 1], [0, 2], 1, [0, 1, 2]]) await same(`sum [2,3,4] ${axis}`, () => tf.sum(y(), axis, true), 1e-6, 1e-6);
      await same("sum [0,3] axis 0", () => tf.sum(z(), 0));
      await same("sum [0,3] axis 1", () => tf.sum(z(), 1));
      await same("sum int32", () => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), 0));
      await same("sum bool", () => tf.sum(tf.tensor1d([1, 0, 1], "bool")));
      await same("sum gradient", () => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.sum(t, 0))))(x()), 1e-5, 1e-5);
    });

    it("softmax: shapes, large logits, and its gradient", async () => {
      for (const shape of [[3, 5], [1, 1], [4, 1], [2, 3, 4], [7], [1000, 3]]) {
        const x = maker(shape);
        await same(`softmax [${shape}]`, () => tf.softmax(x()), 4e-6, 1e-7);
        const w = maker(shape);
        await same(`softmax [${shape}] gradient`, () => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), w())))(x()), 1e-5, 1e-6);
      }
      await same("softmax of ±1000", () => tf.softmax(tf.tensor2d([1000, 0, -1000, 1000, 1000, 999], [2, 3])));
    });

    it("the handout's loss and its gradients through the whole two-layer net", async () => {
      const x = maker([40, 784], 0.84), W1 = maker([784, 100]), b1 = maker([1, 100]), W2 = maker([100, 3]), b2 = maker([1, 3]);
      const yv = Float32Array.from({ length: 120 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
      const net = (w1: tf.Tensor, c1: tf.Tensor, w2: tf.Tensor, c2: tf.Tensor) => {
        const y = tf.tensor2d(yv, [40, 3]);
        const h = tf.softmax(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x() as tf.Tensor2D, tf.mul(w1, 0.05) as tf.Tensor2D), c1)) as tf.Tensor2D, w2 as tf.Tensor2D), c2));
        const pos = tf.mul(y, tf.log(tf.add(h, 1e-16))), neg = tf.mul(tf.sub(1, y), tf.log(tf.add(tf.sub(1, h), 1e-16)));
        return tf.div(tf.neg(tf.sum(tf.add(pos, neg))), 40);
      };
      const run = () => {
        const { value, grads } = tf.valueAndGrads(net)([W1(), b1(), W2(), b2()]);
        return [value, ...grads];
      };
      const want = await on("cpu", run), got = await on("native", run);
      // Relative to each output's norm: single gradients near 0 carry the rounding of long sums.
      want.forEach((w, k) => {
        let diff = 0, norm = 0;
        w.values.forEach((y, i) => { diff += (got[k].values[i] - y) ** 2; norm += y * y; });
        assert.ok(Math.sqrt(diff / norm) < 1e-5, `output ${k}: relative error ${Math.sqrt(diff / norm)}`);
      });
    });
  });

  describe("buffer reuse", () => {
    before(async () => void (await tf.setBackend("native")));

    it("reuses the buffers of disposed outputs", () => {
      const x = tf.tensor1d(values(5000));
      const a = tf.tanh(x);
      const buffer = (tf.backend() as NativeBackend).data.get(a.dataId).values;
      a.dispose();
      const b = tf.exp(x);
      assert.equal((tf.backend() as NativeBackend).data.get(b.dataId).values, buffer, "the same array again");
      tf.dispose([x, b]);
    });

    it("never reuses a buffer that was read out or viewed by another tensor", () => {
      const x = tf.tensor2d(values(4000), [2, 2000]);
      const a = tf.tanh(x);
      const read = a.dataSync(), copy = read.slice();
      a.dispose();
      const b = tf.exp(x);
      assert.deepEqual(read, copy, "dataSync's array is untouched");
      const row = tf.slice(b, [1, 0], [1, 2000]); // a view of b's buffer (cpu's Slice)
      const rowCopy = row.dataSync().slice();
      b.dispose();
      const c = tf.neg(x), d = tf.square(x);
      assert.deepEqual(row.dataSync(), rowCopy, "the slice is untouched");
      tf.dispose([x, c, d, row]);
    });

    it("a pool keeps at most its byte limit", () => {
      const pool = new BufferPool(1000);
      const bufs = [pool.alloc(100), pool.alloc(100), pool.alloc(100)];
      bufs.forEach((b) => pool.stored(b));
      bufs.forEach((b) => pool.released(b));
      assert.equal(pool.idleBytes, 800, "two of 400 bytes kept, the third left to the GC");
      assert.equal(pool.alloc(100), bufs[1]);
      assert.equal(pool.idleBytes, 400);
    });
  });
});

describe("the CLI's backend names", () => {
  it("are lib/autograd's", async () => {
    const { BACKEND_NAMES } = await import("../cli/models");
    const { BACKENDS } = await import("../lib/autograd");
    assert.deepEqual([...BACKEND_NAMES], [...BACKENDS]);
  });
});
