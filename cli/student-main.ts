/**
 * The student's `nn-workbook` command (in the folder `nn-workbook assign`
 * writes, as cli/main.ts): running the notebooks headless under the
 * grader's limits, nothing of the teacher's tools.
 */
import { runCommand, STUDENT_RUN_HELP } from "./run";
import { dispatch } from "./dispatch";

const HELP = `usage: nn-workbook run <notebook.ipynb>… [options]

${STUDENT_RUN_HELP}`;

export function main(argv: string[]): Promise<number> {
  // The grader's limits by default: what fails when graded fails here first.
  return dispatch({ run: (a) => runCommand(a, { asGraded: true }) }, HELP, argv);
}
