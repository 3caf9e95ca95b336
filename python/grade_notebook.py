"""Runs one submitted notebook for `nn-workbook grade`.

Called by `nn-workbook grade`, not meant to be run by hand. The kernel is the
one named by --kernel (the grader registers a sandboxed TypeScript kernel
that talks over unix sockets in --ipc-dir, the kernel's private folder).
Every cell runs, even after a failing one: a failure costs that cell only.
Limits are in CPU seconds of the kernel's process tree, not wall time, so a
busy machine gives the same outcome as an idle one. A cell over its CPU
limit, the memory cap or the process cap, or one that kills the kernel, gets
the kernel killed; a fresh kernel then replays the cells that worked before
it and goes on. Nothing printed here is trusted for grading: the checks run
elsewhere (cli/grading/harness.ts). The result goes to the --result file.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from run_notebook import cell_text, write_atomic

# process.exit & co. throw instead of ending the kernel: the cell fails, the rest runs.
GUARD = """for (const name of ["exit", "abort", "reallyExit"]) {
  (process as any)[name] = () => { throw new Error(`process.${name} est interdit dans un cahier noté`); };
}"""
# tslab aborts the cells it receives within 200 ms of a failing one.
AFTER_FAILURE_S = 0.3
# A cell whose kernel uses no CPU for this long is stuck (a busy machine still gives every process some CPU).
IDLE_S = 60
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


class KernelGone(Exception):
    """Raised in the main thread (by SIGUSR1 from the watch) when a killed or dead kernel leaves nbclient waiting."""


def _kernel_gone(signum, frame):
    raise KernelGone()


def tree_usage(pid):
    """(CPU seconds incl. reaped children, RSS in MB, process count) of a process tree."""
    ticks, pages, count, todo, seen = 0, 0, 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open("/proc/%d/stat" % p) as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            ticks += sum(int(x) for x in fields[11:15])
            pages += int(fields[21])
            count += 1
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            pass
    return ticks / TICKS, pages * PAGE / (1024.0 * 1024.0), count


class Watch:
    """Kills the kernel's process group over a cell's CPU limit, the memory cap or the process cap."""

    def __init__(self, km, cap_mb, max_procs):
        self.km, self.cap_mb, self.max_procs = km, cap_mb, max_procs
        self.tripped = None  # "memory", "cpu", "processes"
        self.peak_mb, self.cpu, self.cell_start, self.cell_limit, self.wall_deadline = 0.0, 0.0, 0.0, None, None
        self.last_progress, self.progress_cpu = time.time(), 0.0
        self.tripped_at, self.nudged, self.running = None, 0.0, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _pid(self):
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", None)

    def start_cell(self, cpu_limit, wall_limit):
        self.cell_start, self.cell_limit = self.cpu, cpu_limit
        self.wall_deadline = time.time() + wall_limit
        self.last_progress, self.progress_cpu = time.time(), self.cpu

    def cell_cpu(self):
        return self.cpu - self.cell_start

    def _run(self):
        while not self._stop.wait(0.1):
            pid = self._pid()
            if pid is None:
                continue
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            if self.running and not self.tripped and proc is not None and proc.poll() is not None:
                self.tripped, self.tripped_at = "died", time.time()
            if self.tripped and self.running and time.time() - (self.tripped_at or 0) > 5 and time.time() - self.nudged > 3:
                # The kernel is gone but nbclient still waits: wake the main thread. Again every 3 s: a signal
                # that lands in another asyncio task than the blocked one is lost (seen: runners stuck 40 min).
                self.nudged = time.time()
                os.kill(os.getpid(), signal.SIGUSR1)
                continue
            cpu, rss, count = tree_usage(pid)
            # Progress is half a CPU second at least (the kernel's wrapper alone ticks now and then).
            if cpu - self.progress_cpu >= 0.5:
                self.progress_cpu, self.last_progress = cpu, time.time()
            self.cpu = max(self.cpu, cpu)
            self.peak_mb = max(self.peak_mb, rss)
            why = None
            if rss > self.cap_mb:
                why = "memory"
            elif count > self.max_procs:
                why = "processes"
            elif self.cell_limit is not None and self.cpu - self.cell_start > self.cell_limit:
                why = "cpu"
            elif self.wall_deadline is not None and (time.time() > self.wall_deadline or time.time() - self.last_progress > IDLE_S):
                why = "wall"  # stuck: no CPU used for IDLE_S (sleep, a lost message), or far over the limit in wall time
            if why and not self.tripped:
                self.tripped, self.tripped_at = why, time.time()
                try:
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def stop(self):
        self._stop.set()


def limit_outcome(tripped, limit, memory_mb, processes):
    """(status, French message) of a cell the watch stopped, None otherwise: `grade` and `run` say the same."""
    if tripped == "memory":
        return "memory", "mémoire dépassée (plus de %d Mo) : le noyau a été arrêté" % memory_mb
    if tripped == "processes":
        return "processes", "trop de processus (plus de %d) : le noyau a été arrêté" % processes
    if tripped == "wall":
        return "timeout", "bloquée (plus de %d s sans calcul, ou bien trop longue) : le noyau a été arrêté" % IDLE_S
    if tripped == "cpu":
        return "timeout", "trop long (limite de %d s de calcul) : le noyau a été arrêté" % round(limit)
    return None


# A cell left when the notebook's CPU budget is spent.
BUDGET_SPENT = "non exécutée : temps de calcul total du cahier dépassé (%d s)"


class CappedClient(NotebookClient):
    """Keeps at most `cap` bytes of output per cell, then one note: a flood never fills the grader's memory."""

    cap = 200_000

    def output(self, outs, msg, display_id, cell_index):
        used = self._used.get(cell_index, 0) if hasattr(self, "_used") else 0
        if not hasattr(self, "_used"):
            self._used = {}
        size = len(json.dumps(msg.get("content", {})))
        if used + size > self.cap:
            if used <= self.cap:
                outs.append(nbformat.v4.new_output("stream", name="stderr", text="\n[sortie tronquée par le correcteur : plus de %d Ko]\n" % (self.cap // 1000)))
            self._used[cell_index] = self.cap + 1
            return None
        self._used[cell_index] = used + size
        return super().output(outs, msg, display_id, cell_index)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--output", required=True, help="where to write the executed copy")
    ap.add_argument("--result", required=True, help="where to write the JSON result")
    ap.add_argument("--cwd", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--ipc-dir", required=True, help="the kernel's private folder (connection file and sockets)")
    # The defaults live in cli/limits.ts (GRADER_LIMITS), shared with `nn-workbook run`.
    ap.add_argument("--cell-cpu", type=float, required=True, help="CPU seconds per cell")
    ap.add_argument("--budget-cpu", type=float, required=True, help="CPU seconds for all the student's cells")
    ap.add_argument("--memory-mb", type=float, required=True)
    ap.add_argument("--processes", type=int, required=True)
    ap.add_argument("--output-cap", type=int, default=200_000, help="bytes of output kept per cell")
    args = ap.parse_args()
    CappedClient.cap = args.output_cap
    signal.signal(signal.SIGUSR1, _kernel_gone)

    nb = nbformat.read(args.notebook, as_version=4)
    student_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    # The grader's own cell goes after the student's: positions in the executed copy are the submission's.
    guard_index = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(GUARD, metadata={"tags": ["grader"]}))

    cells = {}  # index -> {status, message, cpu}
    started = time.time()
    cpu_used = 0.0  # CPU seconds of all kernels so far
    worked = []  # cells that ran fine, replayed after a restart
    wall_factor = 20  # a backstop only: limits are CPU seconds

    def outcome(kind, cell, watch, limit):
        limited = limit_outcome(watch.tripped, limit, args.memory_mb, args.processes) or (limit_outcome("cpu", limit, args.memory_mb, args.processes) if kind == "timeout" else None)
        if limited:
            return limited
        if kind == "dead":
            return "died", "le noyau s'est arrêté pendant cette cellule (process.exit, plantage…)"
        return "error", (cell_text(cell, None) or "").strip()[-1500:]

    def run(client, index, cpu_limit, watch):
        """Runs one cell; returns (status, message, cpu seconds)."""
        cell = nb.cells[index]
        client.timeout = max(1, int(cpu_limit * wall_factor + 30))
        watch.start_cell(cpu_limit, cpu_limit * wall_factor + 40)
        watch.running = True
        try:
            client.execute_cell(cell, index)
            status, message = ("ok", "") if not watch.tripped else outcome("dead", cell, watch, cpu_limit)
        except KernelGone:
            status, message = outcome("dead", cell, watch, cpu_limit)
        except CellTimeoutError:
            status, message = outcome("timeout", cell, watch, cpu_limit)
        except DeadKernelError:
            status, message = outcome("dead", cell, watch, cpu_limit)
        except CellExecutionError:
            time.sleep(AFTER_FAILURE_S)
            status, message = outcome("error", cell, watch, cpu_limit)
        finally:
            watch.running = False
        return status, message, watch.cell_cpu()

    position = 0  # next student cell to run (index into student_cells)
    sessions = 0
    restart = False
    while sessions < 20:
        sessions += 1
        km = KernelManager(kernel_name=args.kernel, transport="ipc", ip=os.path.join(args.ipc_dir, "k"))
        km.connection_file = os.path.join(args.ipc_dir, "kernel-%d.json" % sessions)
        client = CappedClient(nb, km=km, timeout=int(args.cell_cpu), shutdown_kernel="immediate",
                              resources={"metadata": {"path": args.cwd}}, allow_errors=False)
        restart = False
        # Watching from the start: a kernel that dies while Jupyter waits for it to start is noticed too.
        watch = Watch(km, args.memory_mb, args.processes)
        watch.running = True
        try:
            with client.setup_kernel():
                watch.running = False
                try:
                    run(client, guard_index, args.cell_cpu, watch)
                    for index in (worked if sessions > 1 else []):
                        left = args.budget_cpu - cpu_used - watch.cpu
                        status, _, _ = run(client, index, min(args.cell_cpu, max(1, left)), watch)
                        if status != "ok":
                            restart = True  # the replay itself broke: give up on this kernel
                            break
                    while not restart and position < len(student_cells):
                        index = student_cells[position]
                        position += 1
                        left = args.budget_cpu - cpu_used - watch.cpu
                        if left <= 0:
                            cells[index] = {"status": "skipped", "message": BUDGET_SPENT % args.budget_cpu, "cpu": 0}
                            continue
                        status, message, cpu = run(client, index, min(args.cell_cpu, left), watch)
                        cells[index] = {"status": status, "message": message, "cpu": round(cpu, 2)}
                        if status == "ok":
                            worked.append(index)
                        elif status in ("timeout", "memory", "died", "processes"):
                            restart = True
                finally:
                    watch.stop()
        except (DeadKernelError, KernelGone):
            restart = True
        except RuntimeError as e:  # the kernel did not even start
            write_atomic(args.result, json.dumps({"ok": False, "error": "le noyau n'a pas démarré : %s" % e}))
            return 1
        finally:
            watch.stop()
            cpu_used += watch.cpu
            # nbclient leaves a kernel manager it did not create running: stop this kernel here.
            try:
                km.shutdown_kernel(now=True)
            except Exception:  # already gone
                pass
        if not restart:
            break

    write_atomic(args.output, nbformat.writes(nb))
    result = {
        "ok": True,
        # Cells are numbered from 1 over the whole notebook, as JupyterLab's status bar does.
        "cells": [dict(cell=i + 1, source=nb.cells[i].source[:300], **cells[i]) for i in student_cells if i in cells],
        "not_run": [i + 1 for i in student_cells if i not in cells],
        "seconds": round(time.time() - started, 2),
        "cpu_seconds": round(cpu_used, 2),
        "kernels": sessions,
    }
    write_atomic(args.result, json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
