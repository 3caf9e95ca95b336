/** The project's .venv holds exactly what python/requirements.txt (the lock) pins. */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, projectPython } from "../cli/paths";

/** PEP 503 names: case and runs of - _ . do not matter. */
const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

/** The installer's own packages, which pip freeze leaves out too. */
const TOOLS = new Set(["pip", "setuptools", "wheel", "distribute"]);

/** `name==version` lines of a lock, by normalized name. */
export function readLock(text: string): Map<string, string> {
  const pins = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$/.exec(line);
    assert.ok(m, `python/requirements.txt: '${line}' is not an exact pin (name==version)`);
    pins.set(normalize(m[1]), m[2]);
  }
  return pins;
}

describe("python/requirements.txt", function () {
  this.timeout(60000);

  it("pins every package exactly, and the requirements.in ones are among them", () => {
    const lock = readLock(readFileSync(join(ROOT, "python", "requirements.txt"), "utf8"));
    const wanted = readFileSync(join(ROOT, "python", "requirements.in"), "utf8").split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean);
    assert.ok(wanted.length > 0);
    for (const req of wanted) {
      const name = normalize(/^[A-Za-z0-9._-]+/.exec(req)![0]);
      assert.ok(lock.has(name), `${req} (requirements.in) is not in the lock; rebuild it as requirements.in says`);
    }
  });

  it("is what the project's .venv holds, version for version", () => {
    const lock = readLock(readFileSync(join(ROOT, "python", "requirements.txt"), "utf8"));
    const r = spawnSync(projectPython(), ["-c", "import json, importlib.metadata as m; print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const installed = new Map(Object.entries(JSON.parse(r.stdout) as Record<string, string>).map(([n, v]) => [normalize(n), v]));
    const wrong = [...lock].filter(([n, v]) => installed.get(n) !== v).map(([n, v]) => `${n}: locked ${v}, installed ${installed.get(n) ?? "none"}`);
    // pip adds platform-only dependencies elsewhere (appnope on macOS, pywin32 on Windows): extras count on Linux, where the lock is made.
    const extra = process.platform === "linux" ? [...installed.keys()].filter((n) => !lock.has(n) && !TOOLS.has(n)) : [];
    assert.deepEqual([...wrong, ...extra.map((n) => `${n}: installed ${installed.get(n)}, not in the lock`)], [], "run 'npm install' to install the lock into .venv");
  });
});
