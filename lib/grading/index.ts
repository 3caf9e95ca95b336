/**
 * The notebooks' self-checks: `await check.softmax(softmax)` runs the
 * grader's checks on the student's function, in the notebook, against the
 * stored expected values (expected.json, written by `nn-workbook grade
 * --write-expected` from the teacher's reference). Nothing here computes a
 * solution. The grader itself never trusts this: it runs the same checks
 * from outside the student's process (cli/grading/harness.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Matrix } from "../array/matrix";
import { CHECKS, CHECK_IDS, GRADED_FUNCTIONS, runChecksWith } from "./registry";
import type { CheckResult, Context, StudentObject } from "./checks";
import { raw } from "./checks-torch";
import { decode } from "./wire";
import { fixedFit } from "./fit";
import type { FitTf, FitTensor } from "./fit";
import type { RawTensor, Wire, WireHooks } from "./wire";

export { CHECKS, CHECK_IDS, GRADED_FUNCTIONS };
export type { CheckResult };

/** Where the stored expected values are: beside this file in the students' lib, in grading/ of the project otherwise. */
export const EXPECTED_FILES = [join(__dirname, "expected.json"), join(__dirname, "..", "..", "..", "grading", "expected.json")];

/** Matrices as Matrix, tensors as raw values: what the checks compare. */
export const valueHooks: WireHooks = {
  matrixOf: (v) => (v instanceof Matrix ? v : undefined),
  makeMatrix: (r, c, d) => new Matrix(r, c, d),
  tensorOf: (v) => raw(v),
  makeTensor: (t) => t,
  handleOf: () => undefined,
  fromHandle: (h) => { throw new Error(`no handle ${h.handle} here`); },
};

let stored: Record<string, Wire> | undefined;
function expected(key: string): unknown {
  if (!stored) {
    const file = EXPECTED_FILES.find((f) => existsSync(f));
    if (!file) throw new Error(`les valeurs attendues des vérifications manquent (${EXPECTED_FILES[0]}) : demandez le dossier de l'étudiant à jour à l'enseignant`);
    stored = (JSON.parse(readFileSync(file, "utf8")) as { values: Record<string, Wire> }).values;
  }
  if (!(key in stored)) throw new Error(`valeur attendue '${key}' absente de expected.json : régénérez-le (nn-workbook grade --write-expected)`);
  return decode(stored[key], valueHooks);
}

interface Tf {
  tensor(values: ArrayLike<number>, shape: number[], dtype: string): unknown;
  variable(t: unknown, trainable: boolean): unknown;
}
const tfOf = (): Tf => (require("../autograd/backend") as { tf: Tf }).tf;
const fullTf = () => (require("../autograd/backend") as { tf: FitTf }).tf;

/** A local object seen through the checks' StudentObject. */
export function localObject(o: object): StudentObject {
  const walk = (path: string[]) => path.reduce<unknown>((x, k) => (x && typeof x === "object" ? (x as Record<string, unknown>)[k] : undefined), o);
  return {
    get: async (path) => walk(path),
    set: async (path, value) => { (walk(path.slice(0, -1)) as Record<string, unknown>)[path[path.length - 1]] = value; },
    call: async (method, ...args) => {
      const m = (o as Record<string, unknown>)[method];
      if (typeof m !== "function") throw new Error(`${method} n'est pas une méthode de cet objet`);
      return (m as (...a: unknown[]) => unknown).apply(o, args);
    },
    fit: async (x, y, passes, epsilon) => fixedFit(fullTf(), o, x as FitTensor, y as FitTensor, passes, epsilon),
  };
}

/** Runs the checks of `name` on a function (or class) of this process, against the stored expected values. */
export function runChecks(name: string, fn: unknown): Promise<CheckResult[]> {
  return runChecksWith(name, (once): Context | string => {
    if (typeof fn !== "function") return `${name} n'est pas une fonction (${fn === undefined ? "absente" : typeof fn})`;
    const f = fn as (...a: unknown[]) => unknown;
    return {
      fn: async (...args) => f(...args),
      other: () => undefined,
      construct: async (_cls, ...args) => localObject(new (f as unknown as new (...a: unknown[]) => object)(...args)),
      tensor: (t: RawTensor) => {
        const tf = tfOf();
        const x = tf.tensor(t.data, t.shape, t.dtype);
        return t.variable ? tf.variable(x, true) : x;
      },
      ref: async <T>(key: string) => expected(key) as T,
      once,
    };
  });
}

/** The checks of each function as a French report, ✔ or ✘ per check. */
export function checkReport(results: CheckResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  const name = results[0]?.function ?? "";
  const head = `${passed === results.length ? "✔" : "✘"} ${name}\u00a0: ${passed}/${results.length} vérifications réussies`;
  return [head, ...results.map((r) => `  ${r.ok ? "✔" : "✘"} ${r.title}${r.ok ? "" : `\n      → ${r.message}`}`)].join("\n");
}

/** `await check.softmax(softmax)`: prints what passed and what is wrong. */
export const check: Record<string, (fn: unknown) => Promise<void>> = Object.fromEntries(
  GRADED_FUNCTIONS.map((name) => [name, async (fn: unknown) => console.log(checkReport(await runChecks(name, fn)))]),
);
