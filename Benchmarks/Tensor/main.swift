import Engine
import Foundation

// Tensor-engine benchmark (release build): training and inference samples/s of the four notebook
// models at batch 32, side by side with PyTorch CPU measured in the same run; GFLOP/s of the conv
// layers' GEMM work against plain sgemm; peak RSS while training the Parallel CNN-Transformer.
// Usage: BenchTensor [--repeats N] [--warmup N] [--batch N] [--no-peer] [--model NAME (only that model)]
//                    [--layers (per-layer conv-branch times only)]

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let batch = option("--batch", 32), repeats = option("--repeats", 3), warmup = option("--warmup", 1)
let threads = KernelParallel.workerCount
BLAS.threadCount = threads
var repoRoot = URL(fileURLWithPath: #filePath)
while repoRoot.lastPathComponent != "Benchmarks" { repoRoot.deleteLastPathComponent() }
repoRoot.deleteLastPathComponent()

func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024   // Linux reports kilobytes
}

let allBuilders: [(String, () throws -> Module, [Int])] = [
    ("parallel_cnn_transformer", { try ParallelCNNTransformer() }, ParallelCNNTransformer.inputShape),
    ("parallel_cnn_attention_lstm", { try ParallelCNNAttentionLSTM() }, ParallelCNNAttentionLSTM.inputShape),
    ("stacked_cnn_lstm", { try StackedCNNLSTM() }, StackedCNNLSTM.inputShape),
    ("stacked_cnn_attention_lstm", { try StackedCNNAttentionLSTM() }, StackedCNNAttentionLSTM.inputShape),
]
let onlyModel = arguments.firstIndex(of: "--model").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let builders = allBuilders.filter { onlyModel == nil || $0.0 == onlyModel }

if arguments.contains("--layers") {
    do {
        for (name, build, shape) in builders {
            try LayerTimes.printConvBranch(name, model: try build(), sampleShape: shape, batch: batch, repeats: repeats)
        }
    } catch { print("layer timing failed: \(error)") }
    exit(0)
}

print("serscript tensor engine, \(threads) cores, batch \(batch), median of \(repeats) after \(warmup) warm-up")
var ours: [String: ModelThroughput] = [:]
var peakAfterTransformer = 0.0
do {
    for (name, build, shape) in builders {
        ours[name] = try ModelThroughput.measure(try build(), sampleShape: shape, batch: batch, warmup: warmup, repeats: repeats)
        if name == "parallel_cnn_transformer" { peakAfterTransformer = peakResidentMegabytes() }
        print("  measured \(name)")
    }
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}

let peer = arguments.contains("--no-peer") ? nil
    : PeerResult.run(repoRoot: repoRoot, models: builders.map(\.0), threads: threads, batch: batch, warmup: warmup, repeats: repeats)

func cell(_ value: Double?, decimals: Int = 1) -> String {
    value.map { String(format: "%9.\(decimals)f", $0) } ?? "        -"
}
func ratio(_ a: Double?, _ b: Double?) -> String {
    guard let a, let b, b > 0 else { return "    -" }
    return String(format: "%5.2f", a / b)
}
print("\n" + "model".padding(toLength: 30, withPad: " ", startingAt: 0)
      + "  train/s  torch/s  ratio   infer/s  torch/s  ratio   train CPU s/batch: ours  torch")
var comparison: [String: [String: Double]] = [:]
for (name, _, _) in builders {
    guard let r = ours[name] else { continue }
    let p = peer?.models[name]
    print(name.padding(toLength: 30, withPad: " ", startingAt: 0)
          + cell(r.trainSamplesPerSecond) + cell(p?.train_samples_per_s) + "  " + ratio(r.trainSamplesPerSecond, p?.train_samples_per_s)
          + " " + cell(r.inferSamplesPerSecond) + cell(p?.infer_samples_per_s) + "  " + ratio(r.inferSamplesPerSecond, p?.infer_samples_per_s)
          + "             " + cell(ModelThroughput.median(r.trainBatchCPUSeconds), decimals: 2)
          + cell(p?.train_batch_cpu_seconds.map(ModelThroughput.median), decimals: 2))
    var entry = ["train_samples_per_s": r.trainSamplesPerSecond, "infer_samples_per_s": r.inferSamplesPerSecond,
                 "train_batch_cpu_seconds": ModelThroughput.median(r.trainBatchCPUSeconds)]
    if let p {
        entry["torch_train_samples_per_s"] = p.train_samples_per_s
        entry["torch_infer_samples_per_s"] = p.infer_samples_per_s
        entry["train_ratio"] = r.trainSamplesPerSecond / p.train_samples_per_s
        entry["infer_ratio"] = r.inferSamplesPerSecond / p.infer_samples_per_s
        if let cpu = p.train_batch_cpu_seconds { entry["torch_train_batch_cpu_seconds"] = ModelThroughput.median(cpu) }
    }
    comparison[name] = entry
}

print("\nconv layers (forward, batch \(batch))      conv GFLOP/s  plain sgemm GFLOP/s")
let rates = ConvGemmRate.notebookLayers(batch: batch).map { ConvGemmRate.measure($0.0, $0.1, repeats: repeats) }
for rate in rates {
    print(rate.layer.padding(toLength: 40, withPad: " ", startingAt: 0)
          + String(format: "%12.2f %20.2f", rate.convGflops, rate.sgemmGflops))
}
print(String(format: "\npeak RSS after training the Parallel CNN-Transformer at batch %d: %.0f MB (target < 2048 MB)",
             batch, peakAfterTransformer))

struct Report: Encodable {
    var threads: Int
    var batch: Int
    var repeats: Int
    var warmup: Int
    var torch: String?
    var models: [String: [String: Double]]
    var details: [String: ModelThroughput]
    var convLayers: [ConvGemmRate]
    var peakRSSMegabytesTrainingParallelCNNTransformer: Double
}
let report = Report(threads: threads, batch: batch, repeats: repeats, warmup: warmup, torch: peer?.torch,
                    models: comparison, details: ours, convLayers: rates,
                    peakRSSMegabytesTrainingParallelCNNTransformer: peakAfterTransformer)
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
let results = repoRoot.appendingPathComponent("Benchmarks/results")
do {
    try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
    try encoder.encode(report).write(to: results.appendingPathComponent("tensor.json"))
    print("wrote Benchmarks/results/tensor.json")
} catch {
    print("could not write Benchmarks/results/tensor.json: \(error)")
}
