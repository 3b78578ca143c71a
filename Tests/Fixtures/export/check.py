#!/usr/bin/env python3
"""Reads the files serscript's `save_tensors` wrote into this folder (see make.sers) with Python's own
readers — `safetensors.numpy.load_file` and `numpy.load` — and checks every value, shape and dtype.

Run: python3 Tests/Fixtures/export/check.py   (re-runs itself in `.venv-torch`, which has numpy and
safetensors; `../torch/generate.py` runs it too). Exits non-zero naming the first difference.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "Benchmarks" / "peers"))
import torch_venv  # noqa: E402

if __name__ == "__main__":
    torch_venv.reexec_in_venv(__file__)

import numpy as np  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402


def expected() -> dict[str, np.ndarray]:
    return {"grid": np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.25) - np.float32(1.5),
            "vector": np.array([1.5, -2.0, 3e-8], dtype=np.float32),
            "scalar": np.array(3.25, dtype=np.float32)}


def same(name: str, got: np.ndarray, want: np.ndarray) -> None:
    if got.dtype != np.float32 or got.shape != want.shape or not np.array_equal(got, want):
        raise SystemExit(f"{name}: read {got.dtype} {got.shape} {got.ravel()[:6]}, expected float32 {want.shape} {want.ravel()[:6]}")


def check() -> None:
    want = expected()
    tensors = load_file(str(HERE / "tensors.safetensors"))
    if set(tensors) != set(want):
        raise SystemExit(f"tensors.safetensors holds {sorted(tensors)}, expected {sorted(want)}")
    archive = np.load(HERE / "tensors.npz")
    if set(archive.files) != set(want):
        raise SystemExit(f"tensors.npz holds {sorted(archive.files)}, expected {sorted(want)}")
    for name, value in want.items():
        same(f"tensors.safetensors[{name}]", tensors[name], value)
        same(f"tensors.npz[{name}]", archive[name], value)
    same("grid.npy", np.load(HERE / "grid.npy"), want["grid"])
    print(f"export fixtures read back exactly by numpy {np.__version__} and safetensors")


if __name__ == "__main__":
    check()
