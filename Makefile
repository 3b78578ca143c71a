# serscript — the two commands of the README, and the pieces they are made of.
# Every target runs scripts/setup.sh first, which installs missing Debian packages (idempotent, fast).

SWIFT ?= swift
BIN := .build/release/serscript

.PHONY: setup build test demo bench bench-audio bench-featurize bench-lang bench-tensor bench-tensor-ops bench-train demo-feasibility fftw-wisdom clean bench-scale-out bench-predict

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product serscript

# The whole test suite, optimised: numeric tests train small models and need release speed.
test: setup
	$(SWIFT) test -c release --disable-swift-testing

# The main job: the paper's model trained on a corpus that needs no download. The corpus is
# generated once (data/demo, espeak-ng; skipped when complete); docs/demo.md has the measurements.
demo: build
	$(BIN) demo-corpus data/demo
	$(BIN) examples/parallel_cnn_transformer.sers --seed 1

# Audio front-end against librosa (creates .venv-librosa on first run); writes Benchmarks/results/audio.json.
bench-audio: setup
	$(SWIFT) build -c release --product AudioBench
	.build/release/AudioBench

# A corpus featurised end to end in fresh processes (index → load → log-mel → stacked tensor; cache
# cold/warm, 1 and 2 threads) against librosa; CORPUS defaults to data/demo (synthesised when
# missing). Writes Benchmarks/results/featurize.json.
bench-featurize: setup
	$(SWIFT) build -c release --product serscript
	$(SWIFT) build -c release --product AudioBench
	.build/release/AudioBench featurize $(CORPUS)

# Interpreter overhead: 1M-iteration scalar loops (< 1 s) and `serscript -e '1'` start-up (< 100 ms).
bench-lang: setup
	$(SWIFT) build -c release --product serscript
	$(SWIFT) run -c release BenchInterpreter

# Tensor engine: the four notebook models' train/infer samples/s vs PyTorch, conv GEMM GFLOP/s, peak RSS.
bench-tensor: setup
	$(SWIFT) build -c release --product BenchTensor
	.build/release/BenchTensor

# Training-loop benchmark (fit vs a hand-written loop, batching, evaluate); writes Benchmarks/results/train.json.
bench-train: setup
	$(SWIFT) run -c release BenchTrain


# Tensor-op micro-benchmark (GEMM vs bare sgemm, elementwise, reductions, softmax, permute, an MLP
# step); writes Benchmarks/results/tensor_ops.json.
bench-tensor-ops: setup
	$(SWIFT) run -c release BenchTensorOps

# Data-parallel fit (1 rank × 2 threads vs 2 ranks × 1 thread), the gradient all-reduce and an 8-run sweep
# on 1 and 2 MPI ranks; writes Benchmarks/results/scale_out.json (docs/scale-out.md).
bench-scale-out: setup
	$(SWIFT) build -c release --product serscript
	$(SWIFT) build -c release --product BenchScaleOut
	.build/release/BenchScaleOut

# `serscript predict` on a folder of demo clips, files/s at 1 and 2 threads, against PyTorch + librosa
# doing the same (Benchmarks/peers/predict_peer.py, in .venv-torch); writes Benchmarks/results/predict.json.
bench-predict: setup
	$(SWIFT) build -c release --product serscript
	$(SWIFT) build -c release --product BenchPredict
	.build/release/BenchPredict

# Every benchmark; each prints a table and writes JSON under Benchmarks/results/.
bench: bench-audio bench-featurize bench-tensor bench-tensor-ops bench-train bench-lang bench-predict

# The README demo end to end (demo corpus, features, Parallel CNN-Transformer training, test), timed per
# stage; pass settings as ARGS="--epochs 6 --copies 0 …". Appends to Benchmarks/results/demo_feasibility.json.
demo-feasibility: setup
	$(SWIFT) build -c release --product DemoFeasibility
	.build/release/DemoFeasibility $(ARGS)

# Re-times RealFFT's plans with FFTW_PATIENT (about a minute) and rewrites the committed wisdom,
# Sources/Engine/Native/FFTWisdom.swift; commit it. Only for a new reference CPU or FFTW version.
fftw-wisdom: setup
	$(SWIFT) build -c release --product FFTWisdom
	.build/release/FFTWisdom Sources/Engine/Native/FFTWisdom.swift

clean:
	rm -rf .build
