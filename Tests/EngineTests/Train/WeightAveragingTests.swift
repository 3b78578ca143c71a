import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// EMA and SWA: averages of known weight sequences, batch-norm recomputation, PyTorch's
/// `AveragedModel` / `update_bn`, and `fit` with either against a replay of the same training
/// without averaging.
final class WeightAveragingTests: XCTestCase {
    private func setWeights(_ model: Module, _ value: Float) throws {
        let parameters = Set(model.namedParameters().map(\.name))
        let state = model.stateDict().filter { parameters.contains($0.key) }
        try model.loadStateDict(state.mapValues { StoredTensor(shape: $0.shape, values: $0.values.indices.map { value + Float($0) }) },
                                strict: false)
    }

    func testEMAAndMeanOfAKnownSequence() throws {
        let model = Sequential([try Linear(2, 3), try BatchNorm1d(3)])
        let buffersBefore = model.namedBuffers().map(\.tensor.values)
        let ema = try AveragedModel(.ema(decay: 0.9)), mean = try AveragedModel(.mean)
        for value: Float in [1, 5, -2] {
            try setWeights(model, value)
            ema.update(from: model)
            mean.update(from: model)
        }
        XCTAssertEqual(ema.count, 3)
        let emaOffset = 0.9 * (0.9 * 1 + 0.1 * 5) + 0.1 * -2   // the first update copies
        let meanOffset: Float = (1 + 5 - 2) / 3.0
        for (key, stored) in ema.parameters {
            for (i, v) in stored.values.enumerated() { XCTAssertEqual(v, Float(emaOffset) + Float(i), accuracy: 1e-5, key) }
        }
        try mean.copy(into: model)
        for (key, tensor) in model.namedParameters() {
            for (i, v) in tensor.values.enumerated() { XCTAssertEqual(v, meanOffset + Float(i), accuracy: 1e-5, key) }
        }
        XCTAssertEqual(model.namedBuffers().map(\.tensor.values), buffersBefore, "buffers are not averaged")
        XCTAssertThrowsError(try AveragedModel(.ema(decay: 1.5)))
        XCTAssertThrowsError(try AveragedModel(.mean).copy(into: model))
    }

    func testUpdateBatchNormIsThePlainMeanOverBatches() throws {
        let norm = try BatchNorm1d(2, momentum: 0.3)
        let model = Sequential([norm])
        model.eval()
        let values: [Float] = [1, 10, 2, 12, 4, 9, 3, 15, 8, 11, -1, 13, 0, 8, 6, 20, 5, 7, 2, 9]
        let data = try TensorDataset(features: try Tensor(shape: [10, 2], values: values), labels: Array(repeating: 0, count: 10))
        try model.updateBatchNorm(data, batchSize: 4)
        var means = [[Double]](), variances = [[Double]]()
        for (start, end) in [(0, 4), (4, 8), (8, 10)] {
            var m = [Double](), v = [Double]()
            for c in 0..<2 {
                let column = (start..<end).map { Double(values[$0 * 2 + c]) }
                let mu = column.reduce(0, +) / Double(column.count)
                m.append(mu)
                v.append(column.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(column.count - 1))
            }
            means.append(m)
            variances.append(v)
        }
        for c in 0..<2 {
            XCTAssertEqual(Double(norm.runningMean.values[c]), means.map { $0[c] }.reduce(0, +) / 3, accuracy: 1e-4)
            XCTAssertEqual(Double(norm.runningVar.values[c]), variances.map { $0[c] }.reduce(0, +) / 3, accuracy: 1e-3)
        }
        XCTAssertEqual(norm.numBatchesTracked.values, [3])
        XCTAssertEqual(norm.momentum, 0.3, "momentum restored")
        XCTAssertFalse(model.isTraining, "mode restored")
    }

    /// Parameter snapshots after every epoch of a run with one step per epoch.
    private func trainedSnapshots(epochs: Int, averaging: WeightAveraging?) throws -> (snapshots: [[String: StoredTensor]], model: Module, history: History) {
        let data = try TrainingFixtures.clusters(perClass: 8)
        let model = try TrainingFixtures.mlp()
        var options = TrainingFixtures.quiet(epochs: epochs, batchSize: data.count)
        options.seed = 3
        options.averaging = averaging
        var snapshots: [[String: StoredTensor]] = []
        options.onEpochEnd = { _, model in snapshots.append(model.stateDict()) }
        let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.5),
                              train: data, validation: data, options: options)
        return (snapshots, model, history)
    }

    func testFitWithEMAReturnsTheClosedFormAverageOfTheTrainedWeights() throws {
        let plain = try trainedSnapshots(epochs: 3, averaging: nil).snapshots
        let averaged = try trainedSnapshots(epochs: 3, averaging: .ema(decay: 0.8))
        let final = averaged.model.stateDict()
        for (key, _) in averaged.model.namedParameters() {
            let w = plain.map { $0[key]!.values }
            for i in w[0].indices {
                let expected = 0.8 * (0.8 * w[0][i] + 0.2 * w[1][i]) + 0.2 * w[2][i]
                XCTAssertEqual(final[key]!.values[i], expected, accuracy: 1e-5, "\(key)[\(i)]")
            }
            XCTAssertEqual(averaged.snapshots[0][key], plain[0][key], "after one step the average is the weights")
        }
        for (key, _) in averaged.model.namedBuffers() {
            XCTAssertEqual(final[key], plain[2][key], "buffers are the trained model's own")
        }
    }

    func testFitWithSWAAveragesTheLastEpochsAndRecomputesBatchNorm() throws {
        let plain = try trainedSnapshots(epochs: 4, averaging: nil)
        let swa = try trainedSnapshots(epochs: 4, averaging: .swa(SWASettings(start: 3)))
        XCTAssertEqual(swa.snapshots[3], plain.snapshots[3], "SWA without its own rate does not change training")
        let reference = try TrainingFixtures.mlp()
        var mean = plain.snapshots[3]
        for (key, _) in reference.namedParameters() {
            mean[key]!.values = zip(plain.snapshots[2][key]!.values, plain.snapshots[3][key]!.values).map { ($0 + $1) / 2 }
        }
        try reference.loadStateDict(mean)
        try reference.updateBatchNorm(try TrainingFixtures.clusters(perClass: 8), batchSize: 24)
        let final = swa.model.stateDict(), expected = reference.stateDict()
        for (key, value) in expected {
            for i in value.values.indices { XCTAssertEqual(final[key]!.values[i], value.values[i], accuracy: 1e-5, "\(key)[\(i)]") }
        }
        XCTAssertNotEqual(final["1.running_mean"], plain.snapshots[3]["1.running_mean"], "batch-norm statistics recomputed")
    }

    func testSWALearningRateAnnealsThenHolds() throws {
        let data = try TrainingFixtures.clusters(perClass: 8)
        let model = try TrainingFixtures.mlp()
        var options = TrainingFixtures.quiet(epochs: 5, batchSize: 8)
        options.averaging = .swa(SWASettings(start: 3, learningRate: 0.01, annealEpochs: 2))
        let sgd = try SGD(parameters: model.parameters(), learningRate: 0.1)
        options.scheduler = try StepLR(optimizer: sgd, stepSize: 1, gamma: 0.5)
        let history = try fit(model, optimizer: sgd, train: data, options: options)
        // Epochs 1–2 follow StepLR (0.1, 0.05); from epoch 3 SWA moves from 0.025 to 0.01 in two epochs (cosine).
        let halfway = 0.01 + (0.025 - 0.01) / 2 * (1 + cos(Double.pi / 2))
        for (record, expected) in zip(history.epochs, [0.1, 0.05, halfway, 0.01, 0.01]) {
            XCTAssertEqual(record.learningRate, expected, accuracy: 1e-8, "epoch \(record.epoch)")
        }
    }

    func testAveragingRefusesWhatItCannotHonour() throws {
        let data = try TrainingFixtures.clusters(perClass: 4)
        let model = try TrainingFixtures.mlp()
        let sgd = try SGD(parameters: model.parameters(), learningRate: 0.1)
        var options = TrainingFixtures.quiet(epochs: 2)
        options.averaging = .swa(SWASettings(start: 3))
        XCTAssertThrowsError(try fit(model, optimizer: sgd, train: data, options: options))
        options.averaging = .swa(SWASettings(start: 1))
        options.restoreBest = true
        XCTAssertThrowsError(try fit(model, optimizer: sgd, train: data, options: options))
        let directory = try TrainingFixtures.temporaryDirectory()
        options.restoreBest = false
        options.averaging = nil
        options.checkpoint = CheckpointPolicy(path: directory + "/c.safetensors")
        try fit(model, optimizer: sgd, train: data, options: options)
        options.averaging = .ema(decay: 0.9)
        options.epochs = 3
        XCTAssertThrowsError(try fit(model, optimizer: sgd, train: data, options: options, resumeFrom: directory + "/c.safetensors"))
    }

    /// PyTorch's `AveragedModel` (EMA and SWA) and `update_bn` (`Tests/Fixtures/torch/weight_averaging.safetensors`).
    func testMatchesPyTorchAveragedModelAndUpdateBN() throws {
        let fixture = try TorchFixture("weight_averaging")
        let model = try Linear(3, 2)
        let ema = try AveragedModel(.ema(decay: 0.9)), swa = try AveragedModel(.mean)
        for k in 1...4 {
            try model.loadStateDict(["weight": try fixture.tensor("snapshot\(k).weight").stored,
                                     "bias": try fixture.tensor("snapshot\(k).bias").stored])
            ema.update(from: model)
            swa.update(from: model)
        }
        for (label, average) in [("ema", ema), ("swa", swa)] {
            for name in ["weight", "bias"] {
                assertMatchesReference(try Tensor(try XCTUnwrap(average.parameters[name])), try fixture.tensor("\(label).\(name)"),
                                       "\(label) \(name)")
            }
        }
        let norm = try BatchNorm1d(3, momentum: 0.3)
        let input = try fixture.tensor("bn.input")
        try Sequential([norm]).updateBatchNorm(try TensorDataset(features: input, labels: Array(repeating: 0, count: 10)), batchSize: 4)
        assertMatchesReference(norm.runningMean, try fixture.tensor("bn.running_mean"), "running_mean")
        assertMatchesReference(norm.runningVar, try fixture.tensor("bn.running_var"), "running_var")
        XCTAssertEqual(norm.numBatchesTracked.values, try fixture.tensor("bn.num_batches_tracked").values)
    }
}
