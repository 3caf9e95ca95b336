/**
 * The attack submissions of test/grade-attacks.test.ts, one folder per
 * student, built from a correct one (test/submission.ts): each attack sits
 * in cells of its own beside honest functions. Kept apart from the test so
 * that one student can be graded alone while debugging the grader:
 *
 *   node dist/test/attack-submissions.js SUBS OUT [student…]
 *   node bin/nn-workbook.js grade SUBS --out OUT --timeout 30 --budget 60 --memory 1500 --variant 11
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "../cli/paths";
import type { Notebook } from "../cli/notebook-json";
import { PART1, codeCell, correct, notebook } from "./submission";

export const P1 = ["init_one_layer_nn", "softmax", "predict_one_layer_nn", "evaluate_loss", "partial_derivative_one_layer_nn", "gradient_descent_one_layer_nn", "accuracy"];
export const SECRET = "SECRET-OF-THE-CORRECT-STUDENT-4217";
export const WRONG_ACCURACY = "function accuracy(y: Matrix, y_hat: Matrix): number { return 0.5; }";
const save = (file: string, nb: Notebook) => writeFileSync(file, JSON.stringify(nb));

/** Part 1, correct, with `accuracy` replaced (when given) and attack cells after the functions. */
export function part1(attack: string[], accuracy?: string): Notebook {
  const cells = { ...PART1 } as Record<string, string>;
  if (accuracy) cells.accuracy = accuracy;
  const { training, ...decls } = cells;
  return notebook([...Object.values(decls).map(codeCell), ...attack.map(codeCell), codeCell(training)]);
}

/**
 * Writes the attack class into `subs` (one folder per student); `out` is the
 * grader's output folder the attacks try to reach. `only` keeps some students.
 */
export function writeAttackSubmissions(subs: string, out: string, only?: string[]): void {
  const keep = (name: string) => !only?.length || only.includes(name);
  const folder = (name: string) => { mkdirSync(join(subs, name), { recursive: true }); return join(subs, name); };
  if (keep("correct")) {
    for (const [name, nb] of Object.entries(correct())) {
      if (name.startsWith("1-")) nb.cells.push(codeCell(`// ${SECRET}`));
      save(join(folder("correct"), name), nb);
    }
  }
  // Forging the verdict: the old grader read a line the notebook printed and ran its checks in the notebook.
  if (keep("forge")) save(join(folder("forge"), "1.ipynb"), part1([
    `const realLog = console.log;\nconsole.log = (...a: unknown[]) => realLog("NNWB-GRADE " + JSON.stringify([{ id: "accuracy/valeur", ok: true }]));`,
    `(process.stdout as any).write = (s: string) => true;\n(globalThis as any).GRADE_MARKER = "nothing";`,
    `import * as L from "../dist/lib";\n(L as any).runChecks = async () => [];\n(L as any).relativeError = () => 0;\nMath.abs = () => 0;\nNumber.isFinite = () => true;`,
    // Runs when the grader loads the declarations: patches the checking process itself.
    `class Patch { static { if (process.argv[1] === "/grader/server.js") { Math.abs = () => 0; JSON.stringify = () => '{"id":1,"ok":true,"value":1}'; console.log = () => {}; } } }`,
  ], WRONG_ACCURACY));
  // The teacher's solution, and a function that looks for the grader before calling it.
  if (keep("solution")) save(join(folder("solution"), "1.ipynb"), part1([], `function accuracy(y: Matrix, y_hat: Matrix): number {
  const graded = process.cwd().startsWith("/sb") || String(new Error().stack).includes("server");
  return (require("../dist/lib") as any).accuracy(y, y_hat) + (graded ? 0 : 0);
}`));
  // Reading what is not theirs, sending it out, writing outside.
  const readAll = `import * as fs from "fs";
const look: Record<string, string> = {};
for (const p of [${JSON.stringify(subs)}, ${JSON.stringify(join(subs, "correct", "1-une-couche.ipynb"))}, ${JSON.stringify(out)}, ${JSON.stringify(join(ROOT, "notebooks"))}, ${JSON.stringify(join(ROOT, "lib", "nn", "softmax.ts"))}, "/sb/dist/lib/nn/softmax.js", "/sb/dist/lib/grading/reference.js", "/tmp", "/root", "/work"]) {
  try { look[p] = fs.statSync(p).isDirectory() ? fs.readdirSync(p).join(" ") : fs.readFileSync(p, "utf8").slice(0, 200); } catch (e) { look[p] = "ERR " + (e as Error).message.slice(0, 60); }
}
console.log("LOOK " + JSON.stringify(look));`;
  if (keep("snoop")) save(join(folder("snoop"), "1.ipynb"), part1([
    readAll,
    `import { execSync } from "child_process";\nlet r1 = ""; try { r1 = execSync("mount -o remount,bind,rw / 2>&1; id -u").toString().replace(/\\n/g, " | "); } catch (e) { r1 = "ERR " + (e as Error).message; }\nconsole.log("MOUNT " + r1);`,
    `import { writeFileSync as w } from "fs";\nfor (const f of [${JSON.stringify(join(out, "grades.csv"))}, ${JSON.stringify(join(ROOT, "cli", "grade.ts"))}, ${JSON.stringify(join(subs, "correct", "forged.ipynb"))}, "/sb/dist/lib/index.js"]) { try { w(f, "snoop,999"); console.log("WROTE " + f); } catch (e) { console.log("NOWRITE " + (e as Error).message.slice(0, 80)); } }`,
    `import * as http from "http";\nconst got = await new Promise<string>((ok) => { const rq = http.get("http://registry.npmjs.org/", (r) => ok("NET " + r.statusCode)); rq.on("error", (e) => ok("NONET " + e.message)); });\nconsole.log(got);`,
    `import * as fs2 from "fs";\nimport * as path from "path";\nconst cfg = process.argv[process.argv.indexOf("--config-path") + 1];\nlet others = ""; try { others = fs2.readdirSync(path.dirname(path.dirname(cfg))).join(" "); } catch (e) { others = "ERR " + (e as Error).message.slice(0, 60); }\nconsole.log("KERNELS " + cfg + " :: " + others + " :: " + fs2.readdirSync(path.dirname(cfg)).join(" "));`,
  ]));
  // Floods and resource hogs: each costs its own cell only.
  if (keep("floods")) save(join(folder("floods"), "1.ipynb"), part1([
    `for (let i = 0; i < 700; i++) process.stderr.write("x".repeat(1 << 20));`,
    `for (let i = 0; i < 300; i++) console.log("y".repeat(1 << 20));`,
    `import { writeFileSync as wf } from "fs";\nconst mb = Buffer.alloc(16 << 20, 1);\nlet shm = 0; try { for (let i = 0; i < 200; i++) { wf("/dev/shm/f" + i, mb); shm++; } } catch (e) { console.log("SHM stopped after " + shm * 16 + " MB: " + (e as Error).message.slice(0, 40)); }\nlet tmp = 0; try { for (let i = 0; i < 200; i++) { wf("/tmp/f" + i, mb); tmp++; } } catch (e) { console.log("TMP stopped after " + tmp * 16 + " MB: " + (e as Error).message.slice(0, 40)); }`,
    // tmpfs is memory: 1 GB in the sandbox's four tmpfs plus 500 MB held is over 1 500 MB (RSS alone is not).
    `// tmpfs-hog\nimport { writeFileSync as wf2 } from "fs";\nconst chunk = Buffer.alloc(16 << 20, 2);\nfor (const d of ["/dev/shm", "/tmp", "/sb", "/sb/notebooks"]) { try { for (let i = 0; i < 16; i++) wf2(d + "/g" + i, chunk); } catch { /* full */ } }\nconst held = Buffer.alloc(500 << 20, 1);\nawait new Promise((r) => setTimeout(r, 3000));\nconsole.log("TMPFS-HOG survived", held.length);`,
    `const hog: Buffer[] = [];\nfor (let i = 0; i < 48; i++) hog.push(Buffer.alloc(64 << 20, 1));`,
    // The kernel's own folder (its sockets) is the one host folder it may write to.
    `// disk-fill\nimport { writeFileSync as wf3 } from "fs";\nimport * as path3 from "path";\nconst mine = path3.dirname(process.argv[process.argv.indexOf("--config-path") + 1]);\nconst block = Buffer.alloc(16 << 20, 3);\nfor (let i = 0; i < 30; i++) wf3(mine + "/fill" + i, block);\nawait new Promise((r) => setTimeout(r, 3000));\nconsole.log("DISK-FILL survived");`,
    `import { spawn } from "child_process";\nfor (let i = 0; i < 1000; i++) spawn("sleep", ["60"]);\nawait new Promise((r) => setTimeout(r, 3000));`,
    "process.exit(1);",
  ]));
  // 10 000 cells: the CPU budget ends them, the rest of the class is graded.
  if (keep("many-cells")) {
    const many = part1([]);
    for (let i = 0; i < 10000; i++) many.cells.push(codeCell(`let v${i} = ${i};`));
    save(join(folder("many-cells"), "1.ipynb"), many);
  }
  if (keep("wrong-accuracy")) save(join(folder("wrong-accuracy"), "1.ipynb"), part1([], WRONG_ACCURACY));
}

if (require.main === module) {
  const [subs, out, ...only] = process.argv.slice(2);
  if (!subs || !out) {
    console.error("usage: node dist/test/attack-submissions.js SUBMISSIONS-DIR OUT-DIR [student…]");
    process.exit(2);
  }
  writeAttackSubmissions(resolve(subs), resolve(out), only);
}
