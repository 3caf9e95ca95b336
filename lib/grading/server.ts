/**
 * Runs inside a grading sandbox: loads one submission's declarations (a
 * CommonJS module made by the grader from the notebook's cells) and answers
 * the harness's requests on fd 3 (in) / fd 4 (out), one JSON line each:
 * call a function, build a class, call a method. It judges nothing: the
 * harness compares what comes back with its own reference, so whatever the
 * submission does to this process only changes its own answers.
 *
 *   node server.js <submission.js> <student-lib-dir>
 */
import { createReadStream, writeSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { decode, encode } from "./wire";
import { fixedFit } from "./fit";
import type { FitTf, FitTensor } from "./fit";
import type { Request, Response, WireHooks, RawTensor } from "./wire";

interface TensorLike { shape: number[]; dtype: string; dataSync(): ArrayLike<number>; }
interface Tf {
  Tensor: new (...a: never[]) => TensorLike;
  Variable: new (...a: never[]) => TensorLike;
  tensor(values: ArrayLike<number>, shape: number[], dtype: string): TensorLike;
  variable(t: TensorLike, trainable: boolean): TensorLike;
}

// Taken before the submission loads: what it patches later does not reach the answers' transport.
const stringify = JSON.stringify, parse = JSON.parse, write = writeSync;

async function main(): Promise<void> {
  const [moduleFile, libDir] = process.argv.slice(2);
  const out = (r: Response) => write(4, stringify(r) + "\n");
  // The student lib's own classes, so `instanceof Matrix` holds in the submission.
  const { Matrix } = require(join(libDir, "array", "matrix.js")) as { Matrix: new (r: number, c: number, d: Float64Array) => unknown };
  let tf: Tf | undefined;
  const handles = new Map<number, object>();
  let nextHandle = 1;
  const hooks: WireHooks = {
    matrixOf: (v) => (v instanceof Matrix ? (v as { rows: number; cols: number; data: Float64Array }) : undefined),
    makeMatrix: (r, c, d) => new Matrix(r, c, d),
    tensorOf: (v) => {
      if (!tf || !(v instanceof tf.Tensor)) return undefined;
      const t = v as TensorLike;
      const data = t.dataSync();
      return { shape: t.shape, dtype: t.dtype as RawTensor["dtype"], data: data as RawTensor["data"], variable: v instanceof tf.Variable };
    },
    makeTensor: (t) => {
      if (!tf) throw new Error("a tensor was sent but the submission does not load TensorFlow.js");
      const x = tf.tensor(t.data, t.shape, t.dtype);
      return t.variable ? tf.variable(x, true) : x;
    },
    handleOf: (v) => {
      const id = nextHandle++;
      handles.set(id, v);
      return { handle: id, kind: String((Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name ?? "object") };
    },
    fromHandle: (h) => {
      const v = handles.get(h.handle);
      if (!v) throw new Error(`unknown handle ${h.handle}`);
      return v;
    },
  };

  let names: Record<string, unknown> = {};
  let loadError: string | undefined;
  try {
    const usesTf = /autograd|tfjs/.test(require("node:fs").readFileSync(moduleFile, "utf8"));
    if (usesTf) {
      const backend = require(join(libDir, "autograd", "backend.js")) as { tf: Tf; initBackend(b?: string): Promise<string> };
      tf = backend.tf;
      await backend.initBackend("wasm");
    }
    const mod = require(moduleFile) as { __nnwb_names?: () => Record<string, unknown> };
    names = mod.__nnwb_names?.() ?? {};
  } catch (e) {
    loadError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }

  const message = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : `valeur levée : ${String(e)}`).slice(0, 2000);
  const lookup = (name: string) => {
    if (loadError) throw new Error(`le code du cahier ne se charge pas : ${loadError}`);
    return names[name];
  };
  const walk = (handle: number, path: string[]) => path.reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), hooks.fromHandle({ handle, kind: "" }));
  const answer = async (r: Request): Promise<unknown> => {
    switch (r.op) {
      case "names":
        if (loadError) lookup(""); // says why nothing is defined
        return r.names.filter((n) => typeof lookup(n) === "function");
      case "call": {
        const fn = lookup(r.name);
        if (typeof fn !== "function") throw new Error(`${r.name} n'est pas une fonction`);
        return await (fn as (...a: unknown[]) => unknown)(...r.args.map((a) => decode(a, hooks)));
      }
      case "new": {
        const C = lookup(r.name);
        if (typeof C !== "function") throw new Error(`${r.name} n'est pas une classe`);
        return new (C as new (...a: unknown[]) => object)(...r.args.map((a) => decode(a, hooks)));
      }
      case "method": {
        const o = hooks.fromHandle({ handle: r.handle, kind: "" }) as Record<string, unknown>;
        const m = o[r.method];
        if (typeof m !== "function") throw new Error(`${r.method} n'est pas une méthode de cet objet`);
        return await (m as (...a: unknown[]) => unknown).apply(o, r.args.map((a) => decode(a, hooks)));
      }
      case "get": return walk(r.handle, r.path);
      case "fit": {
        if (!tf) throw new Error("the submission does not load TensorFlow.js: no module to train");
        // The student lib's TensorFlow.js, seen through the few members this file names.
        const full = tf as unknown as FitTf;
        fixedFit(full, hooks.fromHandle({ handle: r.handle, kind: "" }), decode(r.x, hooks) as FitTensor, decode(r.y, hooks) as FitTensor, r.passes, r.epsilon);
        return undefined;
      }
      case "set": {
        const parent = walk(r.handle, r.path.slice(0, -1)) as Record<string, unknown>;
        if (!parent || typeof parent !== "object") throw new Error(`${r.path.slice(0, -1).join(".")} n'est pas un objet`);
        parent[r.path[r.path.length - 1]] = decode(r.value, hooks);
        return undefined;
      }
    }
  };

  const lines = createInterface({ input: createReadStream("", { fd: 3 }), crlfDelay: Infinity });
  for await (const line of lines) {
    let r: Request;
    try {
      r = parse(line) as Request;
    } catch {
      continue;
    }
    try {
      out({ id: r.id, ok: true, value: encode(await answer(r), hooks) });
    } catch (e) {
      out({ id: r.id, ok: false, error: message(e) });
    }
  }
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`grading server: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
