/**
 * The student's `nn-workbook` command (in the folder `nn-workbook assign`
 * writes, as cli/main.ts): running the notebooks headless, nothing of the
 * teacher's tools.
 */
import { runCommand, RUN_HELP } from "./run";
import { dispatch } from "./dispatch";

const HELP = `usage: nn-workbook run <notebook.ipynb>… [options]

${RUN_HELP}`;

export function main(argv: string[]): Promise<number> {
  return dispatch({ run: runCommand }, HELP, argv);
}
