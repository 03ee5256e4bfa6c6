"""PyTorch reference for bench/train.bench.ts: the lesson's intro CNN (32x32x3 input, batch 32,
Adam) trained on random data, reporting images per second as one JSON line.

Usage: python3 bench/torch_reference.py [--threads N] [--steps N]
(--threads 0 uses every core this process may use.)
"""
import argparse
import json
import os
import time

import torch
from torch import nn


def intro_model() -> nn.Module:
    # The same layers as src/training/models.ts introModel([32, 32, 3]): 79,530 parameters.
    return nn.Sequential(
        nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 6 * 6, 64), nn.ReLU(),
        nn.Linear(64, 10),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    # 0: every core this process may use (PyTorch's own default follows OMP_NUM_THREADS, which a
    # machine may have set to 1).
    torch.set_num_threads(args.threads if args.threads > 0 else len(os.sched_getaffinity(0)))
    torch.manual_seed(0)
    model = intro_model()
    assert sum(p.numel() for p in model.parameters()) == 79530
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()  # softmax + categorical cross-entropy in one
    x = torch.rand(32, 3, 32, 32)
    y = torch.randint(0, 10, (32,))

    def step() -> None:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for _ in range(5):
        step()
    start = time.perf_counter()
    cpu_start = time.process_time()  # all of this process's threads
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    print(json.dumps({
        "threads": torch.get_num_threads(),
        "images_per_second": args.steps * 32 / seconds,
        "ms_per_step": seconds * 1000 / args.steps,
        "cpu_ms_per_step": cpu_seconds * 1000 / args.steps,
    }))


if __name__ == "__main__":
    main()
