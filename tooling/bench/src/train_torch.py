"""PyTorch peer for train-peers.ts: the same workloads, one MNIST epoch at batch 64, shuffled.

    /usr/bin/python3 src/train_torch.py --workload W1|W2|W3 --threads N --data <dir with the MNIST IDX files>

Prints one line `RESULT {json}` with samples/s over the epoch (data loading excluded), peak RSS and test accuracy,
like the Node children. Run it with Debian's python3-torch; for OpenBLAS at full speed, the caller unsets
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE and selects the pthread OpenBLAS (see README).
"""
import argparse
import json
import os
import resource
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def model_for(w):
    if w == "W1":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    if w == "W2":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 10),
    )


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workload", default="W1")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--data", required=True)
    p.add_argument("--limit", type=int)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x = idx(os.path.join(a.data, "train-images-idx3-ubyte")).astype(np.float32) / 255
    y = idx(os.path.join(a.data, "train-labels-idx1-ubyte")).astype(np.int64)
    tx = idx(os.path.join(a.data, "t10k-images-idx3-ubyte")).astype(np.float32) / 255
    ty = idx(os.path.join(a.data, "t10k-labels-idx1-ubyte")).astype(np.int64)
    limit = a.limit or (10000 if a.workload == "W3" else len(x))
    x, y = torch.from_numpy(x[:limit].copy()).unsqueeze(1), torch.from_numpy(y[:limit].copy())
    tx, ty = torch.from_numpy(tx.copy()).unsqueeze(1), torch.from_numpy(ty.copy())
    model = model_for(a.workload)
    opt = torch.optim.SGD(model.parameters(), lr=0.1) if a.workload == "W1" else torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(limit, generator=torch.Generator().manual_seed(1))
    cpu0 = time.process_time()
    start = time.perf_counter()
    for i in range(0, limit, 64):
        b = order[i : i + 64]
        opt.zero_grad()
        loss = F.cross_entropy(model(x[b]), y[b])
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu0  # all threads; OpenMP threads that spin-wait count too
    with torch.no_grad():
        acc = sum((model(tx[i : i + 500]).argmax(1) == ty[i : i + 500]).sum().item() for i in range(0, len(tx), 500)) / len(tx)
    print("RESULT " + json.dumps({
        "backend": f"torch {torch.__version__}, {a.threads} thread{'s' if a.threads > 1 else ''}",
        "samples": limit,
        "seconds": seconds,
        "samplesPerSec": limit / seconds,
        "cpuSeconds": cpu_seconds,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "testAccuracy": acc,
    }))


if __name__ == "__main__":
    main()
