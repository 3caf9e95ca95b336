"""Part 3's training pass in PyTorch float32 (CPU): what `npm run bench` compares the TensorFlow.js backends with.

The handout's autograd loop (consignes 16-19): each pass predicts on the
training set (tanh hidden layer, softmax), computes the handout's loss,
derives it with loss.backward(), updates the parameters, either by hand (gd: W -= eps * W.grad, then
W.grad.zero_()) or with torch.optim.SGD(momentum=0.9), then computes the
test loss (no_grad), as lib/autograd's gradient_descent_torch does. Reads the inputs the
bench wrote (x, y one-hot, xt, yt and the initial W1, b1, W2, b2 as float64
.npy, cast to float32 here) and prints one JSON line: the time of every
pass and the loss history.

    python bench/torch_pass.py --dir DIR --optimizer gd --passes 10 --epsilon 1e-4 --threads 1
"""
import argparse
import json
import os
import resource
import time

import numpy as np
import torch


def predict(x, W1, b1, W2, b2):
    return torch.softmax(torch.mm(torch.tanh(torch.mm(x, W1) + b1), W2) + b2, 1)


def evaluate_loss(y, y_hat):
    return -torch.sum(y * torch.log(y_hat + 1e-16) + (1 - y) * torch.log(1 - y_hat + 1e-16)) / y.shape[0]


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--optimizer", choices=["gd", "momentum"], required=True)
    ap.add_argument("--passes", type=int, required=True, help="timed passes")
    ap.add_argument("--warmup", type=int, default=0, help="untimed passes first")
    ap.add_argument("--epsilon", type=float, required=True)
    ap.add_argument("--threads", type=int, required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    load = lambda n: torch.from_numpy(np.load(os.path.join(a.dir, n + ".npy")).astype(np.float32))
    x, y, xt, yt = (load(n) for n in ("x", "y", "xt", "yt"))
    params = [load(n).requires_grad_(True) for n in ("W1", "b1", "W2", "b2")]
    sgd = torch.optim.SGD(params, lr=a.epsilon, momentum=0.9) if a.optimizer == "momentum" else None
    times, losses, test_losses = [], [], []
    for _ in range(a.warmup + a.passes):
        t0 = time.perf_counter()
        loss = evaluate_loss(y, predict(x, *params))
        if sgd:
            sgd.zero_grad()
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            if sgd:
                sgd.step()
            else:
                for p in params:
                    p -= a.epsilon * p.grad
                    p.grad.zero_()
            # After the update, as gradient_descent_torch does.
            test_losses.append(evaluate_loss(yt, predict(xt, *params)).item())
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"ms": times[a.warmup:], "train_loss": losses, "test_loss": test_losses, "peak_mb": peak_memory_mb(),
                      "version": f"PyTorch {torch.__version__}"}))


if __name__ == "__main__":
    main()
