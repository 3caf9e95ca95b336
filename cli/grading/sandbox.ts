/**
 * The grader's sandbox: bubblewrap with every namespace unshared (no
 * network), no capabilities, an unprivileged uid/gid even when the grader
 * runs as root, a new session, a cleared environment, size-limited private
 * /tmp and /dev/shm, and read-only binds of only what a submission needs:
 * /usr (node), the students' lib, node_modules and the shipped data. Never
 * the submissions, the output folder, the teacher's notebooks or lib/nn.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { NOTEBOOKS, ROOT } from "../paths";
import { notebookImports, studentSources } from "../student-folder";
import { readNotebook, sourceText } from "../notebook-json";

/** The uid/gid a submission runs as ("nobody"). */
export const SANDBOX_ID = 65534;
/** Where the project's layout appears inside a sandbox. */
export const SB = "/sb";

export interface SandboxSpec {
  /** Read-only binds: host path → sandbox path. */
  ro: [string, string][];
  /** Writable binds (a kernel's private runtime folder). */
  rw?: [string, string][];
  /** Size of each of /tmp, /dev/shm and the notebook folder (a tmpfs: counted in memory, bounded). */
  tmpfsMb: number;
  chdir: string;
  env?: Record<string, string>;
}

/** bwrap's arguments (before `--` and the command). */
export function bwrapArgs(spec: SandboxSpec): string[] {
  const bytes = String(Math.round(spec.tmpfsMb * 1024 * 1024));
  const a = [
    "--unshare-all", "--unshare-user", "--uid", String(SANDBOX_ID), "--gid", String(SANDBOX_ID),
    "--cap-drop", "ALL", "--new-session", "--die-with-parent", "--clearenv",
    "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/sbin", "/sbin",
  ];
  if (existsSync("/usr/lib64")) a.push("--symlink", "usr/lib64", "/lib64");
  a.push("--proc", "/proc", "--dev", "/dev", "--size", bytes, "--tmpfs", "/tmp", "--size", bytes, "--tmpfs", "/dev/shm");
  a.push("--size", bytes, "--tmpfs", SB, "--size", bytes, "--tmpfs", `${SB}/notebooks`);
  for (const [src, dst] of spec.ro) a.push("--ro-bind", src, dst);
  for (const [src, dst] of spec.rw ?? []) a.push("--bind", src, dst);
  a.push("--chdir", spec.chdir);
  const env = { PATH: "/usr/bin:/bin", HOME: "/tmp", TMPDIR: "/tmp", LANG: "C.UTF-8", ...spec.env };
  for (const [k, v] of Object.entries(env)) a.push("--setenv", k, v);
  return a;
}

/**
 * The binds every sandbox has: the students' lib as /sb/dist/lib, node_modules,
 * the shipped data, and (read-only) the student's notebooks in /sb/notebooks,
 * where parts 2 and 3 load the student's earlier functions (charger_cahier).
 */
export function layoutBinds(studentLib: string, notebooks?: string): [string, string][] {
  const own: [string, string][] = notebooks && existsSync(notebooks)
    ? readdirSync(notebooks).filter((f) => f.endsWith(".ipynb")).map((f) => [join(notebooks, f), `${SB}/notebooks/${f}`])
    : [];
  return [
    ...own,
    [studentLib, `${SB}/dist/lib`],
    [join(ROOT, "node_modules"), `${SB}/node_modules`],
    [join(ROOT, "data", "digit-3-classes"), `${SB}/data/digit-3-classes`],
    // The array kernels' native addon, where dist/lib/array looks for it (else they fall back to JavaScript):
    // a source build, and the prebuilt binary an install without a compiler runs.
    ...[["native", "build", "Release"], ["prebuilds", `${process.platform}-${process.arch}`]]
      .filter((p) => existsSync(join(ROOT, ...p)))
      .map((p): [string, string] => [join(ROOT, ...p), `${SB}/${p.join("/")}`]),
  ];
}

/**
 * The folder of the students' lib the sandbox exposes, built into `dir`
 * (standing for dist/lib): the compiled files of the student folder's lib
 * (cli/student-folder's studentSources: lib/student.ts as index, no
 * handout function, no reference), their .d.ts (the kernel compiles against
 * them), and the stored expected values of the self-checks in grading/.
 */
export function studentLibDir(dir: string): string {
  const expected = join(ROOT, "grading", "expected.json");
  if (!existsSync(expected)) throw new Error(`${expected} is missing: run 'nn-workbook grade --write-expected' (it stores the self-checks' expected values)`);
  rmSync(dir, { recursive: true, force: true });
  const cells = readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).flatMap((f) => readNotebook(join(NOTEBOOKS, f)).cells.map((c) => sourceText(c.source)));
  for (const [src, dest] of studentSources(notebookImports(cells))) {
    if (!src.startsWith("lib/") || !src.endsWith(".ts")) continue;
    for (const ext of [".js", ".d.ts"]) {
      const from = join(ROOT, "dist", src.replace(/\.ts$/, ext));
      const to = join(dir, dest.slice("lib/".length).replace(/\.ts$/, ext));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
  mkdirSync(join(dir, "grading"), { recursive: true });
  cpSync(expected, join(dir, "grading", "expected.json"));
  return dir;
}

/** Files of `dir` (recursively), relative paths: for tests that assert what the sandbox holds. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** A fresh private folder for one sandbox's own files (a submission module, a kernel's sockets). */
export function privateDir(parent: string, name: string): string {
  const d = join(parent, name);
  mkdirSync(d, { recursive: true, mode: 0o700 });
  return d;
}
