/** Headless Chromium (Debian's `chromium`) for checking that exported figures render. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tempDir, removeDir } from "./helpers";

const candidates = () => ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);

/**
 * Debian's chromium, installed with apt when missing and allowed (root), so
 * that `npm test` passes on a fresh machine; otherwise a clear error.
 */
export function chromium(): string {
  let found = candidates();
  if (!found && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log("      (installing Debian's chromium for the rendering tests: apt-get install chromium)");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "ignore", env });
    found = candidates();
  }
  if (!found) throw new Error("chromium not found: install Debian's 'chromium' package (sudo apt install chromium) to run the rendering tests");
  return found;
}

export const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** The DOM of a local HTML file after its scripts ran (virtual time, no waiting). */
export function renderedDom(file: string): string {
  const browser = chromium();
  const profile = tempDir("nnwb-chromium-");
  try {
    const r = spawnSync(browser, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--virtual-time-budget=20000", "--dump-dom", `file://${file}`], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 120000 });
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  } finally {
    removeDir(profile);
  }
}

/** For each figure div of the page: did plotly draw an SVG into it? */
export function figuresRendered(dom: string): boolean[] {
  const parts = dom.split(/<div[^>]*class="nnwb-figure/).slice(1);
  return parts.map((p) => {
    const head = p.slice(0, p.indexOf(">"));
    return head.includes("js-plotly-plot") && /<svg[^>]*class="main-svg"/.test(p.slice(0, 200000));
  });
}
