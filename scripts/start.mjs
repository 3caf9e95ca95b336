// `npm start`: JupyterLab from the project's .venv, on notebooks/, with the
// TypeScript kernel. Extra arguments go to JupyterLab (npm start -- --port 9999).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const jupyter = join(root, ".venv", "bin", "jupyter");
if (!existsSync(jupyter)) {
  console.error("nn-workbook: .venv/bin/jupyter not found; run 'npm install' first (it creates .venv with JupyterLab and the TypeScript kernel).");
  process.exit(2);
}
if (!existsSync(join(root, "dist", "lib", "index.js"))) {
  console.error("nn-workbook: dist/ is missing; run 'npm install' (or 'npm run build') first.");
  process.exit(2);
}
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}` };
// JupyterLab refuses to run as root unless told; containers often are root.
const rootFlag = process.getuid?.() === 0 ? ["--allow-root"] : [];
const child = spawn(jupyter, ["lab", `--notebook-dir=${join(root, "notebooks")}`, ...rootFlag, ...process.argv.slice(2)], { stdio: "inherit", env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
