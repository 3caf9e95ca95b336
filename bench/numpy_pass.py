"""The workbook's training pass in NumPy float64: what `npm run bench` compares with.

Same algorithm as lib/nn (the handout's): each pass predicts on the training
set, computes the handout's loss, predicts on the test set and its loss,
computes the summed gradients and updates every parameter. Reads the inputs
the bench wrote (x, y one-hot, xt, yt and the initial parameters, as the
workbook loaded and drew them, so both sides start from the same place) and
prints one JSON line: the time of every pass and the loss history.

    python3 bench/numpy_pass.py --dir DIR --model two-layers --passes 10 --epsilon 5e-5
"""
import time

import numpy as np

from pass_common import arguments, load, report


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def evaluate_loss(y, y_hat):
    return -np.sum(y * np.log(y_hat + 1e-16) + (1 - y) * np.log(1 - y_hat + 1e-16)) / y.shape[0]


def one_layer(x, y, xt, yt, p, passes, epsilon):
    W, b = p["W"], p["b"]
    times, losses, test_losses = [], [], []
    for _ in range(passes):
        t0 = time.perf_counter()
        y_hat = softmax(x @ W + b)
        losses.append(evaluate_loss(y, y_hat))
        test_losses.append(evaluate_loss(yt, softmax(xt @ W + b)))
        dz = y_hat - y
        dW, db = x.T @ dz, dz.sum(axis=0, keepdims=True)
        W -= epsilon * dW
        b -= epsilon * db
        times.append((time.perf_counter() - t0) * 1000)
    return times, losses, test_losses


def two_layers(x, y, xt, yt, p, passes, epsilon):
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    times, losses, test_losses = [], [], []
    for _ in range(passes):
        t0 = time.perf_counter()
        a1 = np.tanh(x @ W1 + b1)
        y_hat = softmax(a1 @ W2 + b2)
        losses.append(evaluate_loss(y, y_hat))
        test_losses.append(evaluate_loss(yt, softmax(np.tanh(xt @ W1 + b1) @ W2 + b2)))
        delta3 = y_hat - y
        delta2 = (1 - a1 * a1) * (delta3 @ W2.T)
        dW1, db1 = x.T @ delta2, delta2.sum(axis=0, keepdims=True)
        dW2, db2 = a1.T @ delta3, delta3.sum(axis=0, keepdims=True)
        W1 -= epsilon * dW1
        b1 -= epsilon * db1
        W2 -= epsilon * dW2
        b2 -= epsilon * db2
        times.append((time.perf_counter() - t0) * 1000)
    return times, losses, test_losses


def main():
    a = arguments(model=dict(choices=["one-layer", "two-layers"], required=True))
    x, y, xt, yt = (load(a.dir, n, np.float64) for n in ("x", "y", "xt", "yt"))
    names = ["W", "b"] if a.model == "one-layer" else ["W1", "b1", "W2", "b2"]
    p = {n: load(a.dir, n, np.float64) for n in names}
    train = one_layer if a.model == "one-layer" else two_layers
    times, losses, test_losses = train(x, y, xt, yt, p, a.warmup + a.passes, a.epsilon)
    report(times, losses, test_losses, a.warmup, "NumPy " + np.__version__)


if __name__ == "__main__":
    main()
