/**
 * What differs between Linux, macOS and Windows for this project: where a
 * virtual environment keeps its programs, how PATH is joined, which Python
 * to try, and where Jupyter looks for kernels. Every function takes the
 * platform (and environment) as arguments so tests can ask about any of them;
 * the defaults are the running host's. scripts/setup.mjs and scripts/start.mjs
 * import the compiled dist/cli/platform.js too.
 */
import { posix, win32 } from "node:path";
import type { PlatformPath } from "node:path";

export type Platform = NodeJS.Platform;
export type Env = Record<string, string | undefined>;

/** The path functions of `platform` (backslashes on Windows, whatever the host). */
export function pathsOf(platform: Platform = process.platform): PlatformPath {
  return platform === "win32" ? win32 : posix;
}

/** A venv's program folder: `Scripts\` on Windows, `bin/` elsewhere. */
export function venvBin(venv: string, platform: Platform = process.platform): string {
  return pathsOf(platform).join(venv, platform === "win32" ? "Scripts" : "bin");
}

/** A program of a venv (`python`, `jupyter`, `pip`), `.exe` on Windows. */
export function venvProgram(venv: string, name: string, platform: Platform = process.platform): string {
  return pathsOf(platform).join(venvBin(venv, platform), platform === "win32" ? `${name}.exe` : name);
}

/** The venv's Python. */
export function venvPython(venv: string, platform: Platform = process.platform): string {
  return venvProgram(venv, "python", platform);
}

/**
 * The Python to create the venv with: NN_WORKBOOK_PYTHON, else `python3`
 * (Windows installs it as `python`, with no `python3`).
 */
export function systemPython(platform: Platform = process.platform, env: Env = process.env): string {
  return env.NN_WORKBOOK_PYTHON || (platform === "win32" ? "python" : "python3");
}

/** The name under which `env` holds the search path: `PATH`, or on Windows whatever case it uses (`Path`). */
export function pathKey(env: Env, platform: Platform = process.platform): string {
  if (platform !== "win32") return "PATH";
  return Object.keys(env).find((k) => k.toUpperCase() === "PATH") ?? "Path";
}

/**
 * A copy of `env` whose search path starts with `dirs`, joined with the
 * platform's delimiter (`;` on Windows, `:` elsewhere). On Windows the
 * variable keeps its own spelling and no second `PATH` is added beside `Path`.
 */
export function prependPath(env: Env, dirs: string[], platform: Platform = process.platform): Env {
  const key = pathKey(env, platform);
  const delimiter = pathsOf(platform).delimiter;
  const rest = env[key];
  return { ...env, [key]: [...dirs, ...(rest ? [rest] : [])].join(delimiter) };
}

/**
 * The per-user Jupyter data folder (what `jupyter --data-dir` prints and
 * `jupyter kernelspec install --user` writes under), as jupyter_core 5
 * computes it: JUPYTER_DATA_DIR, else the platformdirs location when
 * JUPYTER_PLATFORM_DIRS is set, else ~/Library/Jupyter (macOS),
 * %APPDATA%\jupyter (Windows), $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter.
 */
export function userDataDir(platform: Platform, env: Env, home: string): string {
  const p = pathsOf(platform);
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const platformDirs = ["1", "true", "yes", "on"].includes((env.JUPYTER_PLATFORM_DIRS ?? "").toLowerCase());
  if (platform === "darwin") return platformDirs ? p.join(home, "Library", "Application Support", "jupyter") : p.join(home, "Library", "Jupyter");
  if (platform === "win32") {
    if (platformDirs && env.LOCALAPPDATA) return p.join(env.LOCALAPPDATA, "jupyter");
    return env.APPDATA ? p.join(env.APPDATA, "jupyter") : p.join(home, ".jupyter", "data");
  }
  return p.join(env.XDG_DATA_HOME || p.join(home, ".local", "share"), "jupyter");
}

/** The folder a kernel named `name` has under a Jupyter data folder (`<prefix>/share/jupyter` or the user's). */
export function kernelDirIn(dataDir: string, name: string, platform: Platform = process.platform): string {
  return pathsOf(platform).join(dataDir, "kernels", name);
}

/** The Jupyter data folder of an installation prefix (a venv, conda env, /usr/local). */
export function prefixDataDir(prefix: string, platform: Platform = process.platform): string {
  return pathsOf(platform).join(prefix, "share", "jupyter");
}

/** The system-wide Jupyter data folders jupyter_core searches last (%PROGRAMDATA%\jupyter on Windows). */
export function systemDataDirs(platform: Platform = process.platform, env: Env = process.env): string[] {
  if (platform === "win32") return env.PROGRAMDATA ? [win32.join(env.PROGRAMDATA, "jupyter")] : [];
  return ["/usr/local/share/jupyter", "/usr/share/jupyter"];
}

/** The folders of JUPYTER_PATH (searched first), split with the platform's delimiter. */
export function jupyterPathDirs(platform: Platform = process.platform, env: Env = process.env): string[] {
  return (env.JUPYTER_PATH ?? "").split(pathsOf(platform).delimiter).filter(Boolean);
}
