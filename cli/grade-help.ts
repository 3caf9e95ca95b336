/**
 * `nn-workbook grade`'s help, apart from the command: the grader loads the
 * TypeScript compiler (40 MB of heap), which every other command would carry
 * (and pay for in each of V8's full collections) if the help came from there.
 */
import { GRADER_LIMITS } from "./limits";

export const GRADE_HELP = `nn-workbook grade <submissions-dir> [--out DIR] [--timeout S] [--budget S] [--memory MB] [--jobs N] [--points FILE] [--shard K/N]
nn-workbook grade merge <out-dir>... --out DIR
nn-workbook grade --write-expected
  Grades every submission of <submissions-dir>: a .ipynb file per student
  (named after the student) or a folder per student holding .ipynb files.
  Each notebook runs in its own sandbox; each check of each handout function
  scores on its own, from outside the student's process. Writes
  DIR/grades.csv, DIR/usage.csv, DIR/feedback/<student>.md and the executed
  notebooks in DIR/executed/ (default DIR: out/grades).
    --timeout S   CPU seconds per cell, and per call of a checked function (default ${GRADER_LIMITS.cellCpuSeconds})
    --budget S    CPU seconds for all the cells of one notebook (default ${GRADER_LIMITS.notebookCpuSeconds})
    --memory MB   memory cap of one kernel (default ${GRADER_LIMITS.memoryMb})
    --jobs N      students graded at once (default 1)
    --points FILE points per check (default grading/points.json)
    --variant V   the checks' inputs (a number ≥ 1; default: a random one, saved in DIR/run.json)
    --full-runs   run the notebooks with their own parameters (default: the shorter
                  runs of grading/parameters.json; the checks do not need the long trainings)
    --shard K/N   grade only the K-th of N shares of the students (for several machines;
                  put the shares together with 'grade merge')
  merge: puts several output folders of the same class together (grades.csv,
  usage.csv, feedback/, executed/); refuses students graded twice and
  different points.
  --write-expected: stores the self-checks' expected values (grading/expected.json)
  from the teacher's reference.`;
