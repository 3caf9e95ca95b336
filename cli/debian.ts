/** Programs from Debian packages the workbook can use (chromium, bubblewrap). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The first of `paths` that exists; when none does and we are root on a
 * Debian-like system, `apt-get install <pkg>` first (so a fresh machine
 * needs no manual step). Undefined when it is still missing.
 */
export function debianProgram(paths: readonly string[], pkg: string): string | undefined {
  let found = paths.find(existsSync);
  if (!found && process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    console.log(`      (installing Debian's ${pkg}: apt-get install ${pkg})`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore", env });
    spawnSync("apt-get", ["install", "-y", "-qq", pkg], { stdio: "ignore", env });
    found = paths.find(existsSync);
  }
  return found;
}
