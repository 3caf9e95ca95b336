/** The `nn-workbook` command line. */
import { runCommand, RUN_HELP } from "./run";
import { trainCommand, TRAIN_HELP } from "./train";
import { answersCommand, ANSWERS_HELP } from "./answers";
import { assignCommand, ASSIGN_HELP } from "./assign";
import { GRADE_HELP } from "./grade-help";
import { kernelCommand, KERNEL_HELP } from "./kernel";
import { dispatch } from "./dispatch";

const HELP = `usage: nn-workbook <command> [options]

commands:
  run <notebook.ipynb>…   execute notebooks headless, write copies to out/
  train                   train a network of the lab, report losses, accuracy, speed
  answers [--check]       write answers.md from the notebooks' recorded values (or check it)
  assign [--out DIR]      write the student version of the notebooks
  grade <submissions>     run and grade submitted notebooks: grades.csv and feedback
  kernel install|uninstall|list   this project's TypeScript kernel in an existing Jupyter (a hub's, VS Code's)

'nn-workbook <command> --help' tells more.

${RUN_HELP}

${TRAIN_HELP}

${ANSWERS_HELP}

${ASSIGN_HELP}

${GRADE_HELP}

${KERNEL_HELP}`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  train: trainCommand,
  answers: answersCommand,
  assign: assignCommand,
  grade: async (argv) => (await import("./grade")).gradeCommand(argv),
  kernel: kernelCommand,
};

export function main(argv: string[]): Promise<number> {
  return dispatch(COMMANDS, HELP, argv);
}
