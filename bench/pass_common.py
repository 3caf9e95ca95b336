"""What the bench's Python passes share: their command line, the inputs the bench wrote, and the JSON line they print."""
import argparse
import json
import os
import resource

import numpy as np


def arguments(**extra):
    """--dir, --passes, --warmup, --epsilon, plus `extra` (name -> argparse keyword arguments)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--passes", type=int, required=True, help="timed passes")
    ap.add_argument("--warmup", type=int, default=0, help="untimed passes first")
    ap.add_argument("--epsilon", type=float, required=True)
    for name, kw in extra.items():
        ap.add_argument("--" + name, **kw)
    return ap.parse_args()


def load(directory, name, dtype):
    """One of the bench's inputs (x, y, xt, yt, W1, ...), as the workbook wrote it."""
    return np.load(os.path.join(directory, name + ".npy")).astype(dtype)


def peak_memory_mb():
    """VmHWM: unlike ru_maxrss, it does not inherit the parent's peak across fork and exec."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(times, losses, test_losses, warmup, version):
    """The one JSON line the bench reads: the timed passes' milliseconds and the loss histories."""
    print(json.dumps({"ms": times[warmup:], "train_loss": losses, "test_loss": test_losses, "peak_mb": peak_memory_mb(), "version": version}))
