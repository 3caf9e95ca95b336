/**
 * The grader's default limits, in one place: `nn-workbook grade` applies
 * them to every submitted notebook and the student's `nn-workbook run`
 * applies the same ones (python/grade_notebook.py enforces them for both),
 * so a cell that fails when graded fails locally first.
 */

export interface NotebookLimits {
  /** CPU seconds one cell may use (the kernel's process tree, not wall time). */
  cellCpuSeconds: number;
  /** CPU seconds all the cells of one notebook may use. */
  notebookCpuSeconds: number;
  /** Resident memory of the kernel's process tree, in MB. */
  memoryMb: number;
  /** Processes in the kernel's tree. */
  processes: number;
}

// 300 s per cell: the fixture's default two-layer training (notebook 2, cell 30: 2 000 passes, honest
// code recomputing A1) took 109.6 CPU s run alone, and 177.8 and 180.8 s graded with --jobs 2 on 2 cores
// (the native kernels' threads cost more CPU seconds when two kernels share the cores): 120 killed it.
export const GRADER_LIMITS: Readonly<NotebookLimits> = Object.freeze({
  cellCpuSeconds: 300,
  notebookCpuSeconds: 900,
  memoryMb: 2048,
  processes: 200,
});

/** The runner's command-line flags for `limits` (python/grade_notebook.py and python/run_notebook.py read the same). */
export function limitArgs(limits: NotebookLimits): string[] {
  return ["--cell-cpu", String(limits.cellCpuSeconds), "--budget-cpu", String(limits.notebookCpuSeconds), "--memory-mb", String(limits.memoryMb), "--processes", String(limits.processes)];
}
