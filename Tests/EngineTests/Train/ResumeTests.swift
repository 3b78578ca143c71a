import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Checkpoints written by `fit` resume exactly where training left off.
final class ResumeTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws { directory = try TrainingFixtures.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// Trains the fixture MLP (dropout, batch norm, SGD with momentum and weight decay, a step
    /// schedule) up to `epochs`, optionally resuming; returns the model and the history.
    private func train(epochs: Int, initSeed: UInt64 = 7, checkpoint: String, resumeFrom: String? = nil,
                       restoreBest: Bool = false, adam: Bool = false) throws -> (Module, History) {
        let data = try TrainingFixtures.clusters(perClass: 15)
        let validation = try TrainingFixtures.clusters(perClass: 5, seed: 9)
        let model = try TrainingFixtures.mlp(seed: initSeed, dropout: 0.3)
        let optimizer: any Optimizer = adam
            ? try AdamW(parameters: model.parameters(), learningRate: 0.01, amsgrad: true)
            : try SGD(parameters: model.parameters(), learningRate: 0.05, momentum: 0.8, weightDecay: 1e-3)
        var options = TrainingFixtures.quiet(epochs: epochs, batchSize: 8)
        options.seed = 42
        options.scheduler = try StepLR(optimizer: optimizer, stepSize: 1, gamma: 0.7)
        options.restoreBest = restoreBest
        options.checkpoint = CheckpointPolicy(path: checkpoint, classNames: ["a", "b", "c"])
        let history = try fit(model, optimizer: optimizer, train: data, validation: validation, options: options,
                              resumeFrom: resumeFrom)
        return (model, history)
    }

    private func measured(_ history: History) -> [[Double?]] {
        history.epochs.map { [Double($0.epoch), $0.trainLoss, $0.trainAccuracy, $0.validationLoss, $0.validationAccuracy, $0.learningRate] }
    }

    func testTwoPlusTwoEpochsEqualFourStraightBitForBit() throws {
        let straightPath = directory + "/straight.safetensors", splitPath = directory + "/split.safetensors"
        let (straight, straightHistory) = try train(epochs: 4, checkpoint: straightPath)
        let (_, firstHalf) = try train(epochs: 2, checkpoint: splitPath)
        XCTAssertEqual(firstHalf.epochs.count, 2)
        XCTAssertEqual(try Checkpoint.read(path: splitPath).epoch, 2)
        // A differently initialised model: everything must come from the checkpoint.
        let (resumed, resumedHistory) = try train(epochs: 4, initSeed: 99, checkpoint: splitPath, resumeFrom: splitPath)
        XCTAssertEqual(resumed.stateDict(), straight.stateDict(), "weights and batch-norm statistics identical")
        XCTAssertEqual(measured(resumedHistory), measured(straightHistory))
        let saved = try Checkpoint.read(path: splitPath)
        XCTAssertEqual(saved.epoch, 4)
        XCTAssertEqual(saved.classNames, ["a", "b", "c"])
        XCTAssertEqual(saved.weights, straight.stateDict())
        XCTAssertEqual(try Checkpoint.read(path: straightPath).optimizerState, saved.optimizerState)
    }

    func testAdamStateResumesExactlyToo() throws {
        let (straight, _) = try train(epochs: 3, checkpoint: directory + "/a.safetensors", adam: true)
        _ = try train(epochs: 1, checkpoint: directory + "/b.safetensors", adam: true)
        let path = directory + "/b.safetensors"
        let (resumed, _) = try train(epochs: 3, initSeed: 1, checkpoint: path, resumeFrom: path, adam: true)
        XCTAssertEqual(resumed.stateDict(), straight.stateDict())
    }

    func testBestWeightsSurviveAResume() throws {
        let path = directory + "/best.safetensors"
        let (straight, straightHistory) = try train(epochs: 5, checkpoint: directory + "/straight.safetensors", restoreBest: true)
        _ = try train(epochs: 3, checkpoint: path, restoreBest: true)
        let (resumed, resumedHistory) = try train(epochs: 5, initSeed: 5, checkpoint: path, resumeFrom: path, restoreBest: true)
        XCTAssertEqual(resumedHistory.bestEpoch, straightHistory.bestEpoch)
        XCTAssertEqual(resumed.stateDict(), straight.stateDict())
    }

    func testAnInterruptedEpochIsNeverCheckpointed() throws {
        let path = directory + "/every2.safetensors"
        let data = try TrainingFixtures.clusters(perClass: 10)
        let model = try TrainingFixtures.mlp()
        var snapshots: [Int: [String: StoredTensor]] = [:]
        var batches = 0
        var options = TrainingFixtures.quiet(epochs: 6, batchSize: 10)
        options.checkpoint = CheckpointPolicy(path: path, every: 2)
        options.onEpochEnd = { record, model in snapshots[record.epoch] = model.stateDict() }
        options.loss = { logits, labels in
            batches += 1
            if batches == 11 { Interruption.request() }     // 3 batches per epoch: during epoch 4
            return try Loss.crossEntropy(logits, targets: labels)
        }
        let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1),
                              train: data, options: options)
        XCTAssertEqual(history.interruptedAt, InterruptionPoint(epoch: 4, batches: 2))
        let saved = try Checkpoint.read(path: path)
        XCTAssertEqual(saved.epoch, 2, "epoch 3 is not due and the cut-short epoch 4 is not saved")
        XCTAssertEqual(saved.weights, snapshots[2])
    }

    func testOnlyFitCheckpointsResume() throws {
        let path = directory + "/plain.safetensors"
        let model = try TrainingFixtures.mlp()
        try Checkpoint(weights: model.stateDict(), epoch: 3).write(path: path)
        XCTAssertThrowsError(try train(epochs: 4, checkpoint: directory + "/x.safetensors", resumeFrom: path)) {
            XCTAssertTrue("\($0)".contains("only checkpoints written by fit"), "\($0)")
        }
        XCTAssertThrowsError(try train(epochs: 4, checkpoint: path, resumeFrom: directory + "/missing.safetensors")) {
            XCTAssertTrue("\($0)".contains("missing.safetensors"), "\($0)")
        }
    }
}
