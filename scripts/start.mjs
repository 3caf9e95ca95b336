// `npm start`: JupyterLab from the project's .venv, on notebooks/, with the
// TypeScript kernel. Extra arguments go to JupyterLab (npm start -- --port 9999).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "dist", "lib", "index.js")) || !existsSync(join(root, "dist", "cli", "platform.js"))) {
  console.error("nn-workbook: dist/ is missing; run 'npm install' (or 'npm run build') first.");
  process.exit(2);
}
const { prependPath, venvProgram } = createRequire(import.meta.url)("../dist/cli/platform.js");
const jupyter = venvProgram(join(root, ".venv"), "jupyter");
if (!existsSync(jupyter)) {
  console.error(`nn-workbook: ${jupyter} not found; run 'npm install' first (it creates .venv with JupyterLab and the TypeScript kernel).`);
  process.exit(2);
}
// node and the project's programs first on PATH, for what notebooks spawn.
const env = prependPath(process.env, [dirname(process.execPath), join(root, "node_modules", ".bin")]);
// JupyterLab refuses to run as root unless told; containers often are root.
const rootFlag = process.getuid?.() === 0 ? ["--allow-root"] : [];
const child = spawn(jupyter, ["lab", `--notebook-dir=${join(root, "notebooks")}`, ...rootFlag, ...process.argv.slice(2)], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
