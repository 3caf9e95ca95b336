/**
 * Self-checks for the notebooks and the grader's entry point, both over the
 * same checks (checks.ts).
 */
import { CHECKS, GRADED_FUNCTIONS, runChecks } from "./checks";
import type { CheckResult } from "./checks";

export { CHECKS, GRADED_FUNCTIONS, runChecks };
export type { CheckResult };

/** The marker before the grader's JSON line in a check cell's output. */
export const GRADE_MARKER = "NNWB-GRADE ";

/** The checks of each function as a French report, ✔ or ✘ per check. */
export function checkReport(results: CheckResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  const name = results[0]?.function ?? "";
  const head = `${passed === results.length ? "✔" : "✘"} ${name} : ${passed}/${results.length} vérifications réussies`;
  return [head, ...results.map((r) => `  ${r.ok ? "✔" : "✘"} ${r.title}${r.ok ? "" : `\n      → ${r.message}`}`)].join("\n");
}

type SelfCheck = (fn: unknown) => void;

/**
 * `check.softmax(softmax)`: runs the grader's checks on the student's
 * function and prints what passed and what is wrong.
 */
export const check: Record<string, SelfCheck> = Object.fromEntries(
  GRADED_FUNCTIONS.map((name) => [name, (fn: unknown) => console.log(checkReport(runChecks(name, fn)))]),
);

/** For the grader's own cells: the results as one JSON line after GRADE_MARKER. */
export function gradeFunction(name: string, fn: unknown): void {
  console.log(GRADE_MARKER + JSON.stringify(runChecks(name, fn)));
}
