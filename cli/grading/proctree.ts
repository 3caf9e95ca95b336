/**
 * What a process tree uses, read from /proc: CPU seconds (user + system,
 * including reaped children), resident memory, process count and what its
 * sandbox keeps in tmpfs (memory a process's RSS does not show). The grader
 * limits students by CPU time, not wall time, so that a busy machine gives
 * the same grades as an idle one.
 */
import { readFileSync, readdirSync, statfsSync } from "node:fs";

const TICKS = 100; // USER_HZ on Linux

export interface TreeUsage {
  cpuSeconds: number;
  rssMb: number;
  processes: number;
  /** What the sandbox holds in its tmpfs (/tmp, /dev/shm, its folders): memory too. */
  tmpfsMb: number;
}

/** The sandbox's tmpfs mounts (sandbox.ts). */
export const SANDBOX_TMPFS = ["/tmp", "/dev/shm", "/sb", "/sb/notebooks"];

/**
 * MB used in the tmpfs of the sandbox `pid` runs in (seen through
 * /proc/<pid>/root), or undefined when `pid` is not inside a sandbox set up:
 * its mounts do not show the sandbox's tmpfs at /sb (the grader's own, or a
 * sandbox being set up, whose mounts are still a copy of the host's).
 */
function tmpfsMb(pid: number): number | undefined {
  let tmpfs: Set<string>;
  try {
    tmpfs = new Set(readFileSync(`/proc/${pid}/mounts`, "utf8").split("\n").map((l) => l.split(" ")).filter((f) => f[2] === "tmpfs").map((f) => f[1]));
  } catch {
    return undefined;
  }
  if (!tmpfs.has("/sb")) return undefined;
  let bytes = 0;
  for (const m of SANDBOX_TMPFS) {
    if (!tmpfs.has(m)) continue;
    try {
      const s = statfsSync(`/proc/${pid}/root${m}`);
      bytes += (s.blocks - s.bfree) * s.bsize;
    } catch { /* gone */ }
  }
  return bytes / (1024 * 1024);
}

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number));
      } catch { /* thread gone */ }
    }
  } catch { /* process gone */ }
  return out;
}

/** Usage of `pid` and all its descendants (processes that ended count through their parent's cutime/cstime). */
export function treeUsage(pid: number): TreeUsage {
  let ticks = 0, rssPages = 0, processes = 0;
  let tmpfs: number | undefined;
  const todo = [pid], seen = new Set<number>();
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      // Fields after the command name, which may hold spaces and parentheses.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
      rssPages += Number(f[21]);
      processes++;
      tmpfs ??= tmpfsMb(p);
    } catch {
      continue;
    }
    todo.push(...children(p));
  }
  return { cpuSeconds: ticks / TICKS, rssMb: (rssPages * 4096) / (1024 * 1024), processes, tmpfsMb: tmpfs ?? 0 };
}
