"""Runs one submitted notebook for `nn-workbook grade`, then checks its functions.

Called by `nn-workbook grade`, not meant to be run by hand. The kernel is the
one named by --kernel (the grader registers a sandboxed TypeScript kernel).
Every cell runs, even after a failing one: a failure costs that cell only.
A cell that runs past its time limit, exhausts the memory cap or kills the
kernel gets the kernel killed; a fresh kernel then replays the cells that
worked before it and goes on. After the student's cells, one cell per graded
function runs the grader's checks in the same kernel. Prints one JSON line.
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from run_notebook import cell_text, write_atomic

# process.exit & co. throw instead of ending the kernel: the cell fails, the rest runs.
GUARD = """for (const name of ["exit", "abort", "reallyExit"]) {
  (process as any)[name] = () => { throw new Error(`process.${name} est interdit dans un cahier noté`); };
}
{
  const kill = process.kill.bind(process);
  (process as any).kill = (pid: number, sig?: string | number) => {
    if (pid === process.pid || pid === 0 || pid === -process.pid) throw new Error("process.kill sur le noyau est interdit dans un cahier noté");
    return kill(pid, sig);
  };
}"""
# tslab aborts the cells it receives within 200 ms of a failing one.
AFTER_FAILURE_S = 0.3


def tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, in MB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            pass
    return total / 1024.0


class MemoryWatch:
    """Kills the kernel's process group when its memory passes the cap."""

    def __init__(self, km, cap_mb):
        self.km, self.cap_mb, self.tripped, self.peak_mb = km, cap_mb, False, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _pid(self):
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def _run(self):
        while not self._stop.wait(0.2):
            pid = self._pid()
            if pid is None:
                continue
            rss = tree_rss_mb(pid)
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.cap_mb and not self.tripped:
                self.tripped = True
                try:
                    os.killpg(os.getpgid(pid), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def stop(self):
        self._stop.set()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--output", required=True, help="where to write the executed copy")
    ap.add_argument("--cwd", required=True)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--cell-timeout", type=float, default=120)
    ap.add_argument("--budget", type=float, default=900, help="seconds for all the student's cells")
    ap.add_argument("--check-timeout", type=float, default=120)
    ap.add_argument("--memory-mb", type=float, default=2048)
    ap.add_argument("--grading-module", required=True, help="absolute path of dist/lib/grading")
    ap.add_argument("--functions", default="", help="comma-separated graded functions to check")
    ap.add_argument("--marker", required=True, help="what starts the JSON line of a check cell's output")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    student_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    functions = [f for f in args.functions.split(",") if f]
    check_cells = {}
    for name in functions:
        src = 'import { gradeFunction } from %s;\ngradeFunction("%s", %s);' % (json.dumps(args.grading_module), name, name)
        check_cells[name] = nbformat.v4.new_code_cell(src)
    guard = nbformat.v4.new_code_cell(GUARD)

    cells = {}  # index -> {status, message}
    checks = {}
    started = time.time()
    deadline = started + args.budget
    worked = []  # cells that ran fine, replayed after a restart

    def outcome(kind, index, cell, watch, err):
        if watch.tripped:
            return "memory", "mémoire dépassée (plus de %d Mo) : le noyau a été arrêté" % args.memory_mb
        if kind == "timeout":
            return "timeout", "trop long (limite de %d s) : le noyau a été arrêté" % round(err)
        if kind == "dead":
            return "died", "le noyau s'est arrêté pendant cette cellule (process.exit, plantage…)"
        return "error", (cell_text(cell, None) or str(err)).strip()[-1500:]

    def run(client, cell, index, timeout, watch):
        """Runs one cell; returns (status, message)."""
        client.timeout = max(1, int(timeout))
        try:
            client.execute_cell(cell, index)
            return "ok", ""
        except CellTimeoutError:
            return outcome("timeout", index, cell, watch, timeout)
        except DeadKernelError as e:
            return outcome("dead", index, cell, watch, e)
        except CellExecutionError as e:
            time.sleep(AFTER_FAILURE_S)
            return outcome("error", index, cell, watch, e)

    position = 0  # next student cell to run (index into student_cells)
    function_position = 0
    sessions = 0
    while sessions < 20:
        sessions += 1
        client = NotebookClient(nb, kernel_name=args.kernel, timeout=int(args.cell_timeout), shutdown_kernel="immediate",
                                resources={"metadata": {"path": args.cwd}}, allow_errors=False)
        restart = False
        try:
            with client.setup_kernel():
                watch = MemoryWatch(client.km, args.memory_mb)
                try:
                    run(client, guard, -1, args.cell_timeout, watch)
                    for index in (worked if sessions > 1 else []):
                        status, _ = run(client, nb.cells[index], index, min(args.cell_timeout, max(1, deadline - time.time())), watch)
                        if status in ("timeout", "memory", "died"):
                            restart = True  # the replay itself broke: give up on this kernel
                            break
                    while not restart and position < len(student_cells):
                        index = student_cells[position]
                        position += 1
                        left = deadline - time.time()
                        if left <= 0:
                            cells[index] = {"status": "skipped", "message": "non exécutée : temps total du cahier dépassé (%d s)" % args.budget}
                            continue
                        status, message = run(client, nb.cells[index], index, min(args.cell_timeout, left), watch)
                        cells[index] = {"status": status, "message": message}
                        if status == "ok":
                            worked.append(index)
                        elif status in ("timeout", "memory", "died"):
                            restart = True
                    while not restart and function_position < len(functions):
                        name = functions[function_position]
                        function_position += 1
                        cell = check_cells[name]
                        status, message = run(client, cell, -2, args.check_timeout, watch)
                        line = next((l for l in cell_text(cell, None, ("stdout",)).splitlines() if l.startswith(args.marker)), None)
                        if status == "ok" and line:
                            checks[name] = {"results": json.loads(line[len(args.marker):])}
                        else:
                            if status == "ok":
                                status, message = "error", "la cellule de vérification n'a rien renvoyé"
                            if "Cannot find name '%s'" % name in message:
                                status, message = "missing", "%s n'est pas définie dans ce cahier" % name
                            checks[name] = {"status": status, "message": message}
                            if status in ("timeout", "memory", "died"):
                                restart = True
                finally:
                    watch.stop()
        except DeadKernelError:
            restart = True
        except RuntimeError as e:  # the kernel did not even start
            print(json.dumps({"ok": False, "error": "le noyau n'a pas démarré : %s" % e}), flush=True)
            return 1
        if not restart:
            break

    write_atomic(args.output, nbformat.writes(nb))
    result = {
        "ok": True,
        # Cells are numbered from 1 over the whole notebook, as JupyterLab's status bar does.
        "cells": [dict(cell=i + 1, source=nb.cells[i].source[:300], **cells[i]) for i in student_cells if i in cells],
        "not_run": [i + 1 for i in student_cells if i not in cells],
        "checks": checks,
        "seconds": round(time.time() - started, 2),
        "kernels": sessions,
    }
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
