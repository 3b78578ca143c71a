// Training-loop benchmark: a notebook model's training epoch through `fit` against the same work
// written by hand (the loop's own overhead), batch assembly, and batched evaluation.
// Prints a table and writes Benchmarks/results/train.json. Run with `make bench-train`.
import Engine
import Foundation

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct Row: Codable {
    let name: String
    let setting: String
    let seconds: Double
    let samplesPerSecond: Double
}

var rows: [Row] = []
func record(_ name: String, _ setting: String, seconds: Double, samples: Int) {
    let row = Row(name: name, setting: setting, seconds: seconds, samplesPerSecond: Double(samples) / seconds)
    rows.append(row)
    print("\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(setting.padding(toLength: 30, withPad: " ", startingAt: 0))"
          + String(format: " %8.3f s %10.1f samples/s", row.seconds, row.samplesPerSecond))
}

let count = 64, batchSize = 32, rounds = 3
let generator = RandomGenerator(seed: 1)
let features = try Tensor.randn([count] + ParallelCNNTransformer.inputShape, generator: generator)
let data = try TensorDataset(features: features, labels: (0..<count).map { $0 % 8 })
let setting = "\(count) × \(ParallelCNNTransformer.inputShape), batch \(batchSize)"
print("threads: OpenBLAS \(BLAS.threadCount), cores \(ProcessInfo.processInfo.activeProcessorCount)")

// Batch assembly alone: one memcpy per example.
let loader = try BatchLoader(data, batchSize: batchSize, seed: 1)
let gather = seconds { for epoch in 1...20 { for batch in loader.batches(epoch: epoch) { _ = batch.features } } }
record("batch assembly (memcpy rows)", setting, seconds: gather / 20, samples: count)

/// Median of `values`.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

// The machine is shared, so fit and the hand-written loop alternate, epoch by epoch, and the
// medians are compared.
for threads in [BLAS.threadCount, 1] {
    BLAS.threadCount = threads
    let label = "\(setting), BLAS \(threads)"
    let model = try ParallelCNNTransformer(generator: RandomGenerator(seed: 2))
    let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3)
    var options = FitOptions(epochs: 1, batchSize: batchSize)
    options.progress = .silent
    try fit(model, optimizer: optimizer, train: data, options: options)     // warm-up
    var fitTimes: [Double] = [], handTimes: [Double] = [], evaluationTimes: [Double] = []
    for _ in 0..<rounds {
        fitTimes.append(try seconds { try fit(model, optimizer: optimizer, train: data, options: options) })
        handTimes.append(try seconds {
            for batch in loader.batches(epoch: 1) {      // zero_grad, forward, loss, backward, step
                model.zeroGrad()
                let loss = try Loss.crossEntropy(try model(batch.features), targets: batch.labels)
                try loss.backward()
                try optimizer.step()
            }
        })
        evaluationTimes.append(try seconds { _ = try evaluate(model, on: data, batchSize: batchSize) })
    }
    record("fit (one train epoch)", label, seconds: median(fitTimes), samples: count)
    record("hand-written loop (same work)", label, seconds: median(handTimes), samples: count)
    record("evaluate (eval mode, no grad)", label, seconds: median(evaluationTimes), samples: count)
}

let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("results/train.json")
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
try encoder.encode(rows).write(to: url)
print("wrote \(url.path)")
