import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// `fit`: learning, progress output, early stopping, best restore, schedules, interruption.
final class FitTests: XCTestCase {
    override func tearDown() {
        Interruption.clear()
        super.tearDown()
    }

    func testSmallMLPLearnsSeparableClustersCompletely() throws {
        let train = try TrainingFixtures.clusters(perClass: 40, seed: 1)
        let validation = try TrainingFixtures.clusters(perClass: 20, seed: 2)
        let model = try TrainingFixtures.mlp()
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.05, momentum: 0.8)
        let history = try fit(model, optimizer: optimizer, train: train, validation: validation,
                              options: TrainingFixtures.quiet(epochs: 15))
        XCTAssertEqual(history.epochs.map(\.epoch), Array(1...15))
        XCTAssertEqual(history.stopReason, .completed)
        let first = try XCTUnwrap(history.epochs.first), last = try XCTUnwrap(history.epochs.last)
        XCTAssertLessThan(last.trainLoss, first.trainLoss / 5)
        XCTAssertGreaterThanOrEqual(last.trainAccuracy, 0.99)
        XCTAssertEqual(try XCTUnwrap(last.validationAccuracy), 1.0)
        XCTAssertTrue(model.isTraining, "fit leaves the model as it trained")
        let result = try evaluate(model, on: validation, classNames: ["a", "b", "c"])
        XCTAssertEqual(result.accuracy, 1.0)
        XCTAssertEqual(result.loss, try XCTUnwrap(last.validationLoss), accuracy: 1e-6,
                       "the last epoch's validation loss is measured on the final weights")
    }

    func testPlainLinesWithoutATerminalAndALiveBarWithOne() throws {
        let data = try TrainingFixtures.clusters(perClass: 10)
        for terminal in [false, true] {
            let captured = CapturedOutput()
            var options = FitOptions(epochs: 3, batchSize: 4)
            options.output = captured.output(isTerminal: terminal)
            let model = try TrainingFixtures.mlp()
            try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
                    train: data, validation: data, options: options)
            let lines = captured.text.split(separator: "\n", omittingEmptySubsequences: false)
            if terminal {
                XCTAssertTrue(captured.text.contains("\r"), "a terminal gets carriage-return updates")
                XCTAssertTrue(captured.text.contains("samples/s  ETA"))
                XCTAssertTrue(captured.text.contains("] 8/8"), "the bar counts batches")
            } else {
                XCTAssertFalse(captured.text.contains("\r"), "no carriage returns in a pipe")
                XCTAssertEqual(lines.count, 4, "one line per epoch and a final newline")
                for (index, line) in lines.dropLast().enumerated() {
                    XCTAssertTrue(line.hasPrefix("Epoch \(index + 1)/3  train loss "), String(line))
                    XCTAssertTrue(line.contains("val loss"), String(line))
                    // The rate is stored in float; print it as set, not with float noise.
                    XCTAssertTrue(line.contains("  lr 0.01  "), String(line))
                }
                XCTAssertEqual(lines.last, "")
            }
        }
    }

    func testEarlyStoppingTrackerOnACraftedSequence() throws {
        let stopping = try EarlyStopping(patience: 2)
        var tracker = ImprovementTracker(lowerIsBetter: true)
        let losses = [1.0, 0.9, 0.95, 0.85, 0.86, 0.85, 0.84]
        var stoppedAt: Int?
        for (index, value) in losses.enumerated() {
            tracker.record(value, epoch: index + 1)
            if tracker.shouldStop(stopping) { stoppedAt = index + 1; break }
        }
        // 0.95 is one bad epoch, then 0.85 (epoch 4) resets the count; 0.86 and an equal 0.85 are
        // not improvements → stop after epoch 6, before 0.84 is ever seen.
        XCTAssertEqual(stoppedAt, 6)
        XCTAssertEqual(tracker.bestEpoch, 4)

        var accuracy = ImprovementTracker(lowerIsBetter: false, minDelta: 0.02)
        for (index, value) in [0.50, 0.60, 0.61, 0.615, 0.70].enumerated() { accuracy.record(value, epoch: index + 1) }
        XCTAssertEqual(accuracy.bestEpoch, 5)
        var plateau = ImprovementTracker(lowerIsBetter: false, minDelta: 0.02)
        for (index, value) in [0.50, 0.60, 0.61, 0.615].enumerated() { plateau.record(value, epoch: index + 1) }
        XCTAssertEqual(plateau.bestEpoch, 2, "gains below min delta do not count")
        XCTAssertTrue(plateau.shouldStop(stopping))
        XCTAssertThrowsError(try EarlyStopping(patience: -1))
    }

    func testFitStopsWhenTheMonitoredValueNeverImproves() throws {
        // With no trainable parameters handed to the optimizer the model never changes, so the
        // validation loss is the same every epoch: best at epoch 1, stop after epoch 1 + patience.
        let data = try TrainingFixtures.clusters(perClass: 5)
        let model = try TrainingFixtures.mlp()
        var options = TrainingFixtures.quiet(epochs: 20)
        options.earlyStopping = try EarlyStopping(patience: 3)
        let history = try fit(model, optimizer: try SGD(parameters: [], learningRate: 0.1), train: data,
                              validation: data, options: options)
        XCTAssertEqual(history.epochs.count, 4)
        XCTAssertEqual(history.stopReason, .stoppedEarly)
        XCTAssertTrue(history.stoppedEarly)
        XCTAssertEqual(history.bestEpoch, 1)
    }

    func testPlateauScheduleIsFedTheMonitoredValue() throws {
        let data = try TrainingFixtures.clusters(perClass: 5)
        let model = try TrainingFixtures.mlp()
        let optimizer = try SGD(parameters: [], learningRate: 0.1)
        var options = TrainingFixtures.quiet(epochs: 6)
        options.scheduler = try ReduceLROnPlateau(optimizer: optimizer, factor: 0.5, patience: 1)
        let history = try fit(model, optimizer: optimizer, train: data, validation: data, options: options)
        // Constant loss: bad epochs 2 and 3 → halved after epoch 3; again after epoch 5.
        XCTAssertEqual(history.epochs.map(\.learningRate), [0.1, 0.1, 0.1, 0.05, 0.05, 0.025].map { Double(Float($0)) })
    }

    func testBestWeightsAreRestored() throws {
        // Validation labels are shifted by one class, so the better the model learns the training
        // clusters, the worse its validation loss: the best epoch is an early one.
        let train = try TrainingFixtures.clusters(perClass: 20)
        let validation = try TensorDataset(features: train.features, labels: train.labels.map { ($0 + 1) % 3 })
        let model = try TrainingFixtures.mlp()
        var snapshots: [Int: [String: StoredTensor]] = [:]
        var options = TrainingFixtures.quiet(epochs: 6)
        options.restoreBest = true
        options.onEpochEnd = { record, model in snapshots[record.epoch] = model.stateDict() }
        let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.5),
                              train: train, validation: validation, options: options)
        let losses = history.epochs.compactMap(\.validationLoss)
        let best = try XCTUnwrap(history.bestEpoch)
        XCTAssertEqual(losses[best - 1], losses.min())
        XCTAssertLessThan(best, 6, "the crafted validation set makes an early epoch best")
        XCTAssertEqual(model.stateDict(), snapshots[best])
        XCTAssertNotEqual(model.stateDict(), snapshots[6])
    }

    func testInterruptionStopsAfterTheRunningBatchAndKeepsTheModel() throws {
        let data = try TrainingFixtures.clusters(perClass: 20)
        let model = try TrainingFixtures.mlp()
        let before = model.stateDict()
        var batches = 0
        var options = TrainingFixtures.quiet(epochs: 5, batchSize: 10)
        options.loss = { logits, labels in
            batches += 1
            if batches == 9 { Interruption.request() }   // as Ctrl-C during the 3rd batch of epoch 2
            return try Loss.crossEntropy(logits, targets: labels)
        }
        let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1),
                              train: data, options: options)
        XCTAssertEqual(batches, 9, "no batch runs after the request")
        XCTAssertEqual(history.stopReason, .interrupted)
        XCTAssertEqual(history.interruptedAt, InterruptionPoint(epoch: 2, batches: 3))
        XCTAssertEqual(history.epochs.count, 1, "the cut-short epoch is not recorded")
        XCTAssertFalse(Interruption.isRequested, "fit consumes the request")
        XCTAssertNotEqual(model.stateDict(), before, "the applied steps are kept")
        let prediction = try predict(model, data.features)
        XCTAssertEqual(prediction.classes.count, data.count)
    }

    func testBadOptionsAreReported() throws {
        let data = try TrainingFixtures.clusters(perClass: 2)
        let model = try TrainingFixtures.mlp()
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1)
        var options = TrainingFixtures.quiet(epochs: 2)
        options.monitor = .validationAccuracy
        XCTAssertThrowsError(try fit(model, optimizer: optimizer, train: data, options: options)) {
            XCTAssertTrue("\($0)".contains("val_acc needs validation data"), "\($0)")
        }
        let other = try TensorDataset(features: Tensor.zeros([2, 5]), labels: [0, 1])
        XCTAssertThrowsError(try fit(model, optimizer: optimizer, train: data, validation: other,
                                     options: TrainingFixtures.quiet(epochs: 1))) {
            XCTAssertTrue("\($0)".contains("[5]"), "\($0)")
        }
        XCTAssertThrowsError(try fit(model, optimizer: optimizer, train: data, options: TrainingFixtures.quiet(epochs: 0)))
    }

    func testHistoryFeedsTheRunFolderAndCharts() throws {
        let root = try TrainingFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try RunFolder(root: root, name: "fit")
        let data = try TrainingFixtures.clusters(perClass: 5)
        let model = try TrainingFixtures.mlp()
        var options = TrainingFixtures.quiet(epochs: 3)
        options.runFolder = run
        let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1),
                              train: data, validation: data, options: options)
        let csv = try String(contentsOfFile: run.file("history.csv"), encoding: .utf8)
        XCTAssertEqual(csv, history.csv)
        XCTAssertTrue(csv.hasPrefix("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,samples_per_s\n"))
        XCTAssertEqual(csv.split(separator: "\n").count, 4)
        XCTAssertTrue(try history.lossChart.svg().contains("validation"))
        XCTAssertEqual(history.accuracyChart.series.map(\.y.count), [3, 3])
    }
}
