/**
 * What a process tree uses, read from /proc: CPU seconds (user + system,
 * including reaped children), resident memory and process count. The grader
 * limits students by CPU time, not wall time, so that a busy machine gives
 * the same grades as an idle one.
 */
import { readFileSync, readdirSync } from "node:fs";

const TICKS = 100; // USER_HZ on Linux

export interface TreeUsage {
  cpuSeconds: number;
  rssMb: number;
  processes: number;
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
    } catch {
      continue;
    }
    todo.push(...children(p));
  }
  return { cpuSeconds: ticks / TICKS, rssMb: (rssPages * 4096) / (1024 * 1024), processes };
}
