/**
 * A throwaway JupyterLab for the browser test: the project's .venv and
 * kernel, on a free loopback port, serving copies of the notebooks (the
 * committed ones stay untouched even if JupyterLab saves), with its own
 * settings, workspaces and runtime folders.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { ROOT, projectLayout, projectPython } from "../cli/paths";
import { prependPath } from "../cli/platform";
import { tempDir, removeDir } from "./helpers";

export interface Lab {
  /** `http://127.0.0.1:port` */
  base: string;
  token: string;
  /** URL that opens a notebook of the served folder. */
  notebookUrl(name: string): string;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/**
 * Starts JupyterLab on copies of `notebooks` (paths) and waits until it
 * answers. With `folder` (a student folder made for the test), it serves
 * that folder's notebooks/ in place, with the folder's own lib and data.
 */
export async function startLab(notebooks: string[], timeoutMs = 60000, folder?: string): Promise<Lab> {
  const python = projectPython();
  const dir = tempDir("nnwb-lab-");
  const served = folder ? join(folder, "notebooks") : join(dir, "notebooks");
  if (!folder) {
    mkdirSync(served);
    for (const nb of notebooks) copyFileSync(nb, join(served, basename(nb)));
    projectLayout(dir, "link");
  }
  // No news or update pop-up over the notebook in screenshots.
  const settings = join(dir, "settings", "@jupyterlab", "apputils-extension");
  mkdirSync(settings, { recursive: true });
  writeFileSync(join(settings, "notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const env = {
    ...prependPath(process.env, [dirname(process.execPath), join(ROOT, "node_modules", ".bin")]),
    JUPYTERLAB_SETTINGS_DIR: join(dir, "settings"),
    JUPYTERLAB_WORKSPACES_DIR: join(dir, "workspaces"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
  };
  const args = [
    "-m", "jupyterlab", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--ServerApp.root_dir=${served}`,
    `--IdentityProvider.token=${token}`, "--ServerApp.port_retries=0",
    // window.jupyterapp: the test drives JupyterLab through its own commands.
    "--LabApp.expose_app_in_browser=True",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  const child: ChildProcess = spawn(python, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  child.stdout!.on("data", (b: Buffer) => (log += b));
  child.stderr!.on("data", (b: Buffer) => (log += b));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      try { process.kill(-child.pid!, "SIGTERM"); } catch { /* already gone */ }
      await new Promise<void>((done) => {
        const t = setTimeout(() => { try { process.kill(-child.pid!, "SIGKILL"); } catch { /* gone */ } done(); }, 5000);
        child.once("exit", () => { clearTimeout(t); done(); });
      });
    }
    removeDir(dir);
  };
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`JupyterLab exited (${child.exitCode}) before answering:\n${log}`);
    }
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > end) {
      await stop();
      throw new Error(`JupyterLab did not answer on ${base} within ${timeoutMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base, token,
    notebookUrl: (name) => `${base}/lab/tree/${encodeURIComponent(name)}?token=${token}&reset`,
    log: () => log,
    stop,
  };
}
