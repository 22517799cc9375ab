# The PyTorch side of bench's BenchmarkLSTMEpoch: one epoch of LSTM(64)
# then Linear(1) on 10,000 sequences of 50 steps of 8 features, batch
# 64, Adam, MSE, float32, on the CPU with THREADS threads (default 2).
# Usage: python3 bench/peers/lstm_torch.py [threads] [epochs]
# The last line is JSON for bench/cmd/benchtable: {"seconds": median epoch}.
import json, resource, statistics, sys, time
import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.set_num_threads(threads)
torch.manual_seed(1)
n, steps, feats = 10000, 50, 8
x = torch.randn(n, steps, feats)
y = x[:, 0, :1].clone()

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(feats, 64, batch_first=True)
        self.out = torch.nn.Linear(64, 1)
    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.MSELoss()
times = []
for e in range(epochs):
    t0 = time.perf_counter()
    for i in range(0, n, 64):
        opt.zero_grad()
        loss = loss_fn(model(x[i:i + 64]), y[i:i + 64])
        loss.backward()
        opt.step()
    times.append(time.perf_counter() - t0)
print("torch lstm64 epoch seconds: min %.3f, all %s" % (min(times), ["%.3f" % t for t in times]))
print(json.dumps({"seconds": statistics.median(times), "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
