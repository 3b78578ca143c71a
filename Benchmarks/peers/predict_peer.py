"""The PyTorch + librosa side of `make bench-predict`: the same job as `serscript predict BUNDLE DIR`.

Usage: python3 predict_peer.py BUNDLE AUDIO_DIR --threads N --out ANSWERS.csv

Reads the serscript model bundle (safetensors: weights `model.*`, scaler `scaler.mean/scale`, JSON
metadata `features`, `scaler`, `classes`, `architecture`), loads every audio file below AUDIO_DIR
with librosa at the bundle's rate, offset and duration (padded as the bundle says), computes the same
log-mel with librosa, applies the scaler, runs the notebook model of `Benchmarks/peers/notebook_models.py`
with the bundle's weights in PyTorch (batches of 32) and writes `path,emotion,<class probabilities>`
rows. Features are computed by N processes; torch uses N threads. Prints a JSON line with the file
count and the seconds spent after the imports. Runs inside `.venv-torch` (with librosa added).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import torch_venv  # noqa: E402  (stdlib only; must run before torch is imported)

if __name__ == "__main__":
    torch_venv.reexec_in_venv(__file__, extra=("librosa", "soundfile", "soxr"))

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from multiprocessing import Pool  # noqa: E402

import librosa  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402

import notebook_models  # noqa: E402

AUDIO_SUFFIXES = {".wav", ".flac", ".ogg", ".aiff", ".aif"}
SETTINGS: dict = {}


def features(path: str) -> np.ndarray:
    """One clip's model input as the bundle's pipeline makes it: (1, n_mels, frames), scaled."""
    load, recipe = SETTINGS["load"], SETTINGS["recipe"]
    y, sr = librosa.load(path, sr=load["sr"], offset=load["offset"], duration=load["duration"], mono=True)
    if load["pad"] and load["duration"] is not None:
        length = int(round(load["duration"] * sr))
        y = np.pad(y, (0, max(0, length - len(y))))[:length]
    params = dict(recipe["parameters"])
    ref, top_db = params.pop("ref"), params.pop("top_db")
    mel = librosa.feature.melspectrogram(y=y, sr=sr, **params)
    x = librosa.power_to_db(mel, ref=np.max if ref == "max" else ref, top_db=top_db)[np.newaxis].astype(np.float32)
    scaler = SETTINGS["scaler"]
    if scaler is not None:
        x = (x - scaler[0]) / scaler[1]
    return x


def init_worker(settings: dict) -> None:
    SETTINGS.update(settings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle")
    parser.add_argument("audio_dir")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    torch.set_num_threads(args.threads)

    with safe_open(args.bundle, "np") as f:
        meta = f.metadata()
        tensors = {key: f.get_tensor(key) for key in f.keys()}
    pipeline, classes = json.loads(meta["features"]), json.loads(meta["classes"])
    if pipeline["recipe"]["name"] != "logmel" or pipeline["chunk"] is not None:
        sys.exit("predict_peer.py: only unchunked logmel pipelines")
    architecture = json.loads(meta["architecture"])
    model = getattr(notebook_models, architecture["notebook"]["name"])(num_emotions=len(classes))
    state = {key[len("model."):]: torch.from_numpy(value) for key, value in tensors.items() if key.startswith("model.")}
    model.load_state_dict(state, strict=True)
    model.eval()

    scaler = None
    scaler_meta = json.loads(meta["scaler"])
    if scaler_meta is not None:
        mean, scale = tensors["scaler.mean"], tensors["scaler.scale"]
        shape = json.loads(scaler_meta["sample_shape"]) if isinstance(scaler_meta.get("sample_shape"), str) else scaler_meta["sample_shape"]
        if scaler_meta["mode"] == "per_row":
            shape = [len(mean), 1]
        scaler = (mean.reshape(shape), scale.reshape(shape))
    settings = {"load": pipeline["load"], "recipe": pipeline["recipe"], "scaler": scaler}

    paths = sorted(str(p) for p in Path(args.audio_dir).rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES)
    if args.threads > 1:
        with Pool(args.threads, initializer=init_worker, initargs=(settings,)) as pool:
            inputs = pool.map(features, paths, chunksize=8)
    else:
        init_worker(settings)
        inputs = [features(p) for p in paths]

    rows = []
    with torch.no_grad():
        for start in range(0, len(inputs), 32):
            batch = torch.from_numpy(np.stack(inputs[start:start + 32]))
            rows += model(batch)[1].numpy().tolist()
    with open(args.out, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "emotion", *classes])
        for path, probabilities in zip(paths, rows):
            writer.writerow([path, classes[int(np.argmax(probabilities))], *probabilities])
    print(json.dumps({"files": len(paths), "seconds_after_imports": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
