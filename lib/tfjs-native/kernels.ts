/**
 * The kernels the `native` backend runs in C++ (float32, native/src/
 * kernels_f32.cc): the ones a profile of part 3's training pass shows hot.
 * Each handles float32 tensors whose shapes it can see as matrices, and
 * hands anything else (other dtypes, batched or odd broadcasts) to the cpu
 * backend's own kernel, which the `native` backend also holds.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import type { NativeBackend } from "./backend";
import { BINARY, UNARY } from "./addon";
import type { BinaryName, F32Addon, UnaryName } from "./addon";
import { broadcastPlan, reducePlan } from "./layout";
import { heldCsr } from "./held";

type Args = Parameters<KernelFunc>[0];

const size = (shape: readonly number[]): number => shape.reduce((p, x) => p * x, 1);

/** The float32 values of a tensor, or undefined when it holds another type. */
function values(backend: NativeBackend, t: TensorInfo): Float32Array | undefined {
  if (t.dtype !== "float32") return undefined;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : undefined;
}

/** A kernel that tries `native` first and runs the cpu kernel when it returns undefined. */
function withFallback(name: string, native: (args: Args, backend: NativeBackend) => TensorInfo | undefined): KernelConfig {
  const cpu = tf.getKernel(name, "cpu");
  if (!cpu) throw new Error(`tfjs-native: the cpu backend has no '${name}' kernel (is @tensorflow/tfjs-backend-cpu 4.22 loaded?)`);
  return {
    kernelName: name,
    backendName: "native",
    kernelFunc: (args) => native(args, args.backend as NativeBackend) ?? cpu.kernelFunc(args),
  };
}

function output(backend: NativeBackend, shape: number[], data: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, "float32", data);
}

function unary(lib: F32Addon, kernelName: string, op: UnaryName, alpha?: (attrs: NamedAttrMap) => number): KernelConfig {
  return withFallback(kernelName, ({ inputs, attrs }, backend) => {
    const x = inputs.x!;
    const a = values(backend, x);
    if (!a) return undefined;
    const out = backend.pool.alloc(a.length);
    lib.unaryF32(UNARY[op], a, out, alpha && attrs ? alpha(attrs) : 0);
    return output(backend, [...x.shape], out);
  });
}

function binary(lib: F32Addon, kernelName: string, op: BinaryName): KernelConfig {
  return withFallback(kernelName, ({ inputs }, backend) => {
    const a = inputs.a!, b = inputs.b!;
    const av = values(backend, a), bv = values(backend, b);
    if (!av || !bv) return undefined;
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const plan = broadcastPlan(a.shape, b.shape, shape);
    if (!plan) return undefined;
    const out = backend.pool.alloc(plan.rows * plan.cols);
    lib.binaryF32(BINARY[op], plan.modeA, plan.modeB, av, bv, out, plan.rows, plan.cols);
    return output(backend, shape, out);
  });
}

/**
 * op(a)·op(b) for matrices or equal batches of them; an output of
 * (batch, m, n). Broadcast batches go to the cpu kernel.
 */
function product(lib: F32Addon, backend: NativeBackend, a: TensorInfo, b: TensorInfo, av: Float32Array, bv: Float32Array, transA: boolean, transB: boolean): { shape: number[]; data: Float32Array } | undefined {
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 2 || ra !== rb) return undefined;
  const outer = a.shape.slice(0, -2);
  if (outer.some((d, i) => d !== b.shape[i])) return undefined;
  const [m, k] = transA ? [a.shape[ra - 1], a.shape[ra - 2]] : [a.shape[ra - 2], a.shape[ra - 1]];
  const [k2, n] = transB ? [b.shape[rb - 1], b.shape[rb - 2]] : [b.shape[rb - 2], b.shape[rb - 1]];
  if (k !== k2) return undefined; // the cpu kernel says what is wrong
  const batch = size(outer);
  const data = backend.pool.alloc(batch * m * n);
  // Held data (X·W1, and Xᵀ·δ2 for W1's gradient): its non-zeros were gathered once.
  const csr = batch === 1 && !transB ? (transA ? heldCsr(av, k, m, true) : heldCsr(av, m, k, false)) : undefined;
  if (csr) {
    lib.csrGemmF32(csr.ptr, csr.idx, csr.val, m, k, bv, data, n);
    return { shape: [...outer, m, n], data };
  }
  for (let i = 0; i < batch; i++) {
    const ai = batch === 1 ? av : av.subarray(i * m * k, (i + 1) * m * k);
    const bi = batch === 1 ? bv : bv.subarray(i * k * n, (i + 1) * k * n);
    const oi = batch === 1 ? data : data.subarray(i * m * n, (i + 1) * m * n);
    lib.gemmF32(ai, bi, oi, m, k, n, transA, transB);
  }
  return { shape: [...outer, m, n], data };
}

/** The overriding kernels, for the addon's float32 functions. */
export function nativeKernelConfigs(lib: F32Addon): KernelConfig[] {
  const matMul = withFallback(tf.BatchMatMul, ({ inputs, attrs }, backend) => {
    const a = inputs.a!, b = inputs.b!;
    const av = values(backend, a), bv = values(backend, b);
    if (!av || !bv) return undefined;
    const r = product(lib, backend, a, b, av, bv, attrs?.transposeA === true, attrs?.transposeB === true);
    return r && output(backend, r.shape, r.data);
  });

  // x·W (+ bias) (then relu): tf.fused.matMul, as tfjs-layers' Dense calls it.
  const fusedMatMul = withFallback(tf._FusedMatMul, ({ inputs, attrs }, backend) => {
    const { a, b, bias } = inputs;
    const activation = (attrs?.activation as string | undefined) ?? "linear";
    if (activation !== "linear" && activation !== "relu") return undefined;
    if (inputs.preluActivationWeights) return undefined;
    const av = values(backend, a!), bv = values(backend, b!);
    if (!av || !bv) return undefined;
    const r = product(lib, backend, a!, b!, av, bv, attrs?.transposeA === true, attrs?.transposeB === true);
    if (!r) return undefined;
    if (bias) {
      const biasValues = values(backend, bias);
      const plan = biasValues && broadcastPlan(r.shape, bias.shape, r.shape);
      if (!biasValues || !plan) return undefined;
      lib.binaryF32(BINARY.add, plan.modeA, plan.modeB, r.data, biasValues, r.data, plan.rows, plan.cols);
    }
    if (activation === "relu") lib.unaryF32(UNARY.relu, r.data, r.data, 0);
    return output(backend, r.shape, r.data);
  });

  const sum = withFallback(tf.Sum, ({ inputs, attrs }, backend) => {
    const x = inputs.x!;
    const xv = values(backend, x);
    if (!xv) return undefined;
    const axes = [...new Set(tf.util.parseAxisParam(attrs!.axis as number | number[], x.shape))].sort((p, q) => p - q);
    const plan = reducePlan(x.shape, axes);
    if (!plan) return undefined;
    const out = backend.pool.alloc(plan.axis === 1 ? plan.rows : plan.cols);
    lib.sumF32(xv, out, plan.rows, plan.cols, plan.axis);
    const kept = x.shape.filter((_, i) => !axes.includes(i));
    return output(backend, attrs!.keepDims ? tf.backend_util.expandShapeToKeepDim(kept, axes) : kept, out);
  });

  const softmax = withFallback(tf.Softmax, ({ inputs, attrs }, backend) => {
    const x = inputs.logits!;
    const xv = values(backend, x);
    const r = x.shape.length;
    const dim = attrs?.dim as number;
    if (!xv || r === 0 || (dim !== -1 && dim !== r - 1)) return undefined;
    const cols = x.shape[r - 1], out = backend.pool.alloc(xv.length);
    lib.softmaxF32(xv, out, cols ? xv.length / cols : 0, cols);
    return output(backend, [...x.shape], out);
  });

  return [
    matMul, fusedMatMul, sum, softmax,
    binary(lib, tf.Add, "add"), binary(lib, tf.Sub, "sub"), binary(lib, tf.Multiply, "mul"), binary(lib, tf.RealDiv, "div"),
    unary(lib, tf.Tanh, "tanh"), unary(lib, tf.Exp, "exp"), unary(lib, tf.Log, "log"), unary(lib, tf.Relu, "relu"),
    unary(lib, tf.Neg, "neg"), unary(lib, tf.Square, "square"), unary(lib, tf.Sigmoid, "sigmoid"),
    unary(lib, tf.Step, "step", (attrs) => attrs.alpha as number),
  ];
}
