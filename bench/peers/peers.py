#!/usr/bin/env python3
"""PyTorch (CPU) and NumPy-from-scratch peers of the issue 7 workloads.

Run by bench/cmd/benchtable, which writes the data and the starting weights
(the Keras model's, so every peer starts from the same point) as raw
float32 files into --data, and reads one JSON line from stdout:
{"seconds": ..., "acc": ..., "value": ..., "maxrss_kb": ...}.

    python3 peers.py --peer torch|numpy --work mnist30|mnist100|5x+1|moons|predict1|predict10000 --data DIR
"""
import argparse, json, os, resource, statistics, sys, time

p = argparse.ArgumentParser()
p.add_argument("--peer", required=True, choices=["torch", "numpy"])
p.add_argument("--work", required=True)
p.add_argument("--data", required=True)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=3)
a = p.parse_args()

import numpy as np

SPECS = {  # sizes, hidden activation, classify, lr, l2, batch, epochs (bench/workloads.go)
    "mnist30": ([784, 30, 10], "relu", True, 0.1, 0.0, 100, None),
    "mnist100": ([784, 100, 10], "relu", True, 0.1, 0.0, 100, None),
    "5x+1": ([1, 1], "", False, 0.01, 0.0, 32, 500),
    "moons": ([2, 3, 2], "tanh", True, 3.0, 0.01 / 600, 300, 20000),
    "predict1": ([784, 30, 10], "relu", True, 0.1, 0.0, 32, None),
    "predict10000": ([784, 30, 10], "relu", True, 0.1, 0.0, 32, None),
}
sizes, act, classify, lr, l2, batch, epochs = SPECS[a.work]
data = {"mnist30": "mnist", "mnist100": "mnist", "predict1": "mnist", "predict10000": "mnist", "5x+1": "linear", "moons": "moons"}[a.work]


def load(name, cols):
    return np.fromfile(os.path.join(a.data, name), dtype=np.float32).reshape(-1, cols)


xtr, ytr = load(data + "_xtrain.f32", sizes[0]), load(data + "_ytrain.f32", sizes[-1])
xte, yte = (load(data + "_xtest.f32", sizes[0]), load(data + "_ytest.f32", sizes[-1])) if data == "mnist" else (xtr, ytr)
wname = "mnist30" if a.work.startswith("predict") else a.work
init = []
for i in range(1, len(sizes)):
    init.append(np.fromfile(os.path.join(a.data, f"{wname}_w{i}.f32"), dtype=np.float32).reshape(sizes[i - 1], sizes[i]))
    init.append(np.fromfile(os.path.join(a.data, f"{wname}_b{i}.f32"), dtype=np.float32))
rng = np.random.default_rng(1)
out = {}


def report(**kw):
    kw["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(kw))


def accuracy(pred, y):
    return float((pred.argmax(1) == y.argmax(1)).mean())


if a.peer == "torch":
    import torch
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    def build():
        mods = []
        for i in range(1, len(sizes)):
            lin = torch.nn.Linear(sizes[i - 1], sizes[i])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(init[2 * (i - 1)].T.copy()))
                lin.bias.copy_(torch.from_numpy(init[2 * (i - 1) + 1]))
            mods.append(lin)
            if i < len(sizes) - 1:
                mods.append(torch.nn.ReLU() if act == "relu" else torch.nn.Tanh())
        return torch.nn.Sequential(*mods)

    def train(model, x, y, n_epochs):
        opt = torch.optim.SGD(model.parameters(), lr=lr)
        kernels = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
        times = []
        for _ in range(n_epochs):
            t0 = time.perf_counter()
            perm = torch.randperm(x.shape[0])
            for s in range(0, x.shape[0], batch):
                idx = perm[s:s + batch]
                xb, yb = x[idx], y[idx]
                opt.zero_grad(set_to_none=True)
                o = model(xb)
                if classify:
                    loss = -(yb * torch.log_softmax(o, 1)).sum(1).mean()
                else:
                    loss = ((o - yb) ** 2).mean()
                if l2:
                    loss = loss + l2 * sum((k * k).sum() for k in kernels)
                loss.backward()
                opt.step()
            times.append(time.perf_counter() - t0)
        return times

    def predict(model, x, bs):
        with torch.no_grad():
            return torch.cat([torch.softmax(model(x[s:s + bs]), 1) for s in range(0, x.shape[0], bs)])

    x, y = torch.from_numpy(xtr), torch.from_numpy(ytr)
    if a.work.startswith("mnist"):
        model = build()
        times = train(model, x, y, a.epochs)
        acc = accuracy(predict(model, torch.from_numpy(xte), 1000).numpy(), yte)
        report(seconds=statistics.median(times), acc=acc)
    elif a.work in ("5x+1", "moons"):
        runs = []
        for _ in range(5 if a.work == "5x+1" else 1):
            t0 = time.perf_counter()
            model = build()
            train(model, x, y, epochs)
            runs.append(time.perf_counter() - t0)
        with torch.no_grad():
            if a.work == "5x+1":
                report(seconds=statistics.median(runs), value=float(model(torch.tensor([[10.0]]))[0, 0]))
            else:
                report(seconds=runs[0], acc=accuracy(model(x).numpy(), ytr))
    else:
        model = build()
        n = 1 if a.work == "predict1" else 10000
        xs = torch.from_numpy(xte[:n])
        reps = 2000 if n == 1 else 5
        predict(model, xs, 32)
        t0 = time.perf_counter()
        for _ in range(reps):
            predict(model, xs, 32)
        report(seconds=(time.perf_counter() - t0) / reps)
    sys.exit(0)

# NumPy from scratch: forward, backward and SGD written out, float32.
W = [w.copy() for w in init]


def forward(x):
    hs = [x]
    h = x
    for i in range(0, len(W), 2):
        z = h @ W[i] + W[i + 1]
        if i + 2 < len(W):
            h = np.maximum(z, 0) if act == "relu" else np.tanh(z)
        else:
            h = z
        hs.append(h)
    return hs


def softmax(z):
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def step(xb, yb):
    hs = forward(xb)
    o = hs[-1]
    n = xb.shape[0]
    d = (softmax(o) - yb) / n if classify else 2 * (o - yb) / (n * yb.shape[1])
    for i in range(len(W) - 2, -1, -2):
        h = hs[i // 2]
        gw = h.T @ d
        if l2:
            gw += 2 * l2 * W[i]
        gb = d.sum(0)
        if i > 0:
            d = d @ W[i].T
            d *= (h > 0) if act == "relu" else (1 - h * h)
        W[i] -= np.float32(lr) * gw
        W[i + 1] -= np.float32(lr) * gb


def train(x, y, n_epochs):
    times = []
    for _ in range(n_epochs):
        t0 = time.perf_counter()
        perm = rng.permutation(x.shape[0])
        for s in range(0, x.shape[0], batch):
            idx = perm[s:s + batch]
            step(x[idx], y[idx])
        times.append(time.perf_counter() - t0)
    return times


def predict(x, bs):
    return np.concatenate([softmax(forward(x[s:s + bs])[-1]) for s in range(0, x.shape[0], bs)])


if a.work.startswith("mnist"):
    times = train(xtr, ytr, a.epochs)
    report(seconds=statistics.median(times), acc=accuracy(predict(xte, 1000), yte))
elif a.work in ("5x+1", "moons"):
    runs = []
    for _ in range(5 if a.work == "5x+1" else 1):
        W = [w.copy() for w in init]
        t0 = time.perf_counter()
        train(xtr, ytr, epochs)
        runs.append(time.perf_counter() - t0)
    if a.work == "5x+1":
        report(seconds=statistics.median(runs), value=float(forward(np.array([[10.0]], np.float32))[-1][0, 0]))
    else:
        report(seconds=runs[0], acc=accuracy(forward(xtr)[-1], ytr))
else:
    n = 1 if a.work == "predict1" else 10000
    xs = xte[:n]
    reps = 2000 if n == 1 else 5
    predict(xs, 32)
    t0 = time.perf_counter()
    for _ in range(reps):
        predict(xs, 32)
    report(seconds=(time.perf_counter() - t0) / reps)
