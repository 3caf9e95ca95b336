/**
 * The self-contained folder a student gets from `nn-workbook assign`: the
 * student versions of the notebooks, the lib's sources without the
 * handout's functions (lib/student.ts as lib/index.ts), the student's
 * command line (run only), the native kernels' sources, the set-up scripts,
 * the shipped data, a package.json and a README with the same two commands
 * as the project. The files are found by following imports from those
 * entries; a solution file reached that way is an error, and the finished
 * folder is scanned for the body of every graded function.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ROOT, UsageError } from "./paths";
import { notebookText } from "./notebook-json";
import { GRADER_LIMITS } from "./limits";

/** Source file (from the project root) → where it goes in the student folder. */
const ENTRIES: Record<string, string> = {
  "lib/student.ts": "lib/index.ts",
  "lib/autograd/student.ts": "lib/autograd/index.ts",
  "cli/student-main.ts": "cli/main.ts",
  "scripts/setup.mjs": "scripts/setup.mjs",
  "scripts/start.mjs": "scripts/start.mjs",
  "bin/nn-workbook.js": "bin/nn-workbook.js",
};

/** Copied as they are when present (folders whole). */
const ASSETS = ["native/binding.gyp", "native/src", "prebuilds", "python/requirements.txt", "python/requirements.in", "python/run_notebook.py", "python/grade_notebook.py", "data/digit-3-classes", "grading/expected.json", "LICENSE"];

/** The teacher's files: the handout's functions and what is built on them. */
const SOLUTION_FILES = [/^lib\/nn\//, /^lib\/grading\/reference\.ts$/, /^cli\/grading\//, /^lib\/autograd\/(torch|mlp)\.ts$/, /^lib\/index\.ts$/, /^lib\/autograd\/index\.ts$/, /^lib\/source\//, /^cli\/(grade|assign|train|models|student-folder)\.ts$/, /^bench\//];

/** Files holding the handout's functions, whose bodies must appear nowhere in the student folder. */
const GRADED_SOURCES = ["lib/nn/softmax.ts", "lib/nn/loss.ts", "lib/nn/accuracy.ts", "lib/nn/one-layer.ts", "lib/nn/two-layers.ts", "lib/autograd/torch.ts", "lib/autograd/mlp.ts"];

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']*)["']/g;

/** The project files `file` imports with a relative path (resolved like Node and TypeScript do). */
export function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    let base = resolve(dirname(join(ROOT, file)), m[1]);
    // A built file ("../dist/cli/platform.js" from a script): the student's build makes it from its source.
    const built = relative(ROOT, base);
    if (built.startsWith(`dist${sep}`)) base = join(ROOT, built.slice(5).replace(/\.js$/, ""));
    const found = [base, `${base}.ts`, `${base}.mjs`, `${base}.js`, join(base, "index.ts")].find((p) => existsSync(p) && statSync(p).isFile());
    if (found) out.push(relative(ROOT, found));
  }
  return out;
}

/**
 * The lib modules notebooks import ("../dist/lib/table/danfo"), as source
 * files: a notebook may use a module the lib's entry does not re-export.
 */
export function notebookImports(sources: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of sources) {
    for (const m of text.matchAll(/["']\.\.\/dist\/(lib(?:\/[\w./-]*)?)["']/g)) {
      const base = join(ROOT, m[1]);
      const found = [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
      if (found) out.add(relative(ROOT, found));
    }
  }
  return [...out];
}

/** Every source file the entries (and `more`, e.g. what notebooks import) need, mapped to its place in the student folder. */
export function studentSources(more: readonly string[] = []): Map<string, string> {
  const entryAt = new Map(Object.entries(ENTRIES).map(([src, dest]) => [dest, src]));
  const placed = new Map<string, string>(Object.entries(ENTRIES));
  const queue = Object.keys(ENTRIES);
  for (const file of more) {
    const src = entryAt.get(file) ?? file;
    if (SOLUTION_FILES.some((re) => re.test(src))) throw new UsageError(`the student notebooks import ${file}, a teacher's file`);
    if (!placed.has(src)) {
      placed.set(src, src);
      queue.push(src);
    }
  }
  const from = new Map<string, string>();
  // An entry's place stands for the entry: "../dist/cli/main.js" is the student's cli/main.ts.
  while (queue.length) {
    const file = queue.shift()!;
    for (const imported of relativeImports(file, readFileSync(join(ROOT, file), "utf8"))) {
      const dep = entryAt.get(imported) ?? imported;
      if (SOLUTION_FILES.some((re) => re.test(dep))) {
        throw new UsageError(`the student folder would hold ${dep} (a teacher's file), imported by ${file}${from.has(file) ? ` (reached from ${from.get(file)})` : ""}`);
      }
      if (!placed.has(dep)) {
        placed.set(dep, dep);
        from.set(dep, file);
        queue.push(dep);
      }
    }
  }
  return placed;
}

/** The bodies of the graded functions (whitespace removed), by name. */
export function gradedBodies(): Map<string, string> {
  const bodies = new Map<string, string>();
  for (const file of GRADED_SOURCES) {
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const m of text.matchAll(/export (?:function|class) (\w+)[^{]*\{/g)) {
      let depth = 1, i = m.index! + m[0].length;
      const start = i;
      for (; i < text.length && depth > 0; i++) depth += text[i] === "{" ? 1 : text[i] === "}" ? -1 : 0;
      const body = text.slice(start, i - 1).replace(/\/\/[^\n]*/g, "").replace(/\s+/g, "");
      if (body.length >= 20) bodies.set(m[1], body);
    }
  }
  return bodies;
}

/** Text files of a folder, recursively (node_modules and .venv excepted). */
function* textFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === ".venv") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* textFiles(p);
    else if (/\.(ts|mjs|js|json|ipynb|md|txt|py|cc|h|gyp)$/.test(e.name)) yield p;
  }
}

/** The graded functions whose body stands somewhere in `dir`, with the file: empty when the folder is clean. */
export function solutionsIn(dir: string): string[] {
  const bodies = gradedBodies();
  const found: string[] = [];
  for (const file of textFiles(dir)) {
    const raw = readFileSync(file, "utf8");
    const text = file.endsWith(".ipynb") ? notebookText(raw) : raw;
    const flat = text.replace(/\/\/[^\n]*/g, "").replace(/\s+/g, "");
    for (const [name, body] of bodies) if (flat.includes(body)) found.push(`${name} in ${relative(dir, file)}`);
    if (text.includes("BEGIN SOLUTION")) found.push(`a solution region in ${relative(dir, file)}`);
  }
  return found;
}

function packageJson(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown> & { devDependencies?: Record<string, string> };
  const dev = pkg.devDependencies ?? {};
  const keep = Object.fromEntries(Object.entries(dev).filter(([k]) => k === "typescript" || k.startsWith("@types/node")));
  return JSON.stringify({
    name: "nn-workbook-etudiant",
    version: pkg.version,
    description: "Réseaux de neurones « from scratch » : le cahier de TP de l'étudiant (TypeScript, JupyterLab).",
    license: pkg.license,
    private: true,
    bin: { "nn-workbook": "bin/nn-workbook.js" },
    engines: pkg.engines,
    scripts: {
      build: "tsc -p tsconfig.json",
      postinstall: "node scripts/setup.mjs",
      start: "node scripts/start.mjs",
      test: "npm run build && node bin/nn-workbook.js run --all",
    },
    dependencies: pkg.dependencies,
    devDependencies: keep,
    overrides: pkg.overrides,
  }, null, 2) + "\n";
}

function tsconfig(): string {
  const t = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown>; include: string[] };
  t.compilerOptions.types = ["node"];
  t.include = ["lib/**/*.ts", "cli/**/*.ts"];
  return JSON.stringify(t, null, 2) + "\n";
}

const README = `# nn-workbook — student folder

The lab "neural networks from scratch" in TypeScript: four notebooks in
\`notebooks/\` (0 the data, 1 the one-layer network, 2 the two-layer network,
3 automatic differentiation). Each function the handout asks for is a cell
that throws "À compléter" until you write it; the cell after it checks your
function and says in French what is wrong.

## Two commands

\`\`\`sh
npm install && npm start   # set everything up, then open JupyterLab on notebooks/
npm test                   # run your four notebooks headless (out/): a cell that fails is named
\`\`\`

\`npm install\` needs Node.js ≥ 20 and Python 3 with venv (Debian/Ubuntu:
\`sudo apt install python3 python3-venv\`); it builds the lib, the native
kernels (with a C++ compiler; otherwise slower TypeScript kernels are used)
and a local JupyterLab with the TypeScript kernel in \`.venv\`.

Parts 2 and 3 reuse the functions you wrote in parts 1 and 2: save notebook 1
before you run notebook 2 (and 2 before 3).

## Run as graded

\`npm test\` and \`npx nn-workbook run notebooks/2-deux-couches.ipynb\` run
each notebook under the grader's limits: ${GRADER_LIMITS.cellCpuSeconds} CPU seconds per cell,
${GRADER_LIMITS.notebookCpuSeconds} CPU seconds per notebook, ${GRADER_LIMITS.memoryMb} MB of memory (CPU seconds, not wall
time: a busy machine does not change them). A cell over a limit fails here
with the message the grader's feedback would give (e.g. "trop long (limite
de ${GRADER_LIMITS.cellCpuSeconds} s de calcul) : le noyau a été arrêté"), so fix it before you hand in.
Each run prints the notebook's CPU seconds and its longest cell. For a long
experiment of your own (\`-p num_passes 5000\`), add \`--no-limits\`.
`;

/**
 * Writes the student folder into `outDir` (replacing a previous student
 * folder there, never anything else), all at once: it is assembled beside it
 * and renamed into place.
 */
export function writeStudentFolder(outDir: string, notebooks: Map<string, string>): void {
  const marker = ".nn-workbook-student";
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, marker))) {
    throw new UsageError(`${outDir} exists and is not a student folder written by 'nn-workbook assign': choose another --out or empty it`);
  }
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    const cells = [...notebooks.values()].map(notebookText);
    for (const [src, dest] of studentSources(notebookImports(cells))) {
      mkdirSync(dirname(join(tmp, dest)), { recursive: true });
      cpSync(join(ROOT, src), join(tmp, dest));
    }
    for (const asset of ASSETS) if (existsSync(join(ROOT, asset))) cpSync(join(ROOT, asset), join(tmp, asset), { recursive: true });
    writeFileSync(join(tmp, "package.json"), packageJson());
    // The student folder has no tests: both builds (with and without dev dependencies) compile the same.
    writeFileSync(join(tmp, "tsconfig.json"), tsconfig());
    writeFileSync(join(tmp, "tsconfig.build.json"), tsconfig());
    writeFileSync(join(tmp, "README.md"), README);
    writeFileSync(join(tmp, ".gitignore"), "node_modules/\ndist/\nout/\n.venv/\nnative/build/\n");
    writeFileSync(join(tmp, marker), "written by nn-workbook assign\n");
    mkdirSync(join(tmp, "notebooks"), { recursive: true });
    for (const [name, text] of notebooks) writeFileSync(join(tmp, "notebooks", name), text);
    const leaks = solutionsIn(tmp);
    if (leaks.length) throw new Error(`the student folder would hold solutions: ${leaks.join("; ")}`);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
