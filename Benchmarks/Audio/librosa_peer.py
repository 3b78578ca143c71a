#!/usr/bin/env python3
"""librosa's side of `make bench-audio`: times the same steps as AudioBench on the same clips.

Usage: python librosa_peer.py CLIP_LIST_FILE REPEATS
Prints one JSON object: seconds per clip (median over clips) for each step, and featurisation
throughput in clips per second with 1 process and with 2 processes (best of REPEATS passes).
"""
import json
import multiprocessing
import statistics
import sys
import time

import librosa
import numpy as np

NOTEBOOK = dict(sr=48000, n_fft=1024, win_length=512, window="hamming", hop_length=256, n_mels=128, fmax=24000)


def notebook_features(path):
    y, _ = librosa.load(path, sr=48000, offset=0.5, duration=3)
    y = librosa.util.fix_length(y, size=144000)
    return librosa.power_to_db(librosa.feature.melspectrogram(y=y, **NOTEBOOK), ref=np.max)


def per_clip(step, items, repeats):
    times = []
    for item in items:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            step(item)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    return statistics.median(times)


def throughput(paths, processes, repeats):
    """Clips per second over the whole list, best of `repeats` passes; the worker pool is started
    and warmed up before timing, as serscript's threads exist before its timed passes."""
    def best_pass(run):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        return len(paths) / best

    if processes == 1:
        return best_pass(lambda: [notebook_features(p) for p in paths])
    with multiprocessing.Pool(processes) as pool:
        pool.map(notebook_features, paths[:processes], chunksize=1)
        return best_pass(lambda: pool.map(notebook_features, paths, chunksize=4))


def main():
    paths = [line.strip() for line in open(sys.argv[1]) if line.strip()]
    repeats = int(sys.argv[2])
    clips48 = [librosa.util.fix_length(librosa.load(p, sr=48000, offset=0.5, duration=3)[0], size=144000) for p in paths]
    clips22 = [librosa.load(p, sr=22050)[0] for p in paths]
    notebook_features(paths[0])  # warm-up: imports, numba compilation, caches
    librosa.feature.mfcc(y=clips22[0], sr=22050, n_mfcc=40, n_fft=4096, hop_length=256)
    result = {
        "librosa": librosa.__version__,
        "load_48k_offset_duration": per_clip(lambda p: librosa.load(p, sr=48000, offset=0.5, duration=3), paths, repeats),
        "load_resample_22050": per_clip(lambda p: librosa.load(p, sr=22050), paths, repeats),
        "notebook_logmel": per_clip(lambda y: librosa.power_to_db(librosa.feature.melspectrogram(y=y, **NOTEBOOK), ref=np.max),
                                    clips48, repeats),
        "mfcc40_22050": per_clip(lambda y: librosa.feature.mfcc(y=y, sr=22050, n_mfcc=40, n_fft=4096, hop_length=256),
                                 clips22, repeats),
        "featurize_clips_per_s_1": throughput(paths, 1, repeats),
        "featurize_clips_per_s_2": throughput(paths, 2, repeats),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
