/** The parts of the .ipynb format (nbformat 4) the command line reads and writes. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

export interface NotebookOutput {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
}

export interface NotebookCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata: { tags?: string[]; [k: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  [k: string]: unknown;
}

/** A cell's source as one string (nbformat allows a list of lines). */
export const sourceText = (s: string | string[]): string => (Array.isArray(s) ? s.join("") : s);

export const hasTag = (c: NotebookCell, tag: string): boolean => c.metadata.tags?.includes(tag) ?? false;

export const readNotebook = (file: string): Notebook => JSON.parse(readFileSync(file, "utf8")) as Notebook;

/** Every cell's source of a notebook's JSON text, one after the other (for searching it). */
export const notebookText = (json: string): string => ((JSON.parse(json) as Partial<Notebook>).cells ?? []).map((c) => sourceText(c.source ?? "")).join("\n");

/** Writes through a temporary file and a rename: a reader never sees half a file. */
export function writeAtomic(file: string, content: string): void {
  writeFileSync(`${file}.tmp-${process.pid}`, content);
  renameSync(`${file}.tmp-${process.pid}`, file);
}
