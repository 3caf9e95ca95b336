/** Where the project's parts live, from the compiled dist/cli/. */
import { cpSync, existsSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { venvPython } from "./platform";

export const ROOT = resolve(__dirname, "..", "..");
export const NOTEBOOKS = join(ROOT, "notebooks");
export const OUT = join(ROOT, "out");
/**
 * Makes `dir` stand for the project root to notebooks kept in a folder of
 * it: they import "../dist/lib" (and its node_modules) and read "../data".
 * Data is linked, or copied (the shipped set only) where the notebooks must
 * not be able to change the project's.
 */
export function projectLayout(dir: string, data: "link" | "copy"): void {
  for (const d of ["dist", "node_modules"]) symlinkSync(join(ROOT, d), join(dir, d));
  if (data === "link") symlinkSync(join(ROOT, "data"), join(dir, "data"));
  else cpSync(join(ROOT, "data", "digit-3-classes"), join(dir, "data", "digit-3-classes"), { recursive: true });
}

/** The project's Python environment, with JupyterLab and the kernel (made by `npm install`). */
export const VENV = join(ROOT, ".venv");
export const VENV_PYTHON = venvPython(VENV);

/** The project's Python (with Jupyter), or a clear error saying how to get it. */
export function projectPython(): string {
  if (!existsSync(VENV_PYTHON)) {
    throw new UsageError(
      `${VENV_PYTHON} not found: the project's Jupyter environment is missing.\n` +
        "Run 'npm install' in the project folder (it creates .venv with JupyterLab and the TypeScript kernel).",
    );
  }
  return VENV_PYTHON;
}

/** A mistake of the user's: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
