// Tensor-engine micro-benchmark: the ops the notebook models lean on, timed in a release build.
// Prints a table and writes Benchmarks/results/tensor_ops.json. Run with `make bench-tensor-ops`.
import Engine
import Foundation

/// Median wall time of `body` over `repeats` runs after `warmup` untimed runs, in seconds.
func medianSeconds(repeats: Int = 9, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

struct Row: Codable {
    let name: String
    let shape: String
    let milliseconds: Double
    let rate: Double
    let unit: String
}

var rows: [Row] = []
func record(_ name: String, _ shape: String, seconds: Double, work: Double, unit: String) {
    let row = Row(name: name, shape: shape, milliseconds: seconds * 1e3, rate: work / seconds, unit: unit)
    rows.append(row)
    let rate = String(format: "%10.2f", row.rate), ms = String(format: "%9.3f", row.milliseconds)
    print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(shape.padding(toLength: 26, withPad: " ", startingAt: 0)) \(ms) ms  \(rate) \(unit)")
}

let rng = RandomGenerator(seed: 1)
print("threads: OpenBLAS \(BLAS.threadCount), cores \(ProcessInfo.processInfo.activeProcessorCount)")
print("op                                 shape                             time          rate")

// GEMM: the Tensor matmul path against a bare sgemm call of the same size.
for (m, k, n) in [(512, 512, 512), (4096, 64, 64), (32 * 141, 256, 64)] {
    let a = try Tensor.randn([m, k], generator: rng), b = try Tensor.randn([k, n], generator: rng)
    let flops = 2.0 * Double(m * n * k) / 1e9
    record("matmul (Tensor)", "\(m)x\(k) · \(k)x\(n)", seconds: try medianSeconds { _ = try Tensor.matmul(a, b) }, work: flops, unit: "GFLOP/s")
    let c = TensorStorage(uninitializedCount: m * n)
    let raw = medianSeconds {
        BLAS.sgemm(m: m, n: n, k: k, a: a.storage.pointer, lda: k, b: b.storage.pointer, ldb: n, c: c.pointer, ldc: n)
    }
    record("sgemm (bare)", "\(m)x\(k) · \(k)x\(n)", seconds: raw, work: flops, unit: "GFLOP/s")
}

// Batched attention-style GEMMs: (B·H, T, d) · (B·H, d, T).
do {
    let q = try Tensor.randn([32 * 4, 141, 16], generator: rng), kT = try Tensor.randn([32 * 4, 16, 141], generator: rng)
    let flops = 2.0 * Double(128 * 141 * 141 * 16) / 1e9
    record("batched matmul", "128x141x16 · 128x16x141", seconds: try medianSeconds { _ = try Tensor.matmul(q, kT) }, work: flops, unit: "GFLOP/s")
}

// Elementwise and broadcasting (GB/s counts bytes read + written).
let x = try Tensor.randn([32, 16, 64, 141], generator: rng)
let y = try Tensor.randn([32, 16, 64, 141], generator: rng)
let channel = try Tensor.randn([1, 16, 1, 1], generator: rng)
let row = try Tensor.randn([141], generator: rng)
let bytes = Double(x.count * 4) / 1e9
record("add same shape", "\(x.shape)", seconds: try medianSeconds { _ = try x + y }, work: 3 * bytes, unit: "GB/s")
record("mul per-channel broadcast", "\(x.shape) · [1,16,1,1]", seconds: try medianSeconds { _ = try x * channel }, work: 2 * bytes, unit: "GB/s")
record("add last-dim broadcast", "\(x.shape) + [141]", seconds: try medianSeconds { _ = try x + row }, work: 2 * bytes, unit: "GB/s")
record("scalar mul", "\(x.shape)", seconds: medianSeconds { _ = x * 0.5 }, work: 2 * bytes, unit: "GB/s")
record("relu", "\(x.shape)", seconds: medianSeconds { _ = x.relu() }, work: 2 * bytes, unit: "GB/s")
record("exp", "\(x.shape)", seconds: medianSeconds { _ = x.exp() }, work: 2 * bytes, unit: "GB/s")
record("sigmoid", "\(x.shape)", seconds: medianSeconds { _ = x.sigmoid() }, work: 2 * bytes, unit: "GB/s")
record("gelu", "\(x.shape)", seconds: medianSeconds { _ = x.gelu() }, work: 2 * bytes, unit: "GB/s")
record("sum last dim", "\(x.shape)", seconds: try medianSeconds { _ = try x.sum(dim: -1) }, work: bytes, unit: "GB/s")
record("sum dims [0,2,3]", "\(x.shape)", seconds: try medianSeconds { _ = try x.sum(dims: [0, 2, 3]) }, work: bytes, unit: "GB/s")
record("softmax last dim", "\(x.shape)", seconds: try medianSeconds { _ = try x.softmax(dim: -1) }, work: 2 * bytes, unit: "GB/s")
record("permute [0,3,1,2]", "\(x.shape)", seconds: try medianSeconds { _ = try x.permute([0, 3, 1, 2]) }, work: 2 * bytes, unit: "GB/s")

// Backward through broadcasting: the gradients of a per-channel scale and a bias are reductions.
do {
    let scale = try Tensor.randn([1, 16, 1, 1], generator: rng, requiresGrad: true)
    let bias = try Tensor.randn([141], generator: rng, requiresGrad: true)
    let seconds = try medianSeconds {
        scale.zeroGrad()
        bias.zeroGrad()
        try (x * scale + bias).backward(gradient: y)
    }
    record("broadcast fwd+bwd (scale, bias)", "\(x.shape)", seconds: seconds, work: 7 * bytes, unit: "GB/s")
}

// Per-op overhead on small tensors (the graph bookkeeping an unrolled recurrence pays each step).
do {
    let w = try Tensor.randn([32, 128], std: 0.1, generator: rng, requiresGrad: true)
    let b = try Tensor.randn([128], generator: rng, requiresGrad: true)
    let steps = 200
    let seconds = try medianSeconds(repeats: 5) {
        var h = try Tensor.zeros([32, 128])
        for _ in 0..<steps { h = try (h * w + b).tanh() }
        try h.sum().backward()
    }
    record("small ops fwd+bwd (32x128)", "3 ops × \(steps) steps", seconds: seconds, work: Double(3 * steps), unit: "ops/s")
}

// A two-layer MLP training step: forward, cross-entropy, backward, SGD.
do {
    let input = try Tensor.randn([256, 512], generator: rng)
    let labels = (0..<256).map { $0 % 8 }
    let w1 = try Tensor.randn([512, 256], std: 0.05, generator: rng, requiresGrad: true)
    let w2 = try Tensor.randn([256, 8], std: 0.05, generator: rng, requiresGrad: true)
    let sgd = try SGD(parameters: [w1, w2], learningRate: 0.01, momentum: 0.9)
    let seconds = try medianSeconds {
        sgd.zeroGrad()
        let hidden = try Tensor.matmul(input, w1).relu()
        try Loss.crossEntropy(Tensor.matmul(hidden, w2), targets: labels).backward()
        try sgd.step()
    }
    record("MLP train step", "256x512 → 256 → 8", seconds: seconds, work: 256, unit: "samples/s")
}

let resultsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("results")
try FileManager.default.createDirectory(at: resultsDirectory, withIntermediateDirectories: true)
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
let output = resultsDirectory.appendingPathComponent("tensor_ops.json")
try encoder.encode(rows).write(to: output)
print("wrote \(output.path)")
