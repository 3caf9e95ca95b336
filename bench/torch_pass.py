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
import time

import numpy as np
import torch

from pass_common import arguments, load, report


def predict(x, W1, b1, W2, b2):
    return torch.softmax(torch.mm(torch.tanh(torch.mm(x, W1) + b1), W2) + b2, 1)


def evaluate_loss(y, y_hat):
    return -torch.sum(y * torch.log(y_hat + 1e-16) + (1 - y) * torch.log(1 - y_hat + 1e-16)) / y.shape[0]


def main():
    a = arguments(optimizer=dict(choices=["gd", "momentum"], required=True), threads=dict(type=int, required=True))
    torch.set_num_threads(a.threads)
    tensor = lambda n: torch.from_numpy(load(a.dir, n, np.float32))
    x, y, xt, yt = (tensor(n) for n in ("x", "y", "xt", "yt"))
    params = [tensor(n).requires_grad_(True) for n in ("W1", "b1", "W2", "b2")]
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
    report(times, losses, test_losses, a.warmup, f"PyTorch {torch.__version__}")


if __name__ == "__main__":
    main()
