/**
 * grading/expected.json: the expected values of every check, computed once
 * from the teacher's reference, for the notebooks' self-checks (the
 * students' lib holds no reference). Written by running every check with the
 * reference itself as the "student" and recording what each check asks for.
 */
import { writeFileSync } from "node:fs";
import { encode } from "../../lib/grading/wire";
import type { Wire } from "../../lib/grading/wire";
import { valueHooks } from "../../lib/grading";
import { GRADED_FUNCTIONS, runChecksWith } from "../../lib/grading/registry";
import type { Context, ReferenceLib } from "../../lib/grading/checks";
import { reference, initReference } from "../../lib/grading/reference";
import { MlpStandIn, solutions } from "./solutions";

/** Records every reference value the checks ask for, for all graded functions. */
export async function expectedValues(): Promise<Record<string, Wire>> {
  await initReference();
  const values: Record<string, Wire> = {};
  const fns = solutions();
  for (const name of GRADED_FUNCTIONS) {
    const results = await runChecksWith(name, (once): Context => ({
      fn: async (...args) => fns[name](...args),
      other: () => undefined,
      construct: async (_c, ...args) => new MlpStandIn(args as number[]),
      tensor: (t) => t,
      ref: async <T>(key: string, compute: (lib: ReferenceLib) => T) => {
        const v = compute(reference);
        values[key] = encode(v, valueHooks);
        return v;
      },
      once,
    }));
    const bad = results.filter((r) => !r.ok);
    if (bad.length) throw new Error(`the reference fails its own checks: ${bad.map((r) => `${r.id}: ${r.message}`).join("; ")}`);
  }
  return values;
}

export async function writeExpected(file: string): Promise<string> {
  const values = await expectedValues();
  writeFileSync(file, JSON.stringify({ "//": "Written by 'nn-workbook grade --write-expected' from the teacher's reference: the notebooks' self-checks compare with these.", values }) + "\n");
  return file;
}
