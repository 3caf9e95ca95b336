/**
 * `nn-workbook grade merge <dirs…> --out DIR`: puts together the output
 * folders of one class graded in shares (`grade --shard k/n` on several
 * machines): grades.csv and usage.csv rows, feedback/ and executed/. The
 * shares must have the same checks and points; a student graded twice is an
 * error, not a silent choice.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../paths";
import { writeAtomic } from "../notebook-json";

function csv(file: string): string[] {
  if (!existsSync(file)) throw new UsageError(`${file} is missing: is this an output folder of 'nn-workbook grade'?`);
  return readFileSync(file, "utf8").trimEnd().split("\n");
}

export function merge(dirs: string[], out: string): { students: number } {
  if (dirs.length < 2) throw new UsageError("grade merge needs at least two output folders: nn-workbook grade merge <dir1> <dir2>... --out DIR");
  const header = csv(join(dirs[0], "grades.csv"))[0];
  const points = existsSync(join(dirs[0], "points.json")) ? readFileSync(join(dirs[0], "points.json"), "utf8") : undefined;
  const rows = new Map<string, { line: string; from: string }>();
  const usage: string[] = [];
  for (const d of dirs) {
    const lines = csv(join(d, "grades.csv"));
    if (lines[0] !== header) throw new UsageError(`${d}/grades.csv has other checks than ${dirs[0]}/grades.csv: grade every share with the same version of nn-workbook`);
    const p = existsSync(join(d, "points.json")) ? readFileSync(join(d, "points.json"), "utf8") : undefined;
    if (p !== points) throw new UsageError(`${d} was graded with other points than ${dirs[0]} (points.json differ): grade every share with the same --points file`);
    const maxes = new Set(lines.slice(1).map((l) => l.split(",").pop()));
    for (const line of lines.slice(1)) {
      const student = line.startsWith('"') ? JSON.parse(line.slice(0, line.indexOf('",') + 1)) as string : line.split(",")[0];
      const seen = rows.get(student);
      if (seen) throw new UsageError(`student '${student}' is graded in both ${seen.from} and ${d}: each student must be in one share only`);
      rows.set(student, { line, from: d });
    }
    if (maxes.size > 1) throw new UsageError(`${d}/grades.csv has rows with different maximums: it is not one grading run`);
    if (existsSync(join(d, "usage.csv"))) usage.push(...csv(join(d, "usage.csv")).slice(1));
  }
  const allMax = new Set([...rows.values()].map((r) => r.line.split(",").pop()));
  if (allMax.size > 1) throw new UsageError(`the shares have different maximum grades (${[...allMax].join(", ")}): grade them with the same points`);
  mkdirSync(join(out, "feedback"), { recursive: true });
  mkdirSync(join(out, "executed"), { recursive: true });
  for (const d of dirs) {
    for (const sub of ["feedback", "executed"]) {
      if (!existsSync(join(d, sub))) continue;
      for (const e of readdirSync(join(d, sub))) cpSync(join(d, sub, e), join(out, sub, e), { recursive: true });
    }
  }
  const sorted = [...rows.keys()].sort();
  writeAtomic(join(out, "grades.csv"), [header, ...sorted.map((s) => rows.get(s)!.line)].join("\n") + "\n");
  writeAtomic(join(out, "usage.csv"), ["student,cpu_seconds,wall_seconds,check_peak_mb", ...usage.sort()].join("\n") + "\n");
  if (points) writeAtomic(join(out, "points.json"), points);
  return { students: sorted.length };
}

export function mergeCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: "string" } } });
  if (!values.out) throw new UsageError("grade merge needs --out DIR: nn-workbook grade merge <dir1> <dir2>... --out DIR");
  const r = merge(positionals.map((p) => resolve(p)), resolve(values.out));
  console.log(`merged ${r.students} students into ${resolve(values.out)}`);
  return 0;
}
