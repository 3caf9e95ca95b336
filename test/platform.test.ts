/** The platform logic for Linux, macOS and Windows, asked with the platform passed in (not the host's). */
import { strict as assert } from "node:assert";
import {
  jupyterPathDirs, kernelDirIn, pathKey, prefixDataDir, prependPath, systemDataDirs, systemPython, userDataDir, venvBin, venvProgram, venvPython,
} from "../cli/platform";

describe("platform", () => {
  it("a venv keeps its programs in bin/ on Linux and macOS, in Scripts\\ with .exe on Windows", () => {
    assert.equal(venvBin("/p/.venv", "linux"), "/p/.venv/bin");
    assert.equal(venvPython("/p/.venv", "linux"), "/p/.venv/bin/python");
    assert.equal(venvPython("/Users/a/p/.venv", "darwin"), "/Users/a/p/.venv/bin/python");
    assert.equal(venvProgram("/p/.venv", "jupyter", "darwin"), "/p/.venv/bin/jupyter");
    assert.equal(venvBin("C:\\p\\.venv", "win32"), "C:\\p\\.venv\\Scripts");
    assert.equal(venvPython("C:\\p\\.venv", "win32"), "C:\\p\\.venv\\Scripts\\python.exe");
    assert.equal(venvProgram("C:\\p\\.venv", "jupyter", "win32"), "C:\\p\\.venv\\Scripts\\jupyter.exe");
  });

  it("the Python to create the venv: python3, python on Windows, NN_WORKBOOK_PYTHON first", () => {
    assert.equal(systemPython("linux", {}), "python3");
    assert.equal(systemPython("darwin", {}), "python3");
    assert.equal(systemPython("win32", {}), "python");
    assert.equal(systemPython("win32", { NN_WORKBOOK_PYTHON: "py" }), "py");
    assert.equal(systemPython("linux", { NN_WORKBOOK_PYTHON: "/opt/py/bin/python3.12" }), "/opt/py/bin/python3.12");
    assert.equal(systemPython("linux", { NN_WORKBOOK_PYTHON: "" }), "python3", "an empty variable is no choice");
  });

  it("PATH is joined with ':' on Linux and macOS, ';' on Windows, under the variable's own spelling", () => {
    assert.equal(prependPath({ PATH: "/usr/bin:/bin" }, ["/n/bin", "/p/node_modules/.bin"], "linux").PATH, "/n/bin:/p/node_modules/.bin:/usr/bin:/bin");
    assert.equal(prependPath({ PATH: "/usr/bin" }, ["/n/bin"], "darwin").PATH, "/n/bin:/usr/bin");
    assert.equal(prependPath({}, ["/n/bin"], "linux").PATH, "/n/bin", "no trailing ':' (it would put the working folder on PATH)");
    const win = prependPath({ Path: "C:\\Windows;C:\\Windows\\System32", Other: "x" }, ["C:\\node"], "win32");
    assert.equal(win.Path, "C:\\node;C:\\Windows;C:\\Windows\\System32");
    assert.equal(win.PATH, undefined, "no second PATH beside Windows' Path");
    assert.equal(win.Other, "x");
    assert.equal(pathKey({ PATH: "x" }, "win32"), "PATH");
    assert.equal(pathKey({}, "win32"), "Path");
    assert.equal(pathKey({ Path: "x" }, "linux"), "PATH", "names are case-sensitive off Windows");
  });

  it("the per-user Jupyter data folder, as jupyter_core computes it on each platform", () => {
    assert.equal(userDataDir("linux", {}, "/home/a"), "/home/a/.local/share/jupyter");
    assert.equal(userDataDir("linux", { XDG_DATA_HOME: "/x" }, "/home/a"), "/x/jupyter");
    assert.equal(userDataDir("darwin", {}, "/Users/a"), "/Users/a/Library/Jupyter");
    assert.equal(userDataDir("darwin", { XDG_DATA_HOME: "/x" }, "/Users/a"), "/Users/a/Library/Jupyter", "macOS ignores XDG");
    assert.equal(userDataDir("darwin", { JUPYTER_PLATFORM_DIRS: "1" }, "/Users/a"), "/Users/a/Library/Application Support/jupyter");
    assert.equal(userDataDir("win32", { APPDATA: "C:\\Users\\a\\AppData\\Roaming" }, "C:\\Users\\a"), "C:\\Users\\a\\AppData\\Roaming\\jupyter");
    assert.equal(userDataDir("win32", {}, "C:\\Users\\a"), "C:\\Users\\a\\.jupyter\\data");
    assert.equal(userDataDir("win32", { JUPYTER_PLATFORM_DIRS: "true", LOCALAPPDATA: "C:\\L", APPDATA: "C:\\R" }, "C:\\Users\\a"), "C:\\L\\jupyter");
    for (const p of ["linux", "darwin", "win32"] as const) assert.equal(userDataDir(p, { JUPYTER_DATA_DIR: "/d", APPDATA: "C:\\R" }, "/h"), "/d", `${p}: JUPYTER_DATA_DIR wins`);
  });

  it("kernels live in <prefix>/share/jupyter/kernels/<name>; JUPYTER_PATH and the system folders per platform", () => {
    assert.equal(kernelDirIn(prefixDataDir("/opt/conda", "linux"), "nn-workbook", "linux"), "/opt/conda/share/jupyter/kernels/nn-workbook");
    assert.equal(kernelDirIn(prefixDataDir("C:\\conda", "win32"), "nn-workbook", "win32"), "C:\\conda\\share\\jupyter\\kernels\\nn-workbook");
    assert.deepEqual(jupyterPathDirs("linux", { JUPYTER_PATH: "/a:/b:" }), ["/a", "/b"]);
    assert.deepEqual(jupyterPathDirs("win32", { JUPYTER_PATH: "C:\\a;D:\\b" }), ["C:\\a", "D:\\b"], "':' is a drive letter's on Windows, not a separator");
    assert.deepEqual(jupyterPathDirs("linux", {}), []);
    assert.deepEqual(systemDataDirs("linux", {}), ["/usr/local/share/jupyter", "/usr/share/jupyter"]);
    assert.deepEqual(systemDataDirs("darwin", {}), ["/usr/local/share/jupyter", "/usr/share/jupyter"]);
    assert.deepEqual(systemDataDirs("win32", { PROGRAMDATA: "C:\\ProgramData" }), ["C:\\ProgramData\\jupyter"]);
  });
});
