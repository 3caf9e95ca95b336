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
import re
import shutil
import signal
import sys
import threading
import time

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
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


# Statuses after which the kernel is gone and a fresh one goes on.
KILLED = ("timeout", "memory", "died", "processes", "disk")


class KernelGone(Exception):
    """Raised in the main thread (by SIGUSR1 from the watch) when a killed or dead kernel leaves nbclient waiting."""


def _kernel_gone(signum, frame):
    raise KernelGone()


# The sandbox's tmpfs mounts (cli/grading/sandbox.ts): what they hold is memory no RSS shows.
SANDBOX_TMPFS = ["/tmp", "/dev/shm", "/sb", "/sb/notebooks"]


def tmpfs_mb(pid):
    """MB used in the tmpfs of the sandbox `pid` runs in (seen through /proc/<pid>/root), or None when
    `pid` is not inside a sandbox set up (its mounts do not show the sandbox's tmpfs at /sb)."""
    try:
        with open("/proc/%d/mounts" % pid) as f:
            tmpfs = {fields[1] for fields in (line.split() for line in f) if len(fields) > 2 and fields[2] == "tmpfs"}
    except OSError:
        return None
    if "/sb" not in tmpfs:
        return None  # the grader's own mounts, or a sandbox still being set up (its mounts are a copy of the host's)
    used = 0
    for m in SANDBOX_TMPFS:
        if m not in tmpfs:
            continue
        try:
            st = os.statvfs("/proc/%d/root%s" % (pid, m))
            used += (st.f_blocks - st.f_bfree) * st.f_frsize
        except OSError:
            pass
    return used / (1024.0 * 1024.0)


def dir_usage(path, most=10000):
    """(MB, entries) under `path`, counting at most `most` entries."""
    size, entries, todo = 0, 0, [path]
    while todo and entries < most:
        try:
            with os.scandir(todo.pop()) as it:
                for e in it:
                    entries += 1
                    try:
                        if e.is_dir(follow_symlinks=False):
                            todo.append(e.path)
                        else:
                            size += e.stat(follow_symlinks=False).st_size
                    except OSError:
                        pass
        except OSError:
            pass
    return size / (1024.0 * 1024.0), entries


def drop_files(folder):
    """Empties a stopped kernel's folder but for its log."""
    for e in os.listdir(folder):
        p = os.path.join(folder, e)
        if e.startswith("kernel-") and e.endswith(".log"):
            continue
        try:
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            else:
                os.unlink(p)
        except OSError:
            pass


def tree_usage(pid):
    """(CPU seconds incl. reaped children, RSS + the sandbox's tmpfs in MB, process count) of a process tree."""
    ticks, pages, count, todo, seen, tmpfs = 0, 0, 0, [pid], set(), None
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
            if tmpfs is None:
                tmpfs = tmpfs_mb(p)
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, tid)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
            pass
    return ticks / TICKS, pages * PAGE / (1024.0 * 1024.0) + (tmpfs or 0), count


class Watch:
    """Kills the kernel's process group over a cell's CPU limit, the memory cap (its processes and tmpfs), the
    process cap or the disk cap of its folder."""

    def __init__(self, km, cap_mb, max_procs, disk_dir=None, disk_mb=None):
        self.km, self.cap_mb, self.max_procs = km, cap_mb, max_procs
        # The kernel's folder is the one host folder the sandbox can write to (its sockets): bounded here.
        self.disk_dir, self.disk_mb, self.ticks, self.wrapper_pid = disk_dir, disk_mb, 0, None
        self.tripped = None  # "memory", "cpu", "processes"
        self.peak_mb, self.cpu, self.cell_start, self.cell_limit, self.wall_deadline = 0.0, 0.0, 0.0, None, None
        self.last_progress, self.progress_cpu = time.time(), 0.0
        self.tripped_at, self.nudged, self.running = None, None, False
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
            self.wrapper_pid = pid
            if self.running and not self.tripped and proc is not None and proc.poll() is not None:
                self.tripped, self.tripped_at = "died", time.time()
            if self.tripped and self.running and time.time() - (self.nudged or self.tripped_at or 0) > 3:
                # The kernel is gone but nbclient still waits, blocked in a socket poll of up to the cell's
                # whole timeout: interrupt that poll. The signal goes to the main thread itself (a signal
                # sent to the process may land on another thread and leave the poll blocked), again every 3 s.
                self.nudged = time.time()
                signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
                continue
            cpu, rss, count = tree_usage(pid)
            # Progress is half a CPU second at least (the kernel's wrapper alone ticks now and then).
            if cpu - self.progress_cpu >= 0.5:
                self.progress_cpu, self.last_progress = cpu, time.time()
            self.cpu = max(self.cpu, cpu)
            self.peak_mb = max(self.peak_mb, rss)
            self.ticks += 1
            disk_mb, entries = dir_usage(self.disk_dir) if self.disk_dir and self.ticks % 5 == 0 else (0, 0)
            why = None
            if self.disk_dir and (disk_mb > self.disk_mb or entries >= 10000):
                why = "disk"
            elif rss > self.cap_mb:
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


def limit_outcome(tripped, limit, args):
    """(status, French message) of a cell the watch stopped, None otherwise: `grade` and `run` say the same.
    `limit` is the CPU seconds the cell had; `args` the runner's limits (cell_cpu, budget_cpu, memory_mb, processes, disk_mb)."""
    if tripped == "memory":
        return "memory", "mémoire dépassée (plus de %d Mo) : le noyau a été arrêté" % args.memory_mb
    if tripped == "processes":
        return "processes", "trop de processus (plus de %d) : le noyau a été arrêté" % args.processes
    if tripped == "disk":
        return "disk", "trop de fichiers écrits (plus de %d Mo ou de 10 000 fichiers) : le noyau a été arrêté" % args.disk_mb
    if tripped == "wall":
        return "timeout", "bloquée (plus de %d s sans calcul, ou bien trop longue) : le noyau a été arrêté" % IDLE_S
    if tripped == "cpu" and limit < args.cell_cpu:
        # The cell had only what was left of the notebook's budget.
        return "timeout", "temps de calcul total du cahier dépassé (%d s) pendant cette cellule : le noyau a été arrêté" % args.budget_cpu
    if tripped == "cpu":
        return "timeout", "trop long (limite de %d s de calcul) : le noyau a été arrêté" % round(limit)
    return None


# A cell left when the notebook's CPU budget is spent.
BUDGET_SPENT = "non exécutée : temps de calcul total du cahier dépassé (%d s)"


DISPLAYS = ("display_data", "execute_result", "update_display_data")


def slimmed(content, room):
    """A display without its largest representations, if what is left fits in `room` bytes, else None.
    A notebook's first figure inlines plotly.js (1,5 MB) in its text/html; its plotly JSON, which
    JupyterLab draws, is a few KB: the graded copy keeps the figure."""
    data = dict(content.get("data", {}))
    for mime in sorted(data, key=lambda m: -len(json.dumps(data[m]))):
        if len(json.dumps(dict(content, data=data))) <= room:
            break
        if mime != "text/plain":
            del data[mime]
    slim = dict(content, data=data)
    return slim if len(data) > ("text/plain" in data) and len(json.dumps(slim)) <= room else None


class CappedClient(NotebookClient):
    """Keeps at most `cap` bytes of output per cell, then one note: a flood never fills the grader's memory."""

    cap = 200_000

    def output(self, outs, msg, display_id, cell_index):
        used = self._used.get(cell_index, 0) if hasattr(self, "_used") else 0
        if not hasattr(self, "_used"):
            self._used = {}
        content = msg.get("content", {})
        if msg.get("msg_type") == "error" and used > self.cap:
            # The cell's error is what the feedback quotes: kept after a flood, shortened.
            msg = dict(msg, content=dict(content, traceback=[t[-2000:] for t in content.get("traceback", [])[-20:]]))
            return super().output(outs, msg, display_id, cell_index)
        size = len(json.dumps(content))
        if used + size > self.cap and msg.get("msg_type") in DISPLAYS:
            slim = slimmed(content, self.cap - used)
            if slim is not None:
                msg, size = dict(msg, content=slim), len(json.dumps(slim))
        if used + size > self.cap:
            if used <= self.cap:
                outs.append(nbformat.v4.new_output("stream", name="stderr", text="\n[sortie tronquée par le correcteur : plus de %d Ko]\n" % (self.cap // 1000)))
                self._tail = None
            self._used[cell_index] = self.cap + 1
            if msg.get("msg_type") == "stream" and content.get("name") == "stderr":
                # tslab reports a cell's error on stderr: its last 2 000 characters survive the flood.
                if self._tail is None:
                    self._tail = nbformat.v4.new_output("stream", name="stderr", text="")
                    outs.append(self._tail)
                self._tail.text = (self._tail.text + content.get("text", ""))[-2000:]
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
    ap.add_argument("--disk-mb", type=float, default=200, help="MB the kernel's folder may hold (its logs included)")
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
    cpu_used = 0.0  # CPU seconds of all kernels so far (their start included): the usage reported
    spent = 0.0  # CPU seconds of the cells (replays included): what the budget counts
    worked = []  # cells that ran fine, replayed after a restart
    wall_factor = 20  # a backstop only: limits are CPU seconds

    def outcome(kind, cell, watch, limit):
        if kind == "dead" and not watch.tripped and os.path.exists(os.path.join(watch.disk_dir, "oom-%s" % watch.wrapper_pid)):
            # The sandbox's control group went over its memory limit before the watch saw it.
            return limit_outcome("memory", limit, args)
        limited = limit_outcome(watch.tripped or ("cpu" if kind == "timeout" else None), limit, args)
        if limited:
            return limited
        if kind == "dead":
            return "died", "le noyau s'est arrêté pendant cette cellule (process.exit, plantage…)"
        text = (cell_text(cell, None) or "").strip()
        if "[sortie tronquée par le correcteur" in text and not re.search(r"(?m)^\s*(\w*Error\b|\d+:\d+ - )", text):
            # A flood of output: the kernel's message naming the error went with it (tslab sends both the same way).
            return "error", "la cellule a échoué, mais son message d'erreur s'est perdu dans une sortie trop abondante (tronquée par le correcteur)"
        return "error", text[-1500:]

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
        # Async: with a blocking kernel client nbclient waits on one socket at a time, forever on iopub
        # (a lost "idle" message after a flood hangs the run) and never notices a dead kernel.
        # Each kernel gets a fresh folder (the one host folder its sandbox may write to): what a killed
        # kernel wrote there is dropped, its log kept.
        folder = os.path.join(args.ipc_dir, "s%d" % sessions)
        os.makedirs(folder, mode=0o700)
        km = AsyncKernelManager(kernel_name=args.kernel, transport="ipc", ip=os.path.join(folder, "k"))
        km.connection_file = os.path.join(folder, "kernel-%d.json" % sessions)
        client = CappedClient(nb, km=km, timeout=int(args.cell_cpu), shutdown_kernel="immediate",
                              resources={"metadata": {"path": args.cwd}}, allow_errors=False)
        restart = False
        # Watching from the start: a kernel that dies while Jupyter waits for it to start is noticed too.
        watch = Watch(km, args.memory_mb, args.processes, folder, args.disk_mb)
        watch.running = True
        try:
            with client.setup_kernel():
                watch.running = False
                try:
                    run(client, guard_index, args.cell_cpu, watch)
                    # The cells that worked run again in the fresh kernel (later cells may need their values),
                    # on the notebook's budget. One that fails now is not replayed again: no restart loop.
                    for index in (list(worked) if sessions > 1 else []):
                        left = args.budget_cpu - spent
                        if left <= 0:
                            break
                        status, _, cpu = run(client, index, min(args.cell_cpu, left), watch)
                        spent += cpu
                        if status != "ok":
                            worked.remove(index)
                            if status in KILLED:
                                restart = True
                                break
                    while not restart and position < len(student_cells):
                        index = student_cells[position]
                        position += 1
                        left = args.budget_cpu - spent
                        if left <= 0:
                            cells[index] = {"status": "skipped", "message": BUDGET_SPENT % args.budget_cpu, "cpu": 0}
                            continue
                        status, message, cpu = run(client, index, min(args.cell_cpu, left), watch)
                        spent += cpu
                        cells[index] = {"status": status, "message": message, "cpu": round(cpu, 2)}
                        if status == "ok":
                            worked.append(index)
                        elif status in KILLED:
                            restart = True
                finally:
                    watch.stop()
        except (DeadKernelError, KernelGone):
            restart = True
        except RuntimeError as e:  # the kernel did not even start
            if sessions == 1:
                write_atomic(args.result, json.dumps({"ok": False, "error": "le noyau n'a pas démarré : %s" % e}))
                return 1
            restart = False  # a restart that failed: the cells left are reported as never run
        except Exception as e:  # nbclient's own failures: the cells left are reported as never run
            print("runner: %r" % e, file=sys.stderr)
            restart = False
        finally:
            watch.stop()
            cpu_used += watch.cpu
            # nbclient leaves a kernel manager it did not create running: stop this kernel here.
            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # already gone
                pass
            drop_files(folder)
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
