import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// `evaluate` and `predict`: eval mode, batching, metrics checked against direct computation.
final class EvaluationTests: XCTestCase {
    func testEvaluateMatchesAWholeSetForwardPassInEvalMode() throws {
        let data = try TrainingFixtures.clusters(perClass: 7)
        let model = try TrainingFixtures.mlp()
        try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.05),
                train: data, options: TrainingFixtures.quiet(epochs: 2))
        XCTAssertTrue(model.isTraining)
        let result = try evaluate(model, on: data, classNames: ["x", "y", "z"], batchSize: 4)
        XCTAssertTrue(model.isTraining, "the previous mode is restored")

        // Independent reference: one forward pass over all examples in eval mode.
        model.eval()
        let logits = try GradMode.withDisabled { try model(data.features) }
        model.train()
        let expectedLoss = try Loss.crossEntropy(logits, targets: data.labels).item()
        let expectedProbabilities = try logits.softmax(dim: 1).values
        XCTAssertEqual(result.loss, Double(expectedLoss), accuracy: 1e-5)
        XCTAssertEqual(result.probabilities.flatMap { $0 }.count, expectedProbabilities.count)
        for (a, b) in zip(result.probabilities.flatMap { $0 }, expectedProbabilities) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let expectedPredictions = (0..<data.count).map { row -> Int in
            let p = Array(expectedProbabilities[(row * 3)..<(row * 3 + 3)])
            return p.firstIndex(of: p.max() ?? 0) ?? -1
        }
        XCTAssertEqual(result.predictions, expectedPredictions)
        XCTAssertEqual(result.accuracy, result.report.accuracy)
        XCTAssertEqual(result.report.classNames, ["x", "y", "z"])
        XCTAssertEqual(result.report.confusion.flatMap { $0 }.reduce(0, +), data.count)
        XCTAssertEqual(try XCTUnwrap(result.report.logLoss), Double(expectedLoss), accuracy: 1e-4)
        XCTAssertThrowsError(try evaluate(model, on: data, classNames: ["only", "two"]))
    }

    func testBreakdownsFollowMetadataRowsIntoTheClipTable() throws {
        // Four clips; six examples (two augmented copies of clip 0 and 3) pointing back at them.
        let clips = [Clip(path: "a.wav", emotion: .angry, speaker: "01", gender: .male, intensity: "normal", corpus: "T"),
                     Clip(path: "b.wav", emotion: .sad, speaker: "02", gender: .female, intensity: "strong", corpus: "T"),
                     Clip(path: "c.wav", emotion: .angry, speaker: "02", gender: .female, intensity: "strong", corpus: "T"),
                     Clip(path: "d.wav", emotion: .sad, speaker: "01", gender: .male, intensity: "normal", corpus: "T")]
        let table = try Dataset(clips: clips)
        let rows = [0, 0, 1, 2, 3, 3]
        let labels = rows.map { table.labels[$0] }
        // A fixed linear "model" that always answers class 0 (the first of the table's classes).
        let model = try Linear(1, 2)
        model.weight.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        model.bias?.withUnsafeMutableBufferPointer { $0[0] = 1; $0[1] = 0 }
        let data = try TensorDataset(features: Tensor.zeros([6, 1]), labels: labels, metadataRows: rows)
        let result = try evaluate(model, on: data, classNames: table.classNames)
        XCTAssertEqual(result.predictions, [0, 0, 0, 0, 0, 0])
        let byGender = try result.breakdown(by: .gender, in: table)
        let expectedCorrect = zip(rows, labels).filter { $0.1 == 0 }.map { table.value(.gender, at: $0.0) }
        for row in byGender.rows {
            XCTAssertEqual(row.correct, expectedCorrect.filter { $0 == row.value }.count, row.value)
            XCTAssertEqual(row.correct + row.wrong, rows.filter { table.value(.gender, at: $0) == row.value }.count)
        }
        let csv = try result.predictionsCSV(in: table)
        XCTAssertEqual(csv.split(separator: "\n").count, 7)
        XCTAssertTrue(csv.contains("a.wav"))
        let wrongTable = try Dataset(clips: Array(clips.prefix(2)))
        XCTAssertThrowsError(try result.breakdown(by: .gender, in: wrongTable)) {
            XCTAssertTrue("\($0)".contains("metadata row 2"), "\($0)")
        }
    }

    func testPredictBatchesAndReturnsProbabilities() throws {
        let data = try TrainingFixtures.clusters(perClass: 9)
        let model = try TrainingFixtures.mlp()
        let whole = try predict(model, data.features, batchSize: 1000)
        let pieces = try predict(model, data.features, batchSize: 5)
        XCTAssertEqual(whole.classes, pieces.classes)
        for (a, b) in zip(whole.probabilities.values, pieces.probabilities.values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        XCTAssertEqual(whole.probabilities.shape, [27, 3])
        XCTAssertNil(whole.attentionWeights)
        XCTAssertThrowsError(try predict(model, data.features, batchSize: 0))
    }
}

/// `predict` on a notebook attention model: batched attention weights and an unbatched example.
final class NotebookPredictTests: XCTestCase {
    func testAttentionWeightsAreGatheredAcrossBatches() throws {
        let model = try ParallelCNNAttentionLSTM(generator: RandomGenerator(seed: 3))
        let input = try Tensor.randn([3] + ParallelCNNAttentionLSTM.inputShape, generator: RandomGenerator(seed: 4))
        let prediction = try predict(model, input, batchSize: 2)
        XCTAssertEqual(prediction.logits.shape, [3, 8])
        let weights = try XCTUnwrap(prediction.attentionWeights)
        XCTAssertEqual(weights.shape, [3, 1, 140])
        for row in 0..<3 {
            XCTAssertEqual(weights.values[(row * 140)..<((row + 1) * 140)].reduce(0, +), 1, accuracy: 1e-4)
        }
        let single = try predict(model, try input.select(dim: 0, index: 1))
        XCTAssertEqual(single.classes, [prediction.classes[1]])
        for (a, b) in zip(single.probabilities.values, prediction.probabilities.values[8..<16]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertTrue(model.isTraining, "mode restored")
    }
}
