#!/usr/bin/env python3
"""PyTorch CPU peer benchmark: training and inference throughput of the four notebook models.

Usage (from anywhere; the first run creates `.venv-torch/` at the repository root from PyPI):

    python3 Benchmarks/peers/torch_models.py [--threads 2] [--json PATH] [--batch 32]
                                             [--repeats 5] [--warmup 2] [--models a,b,...]

For each model of `notebook_models.MODELS`, at its notebook input shape — one clip (1, 128, 563) for
the two parallel models, 7 chunks (7, 1, 128, 128) for the two stacked (TimeDistributed) ones — on
random N(0,1) inputs and random labels, it measures with `torch.set_num_threads(threads)`:

- training: model.train(); forward, cross-entropy on the logits, backward, SGD step (lr 0.01,
  momentum 0.8, weight decay 1e-3, as in the notebooks), zero_grad;
- inference: model.eval() under torch.no_grad(), forward only.

Each is run `warmup` times untimed, then `repeats` timed batches; the reported figure is
batch / median batch time, in samples per second; the process CPU time of every batch (all threads,
less disturbed by a busy machine than wall time) is recorded too. It prints a table and, with
--json, writes

    {"peer": "pytorch", "torch": "<version>", "threads": N, "batch": B, "repeats": R, "warmup": W,
     "models": {"<name>": {"input_shape": [B, ...], "train_samples_per_s": x, "infer_samples_per_s": y,
                           "train_batch_seconds": [...], "infer_batch_seconds": [...],
                           "train_batch_cpu_seconds": [...], "infer_batch_cpu_seconds": [...]}}}

Model names: parallel_cnn_transformer, parallel_cnn_attention_lstm, stacked_cnn_lstm,
stacked_cnn_attention_lstm.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch_venv  # noqa: E402  (stdlib only; must run before torch is imported)

if __name__ == "__main__":
    torch_venv.reexec_in_venv(__file__)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import notebook_models  # noqa: E402


def timed(step, warmup: int, repeats: int) -> tuple[list[float], list[float]]:
    """Runs `step` warmup times, then returns the wall and the process CPU time (all threads) of
    each of `repeats` further runs."""
    for _ in range(warmup):
        step()
    seconds, cpu_seconds = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    return seconds, cpu_seconds


def benchmark_model(name: str, batch: int, warmup: int, repeats: int) -> dict:
    cls, _ = notebook_models.MODELS[name]
    torch.manual_seed(0)
    model = cls()
    x = torch.randn(batch, *cls.input_shape)
    y = torch.randint(0, notebook_models.NUM_EMOTIONS, (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.8, weight_decay=1e-3)

    def train_step() -> None:
        model.train()
        loss = F.cross_entropy(model(x)[0], y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    def infer_step() -> None:
        model.eval()
        with torch.no_grad():
            model(x)

    train, train_cpu = timed(train_step, warmup, repeats)
    infer, infer_cpu = timed(infer_step, warmup, repeats)
    return {
        "input_shape": list(x.shape),
        "train_samples_per_s": batch / statistics.median(train),
        "infer_samples_per_s": batch / statistics.median(infer),
        "train_batch_seconds": train,
        "infer_batch_seconds": infer,
        "train_batch_cpu_seconds": train_cpu,
        "infer_batch_cpu_seconds": infer_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this path")
    parser.add_argument("--batch", type=int, default=32, help="batch size (default 32)")
    parser.add_argument("--repeats", type=int, default=5, help="timed batches per measurement (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed batches first (default 2)")
    parser.add_argument("--models", default=",".join(notebook_models.MODELS),
                        help="comma-separated model names (default: all four)")
    args = parser.parse_args()
    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in notebook_models.MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; known: {list(notebook_models.MODELS)}")
    if args.threads < 1 or args.batch < 1 or args.repeats < 1 or args.warmup < 0:
        parser.error("--threads, --batch and --repeats must be at least 1, --warmup at least 0")

    torch.set_num_threads(args.threads)
    results = {"peer": "pytorch", "torch": torch.__version__, "threads": args.threads, "batch": args.batch,
               "repeats": args.repeats, "warmup": args.warmup, "models": {}}
    print(f"PyTorch {torch.__version__} CPU, {args.threads} threads, batch {args.batch}, "
          f"median of {args.repeats} after {args.warmup} warm-up")
    print(f"{'model':<30} {'input':<22} {'train samples/s':>16} {'infer samples/s':>16}")
    for name in names:
        r = benchmark_model(name, args.batch, args.warmup, args.repeats)
        results["models"][name] = r
        shape = "x".join(map(str, r["input_shape"]))
        print(f"{name:<30} {shape:<22} {r['train_samples_per_s']:>16.1f} {r['infer_samples_per_s']:>16.1f}",
              flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
