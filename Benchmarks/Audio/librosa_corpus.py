#!/usr/bin/env python3
"""librosa's side of `make bench-featurize`: a corpus featurised end to end in one fresh process.

Usage: python librosa_corpus.py CORPUS_DIR PROCESSES
Indexes every .wav under CORPUS_DIR (RAVDESS names: the emotion is the third field), loads and
featurises each clip as the notebooks do (librosa_peer.notebook_features) with PROCESSES worker
processes, stacks them into one N x 1 x 128 x 563 float32 array and prints its shape.
"""
import multiprocessing
import os
import sys

import numpy as np

from librosa_peer import notebook_features


def main():
    folder, processes = sys.argv[1], int(sys.argv[2])
    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(folder) for name in names if name.endswith(".wav"))
    labels = [int(os.path.basename(path).split("-")[2]) - 1 for path in paths]
    if processes == 1:
        features = [notebook_features(path) for path in paths]
    else:
        with multiprocessing.Pool(processes) as pool:
            features = pool.map(notebook_features, paths, chunksize=8)
    stacked = np.stack(features)[:, None].astype(np.float32)
    print(stacked.shape, len(labels))


if __name__ == "__main__":
    main()
