/**
 * How values cross between the grader's harness and the sandboxed process
 * that holds a submission's functions: one JSON document per line, matrices
 * and tensors as base64 of their raw float buffers plus their shape, other
 * objects (an MLP instance…) as handles the sandbox keeps. Shared by both
 * ends; it imports nothing, each end says how to recognise and build its own
 * matrices and tensors.
 */

/** Raw values of a tensor, as they cross the wire (the harness never needs a live tf.Tensor of the student's). */
export interface RawTensor {
  shape: number[];
  dtype: "float32" | "int32" | "bool";
  data: Float32Array | Int32Array | Uint8Array;
  /** Sent as a tf.Variable (trainable) when true. */
  variable: boolean;
}

/** An object that stays in the sandbox (a class instance): the harness holds its id. */
export interface Handle {
  handle: number;
  /** Its class name, for messages. */
  kind: string;
}

/** One end's knowledge of its own types. */
export interface WireHooks {
  matrixOf(v: unknown): { rows: number; cols: number; data: Float64Array } | undefined;
  makeMatrix(rows: number, cols: number, data: Float64Array): unknown;
  tensorOf(v: unknown): RawTensor | undefined;
  makeTensor(t: RawTensor): unknown;
  /** Turns an object that is none of the above into a handle (sandbox), or refuses (harness). */
  handleOf(v: object): Handle | undefined;
  fromHandle(h: Handle): unknown;
}

export type Wire = null | boolean | number | string | Wire[] | { [k: string]: Wire };

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
const bytes = (s: string) => {
  const b = Buffer.from(s, "base64");
  // A copy, aligned for any typed array.
  const out = new ArrayBuffer(b.length);
  new Uint8Array(out).set(b);
  return out;
};

/** Encodes a value; `depth` bounds nesting (a cyclic object is refused, not followed forever). */
export function encode(v: unknown, hooks: WireHooks, depth = 0): Wire {
  if (depth > 20) throw new Error("value nested too deeply to be sent");
  if (v === undefined) return { $u: 1 };
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : { $n: String(v) };
  if (typeof v === "bigint") return { $n: String(v) };
  if (typeof v === "function") return { $f: String((v as { name?: string }).name ?? "") };
  if (typeof v !== "object") return { $x: typeof v };
  const m = hooks.matrixOf(v);
  if (m) return { $m: [m.rows, m.cols], b: b64(m.data) };
  const t = hooks.tensorOf(v);
  if (t) return { $t: t.shape, d: t.dtype, v: t.variable, b: b64(t.data) };
  if (Array.isArray(v)) return v.map((x) => encode(x, hooks, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, Wire> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encode(x, hooks, depth + 1);
    return out;
  }
  const h = hooks.handleOf(v);
  if (h) return { $h: h.handle, k: h.kind };
  return { $x: String(proto?.constructor?.name ?? "object") };
}

/** Decodes what `encode` made, with this end's hooks. */
export function decode(w: Wire, hooks: WireHooks): unknown {
  if (w === null || typeof w !== "object") return w;
  if (Array.isArray(w)) return w.map((x) => decode(x, hooks));
  if ("$u" in w) return undefined;
  if ("$n" in w) return Number(w.$n);
  if ("$f" in w) return new RemoteFunction(String(w.$f));
  if ("$x" in w) return new Unsendable(String(w.$x));
  if ("$m" in w) {
    const [rows, cols] = w.$m as number[];
    const data = new Float64Array(bytes(String(w.b)));
    if (!(Number.isInteger(rows) && Number.isInteger(cols) && rows * cols === data.length)) throw new Error(`bad matrix on the wire: (${rows}, ${cols}) with ${data.length} values`);
    return hooks.makeMatrix(rows, cols, data);
  }
  if ("$t" in w) {
    const dtype = String(w.d) as RawTensor["dtype"];
    const buf = bytes(String(w.b));
    const data = dtype === "int32" ? new Int32Array(buf) : dtype === "bool" ? new Uint8Array(buf) : new Float32Array(buf);
    const shape = (w.$t as number[]).map(Number);
    if (shape.reduce((a, b) => a * b, 1) !== data.length) throw new Error(`bad tensor on the wire: shape [${shape.join(", ")}] with ${data.length} values`);
    return hooks.makeTensor({ shape, dtype, data, variable: w.v === true });
  }
  if ("$h" in w) return hooks.fromHandle({ handle: Number(w.$h), kind: String(w.k ?? "") });
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(w)) out[k] = decode(x, hooks);
  return out;
}

/** A function value the sandbox returned (only its name crosses). */
export class RemoteFunction {
  constructor(readonly name: string) {}
}

/** A value the sandbox could not send (a symbol, a cyclic or foreign object). */
export class Unsendable {
  constructor(readonly kind: string) {}
}

/** A request from the harness to the sandbox. */
export type Request =
  | { id: number; op: "names"; names: string[] }
  | { id: number; op: "call"; name: string; args: Wire[] }
  | { id: number; op: "new"; name: string; args: Wire[] }
  | { id: number; op: "method"; handle: number; method: string; args: Wire[] }
  | { id: number; op: "get"; handle: number; path: string[] }
  | { id: number; op: "set"; handle: number; path: string[]; value: Wire }
  /** Trains the module `handle` with the checks' own loop (fit.ts). */
  | { id: number; op: "fit"; handle: number; x: Wire; y: Wire; passes: number; epsilon: number };

/** The sandbox's answer to request `id`. */
export type Response = { id: number; ok: true; value: Wire } | { id: number; ok: false; error: string };

/** A request before the sender numbers it. */
export type RequestBody = Request extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;
