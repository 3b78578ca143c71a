import Engine
import Foundation

/// Training and inference throughput of one notebook model at batch `batch`.
struct ModelThroughput: Codable {
    var inputShape: [Int]
    var trainSamplesPerSecond: Double
    var inferSamplesPerSecond: Double
    var trainBatchSeconds: [Double]
    var inferBatchSeconds: [Double]
    /// Process CPU time (both cores) of each batch: less disturbed by a busy machine than wall time.
    var trainBatchCPUSeconds: [Double]
    var inferBatchCPUSeconds: [Double]

    /// Wall time of each of `repeats` runs of `step` after `warmup` untimed ones.
    static func timed(warmup: Int, repeats: Int, _ step: () throws -> Void) rethrows -> [Double] {
        try timedWithCPU(warmup: warmup, repeats: repeats, step).wall
    }

    /// Wall and process CPU time of each of `repeats` runs of `step` after `warmup` untimed ones.
    static func timedWithCPU(warmup: Int, repeats: Int, _ step: () throws -> Void) rethrows -> (wall: [Double], cpu: [Double]) {
        for _ in 0..<warmup { try step() }
        var wall: [Double] = [], cpu: [Double] = []
        for _ in 0..<repeats {
            let (cpuStart, start) = (processCPUSeconds(), DispatchTime.now().uptimeNanoseconds)
            try step()
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpu.append(processCPUSeconds() - cpuStart)
        }
        return (wall, cpu)
    }

    /// User plus system CPU seconds of the whole process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    /// Measures `model` as the PyTorch peer does: training = forward, cross-entropy, backward, SGD step
    /// (lr 0.01, momentum 0.8, weight decay 1e-3), zero-grad; inference = eval-mode forward without a graph.
    static func measure(_ model: Module, sampleShape: [Int], batch: Int, warmup: Int, repeats: Int) throws -> ModelThroughput {
        let generator = RandomGenerator(seed: 42)
        let input = try Tensor.randn([batch] + sampleShape, generator: generator)
        let labels = (0..<batch).map { _ in generator.int(below: 8) }
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3)
        model.train()
        let train = try timedWithCPU(warmup: warmup, repeats: repeats) {
            let loss = try Loss.crossEntropy(model(input), targets: labels)
            try loss.backward()
            try optimizer.step()
            optimizer.zeroGrad()
        }
        model.eval()
        let infer = try timedWithCPU(warmup: warmup, repeats: repeats) {
            _ = try GradMode.withDisabled { try model(input) }
        }
        return ModelThroughput(inputShape: [batch] + sampleShape,
                               trainSamplesPerSecond: Double(batch) / median(train.wall),
                               inferSamplesPerSecond: Double(batch) / median(infer.wall),
                               trainBatchSeconds: train.wall, inferBatchSeconds: infer.wall,
                               trainBatchCPUSeconds: train.cpu, inferBatchCPUSeconds: infer.cpu)
    }
}
