"""PyTorch peer for lstm-train.ts: the same LSTM training step (64 x 100 x 32 -> nn.LSTM 128 -> Linear 1, MSE, Adam).

    /usr/bin/python3 src/lstm_torch.py --steps 5 [--threads 1]

Prints one line `RESULT {json}` with the median milliseconds per training step after one warm-up step.
"""
import argparse
import json
import time

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--steps", type=int, default=5)
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 128, batch_first=True)
        self.out = nn.Linear(128, 1)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h[:, -1])


net = Net()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
x = torch.randn(64, 100, 32)
y = torch.randn(64, 1)


def step():
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()


step()
ms = []
for _ in range(a.steps):
    t = time.perf_counter()
    step()
    ms.append((time.perf_counter() - t) * 1000)
ms.sort()
print("RESULT " + json.dumps({"ms": ms[len(ms) // 2], "threads": a.threads, "version": torch.__version__}))
