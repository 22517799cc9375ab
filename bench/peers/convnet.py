#!/usr/bin/env python3
"""PyTorch (CPU) peer of the convnet workload: Keras's "Simple MNIST convnet".

Run by bench/cmd/convnettable, which writes MNIST and the Keras model's
starting weights as raw float32 files into --data, and reads one JSON line
from stdout: {"seconds": median epoch time, "acc": test accuracy, "maxrss_kb": ...}.

    python3 convnet.py --data DIR [--threads 2] [--epochs 1]

Same network (Conv2d 32 3x3 relu, MaxPool 2, Conv2d 64 3x3 relu, MaxPool 2,
Flatten, Dropout 0.5, Linear 10), same starting weights (Keras's NHWC
layouts permuted to PyTorch's NCHW), Adam with Keras's defaults (lr 1e-3,
betas 0.9/0.999, eps 1e-7), cross-entropy on the softmax, batch 128, the
training set shuffled each epoch.
"""
import argparse, json, os, resource, statistics, time

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=1)
a = p.parse_args()

import numpy as np
import torch

torch.set_num_threads(a.threads)
torch.manual_seed(1)


def load(name, *shape):
    return np.fromfile(os.path.join(a.data, name), dtype=np.float32).reshape(*shape)


xtr = torch.from_numpy(load("mnist_xtrain.f32", -1, 1, 28, 28).copy())
ytr = torch.from_numpy(load("mnist_ytrain.f32", -1, 10).argmax(1))
xte = torch.from_numpy(load("mnist_xtest.f32", -1, 1, 28, 28).copy())
yte = torch.from_numpy(load("mnist_ytest.f32", -1, 10).argmax(1))

model = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Conv2d(32, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
    torch.nn.Flatten(), torch.nn.Dropout(0.5), torch.nn.Linear(1600, 10))
with torch.no_grad():
    # Keras kernels are (kh, kw, in, out); PyTorch's are (out, in, kh, kw).
    model[0].weight.copy_(torch.from_numpy(load("convnet_w1.f32", 3, 3, 1, 32).transpose(3, 2, 0, 1).copy()))
    model[0].bias.copy_(torch.from_numpy(load("convnet_b1.f32", 32)))
    model[3].weight.copy_(torch.from_numpy(load("convnet_w2.f32", 3, 3, 32, 64).transpose(3, 2, 0, 1).copy()))
    model[3].bias.copy_(torch.from_numpy(load("convnet_b2.f32", 64)))
    # Keras flattens (h, w, c), PyTorch (c, h, w).
    w = load("convnet_w3.f32", 5, 5, 64, 10).transpose(2, 0, 1, 3).reshape(1600, 10)
    model[8].weight.copy_(torch.from_numpy(w.T.copy()))
    model[8].bias.copy_(torch.from_numpy(load("convnet_b3.f32", 10)))

opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
times = []
n = xtr.shape[0]
for _ in range(a.epochs):
    model.train()
    t0 = time.perf_counter()
    perm = torch.randperm(n)
    for i in range(0, n, 128):
        idx = perm[i:i + 128]
        opt.zero_grad()
        loss = loss_fn(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
model.eval()
with torch.no_grad():
    acc = float((model(xte).argmax(1) == yte).float().mean())
print(json.dumps({"seconds": statistics.median(times), "acc": acc,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
