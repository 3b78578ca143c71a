import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

private func assertClose(_ actual: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, file: file, line: line)
    for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-12, file: file, line: line) }
}

final class ClassificationReportTests: XCTestCase {
    func testHandComputedThreeClassCase() throws {
        // confusion rows (true): [1 1 0], [0 2 0], [2 0 0]; class 2 is never predicted.
        let report = try ClassificationReport(labels: [0, 0, 1, 1, 2, 2], predictions: [0, 1, 1, 1, 0, 0],
                                              classNames: ["a", "b", "c"])
        XCTAssertEqual(report.confusion, [[1, 1, 0], [0, 2, 0], [2, 0, 0]])
        XCTAssertEqual(report.accuracy, 0.5, accuracy: 1e-12)
        assertClose(report.perClass.map(\.precision), [1.0 / 3, 2.0 / 3, 0])
        assertClose(report.perClass.map(\.recall), [0.5, 1, 0])
        assertClose(report.perClass.map(\.f1), [0.4, 0.8, 0])
        XCTAssertEqual(report.perClass.map(\.support), [2, 2, 2])
        XCTAssertEqual(report.unweightedAverageRecall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.macroF1, 0.4, accuracy: 1e-12)
        XCTAssertEqual(report.normalizedConfusion[0], [0.5, 0.5, 0])
        XCTAssertEqual(report.normalizedConfusion[2], [1, 0, 0])
        XCTAssertNil(report.logLoss)
        XCTAssertTrue(report.table.contains("accuracy 0.5000  UAR 0.5000  macro F1 0.4000"), report.table)
        XCTAssertTrue(report.confusionTable.contains("c                 2  0  0"), report.confusionTable)
    }

    func testClassesWithoutSupportFollowSklearn() throws {
        // Class 2 is predicted once but never true; class 3 appears nowhere.
        let report = try ClassificationReport(labels: [0, 0, 1], predictions: [0, 2, 1], classNames: ["a", "b", "c", "d"],
                                              probabilities: [[0.5, 0.25, 0.25, 0], [0.2, 0.2, 0.6, 0], [0, 1, 0, 0]])
        XCTAssertEqual(report.accuracy, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(report.unweightedAverageRecall, 0.75, accuracy: 1e-12, "mean recall over classes with support")
        XCTAssertEqual(report.macroF1, (2.0 / 3 + 1 + 0) / 3, accuracy: 1e-12, "mean F1 over labels ∪ predictions")
        XCTAssertEqual(report.normalizedConfusion[3], [0, 0, 0, 0])
        XCTAssertEqual(try XCTUnwrap(report.logLoss), -(log(0.5) + log(0.2) + log(1 - 1e-15)) / 3, accuracy: 1e-7)
        let json = report.json.encoded()
        XCTAssertTrue(json.contains("\"confusion\":[[1,0,1,0],[0,1,0,0],[0,0,0,0],[0,0,0,0]]"), json)
    }

    func testBadInputIsNamed() {
        XCTAssertThrowsMessage(try ClassificationReport(labels: [0, 1], predictions: [0], classNames: ["a", "b"]),
                               contains: ["2 labels", "1 predictions"])
        XCTAssertThrowsMessage(try ClassificationReport(labels: [0, 5], predictions: [0, 1], classNames: ["a", "b"]),
                               contains: ["label 5", "clip 1"])
        XCTAssertThrowsMessage(try ClassificationReport(labels: [0], predictions: [0], classNames: ["a", "b"],
                                                        probabilities: [[1]]), contains: ["row 0", "1 values"])
    }

    func testCorrectnessByIntensityAndGender() throws {
        let dataset = try syntheticDataset(speakers: 2, perClass: [.happy: 2, .sad: 2])
        // rows: s1 happy normal, happy strong, sad normal, sad strong; s2 the same.
        let predictions = [0, 1, 1, 1, 0, 0, 0, 0]
        let intensity = try CorrectnessBreakdown(dataset, by: .intensity, predictions: predictions)
        XCTAssertEqual(intensity.rows, [.init(value: "normal", correct: 3, wrong: 1), .init(value: "strong", correct: 2, wrong: 2)])
        let gender = try CorrectnessBreakdown(dataset, by: .gender, predictions: predictions)
        XCTAssertEqual(gender.rows.map(\.value), ["female", "male"])
        XCTAssertEqual(gender.rows.map(\.correct), [2, 3])
        XCTAssertTrue(intensity.description.contains("normal           3      1     75.0%"), intensity.description)

        let csv = try predictionsCSV(dataset, predictions: predictions, probabilities: Array(repeating: [0.25, 0.75], count: 8))
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 9)
        XCTAssertEqual(lines[0], "path,speaker,gender,intensity,corpus,true,predicted,correct,p_happy,p_sad")
        XCTAssertEqual(lines[2], "s1/happy-1.wav,SYN/01,male,strong,SYN,happy,sad,0,0.25,0.75")
        XCTAssertThrowsMessage(try predictionsCSV(dataset, predictions: [0]), contains: ["1 predictions", "8 clips"])
    }

    /// Macro F1 sums per-class scores in class order: a Set's order changes from process to process,
    /// and a float sum in another order can differ in its last bit, which broke `serscript rerun`.
    func testMacroF1SumsInClassOrderSoEveryProcessAgrees() throws {
        var generator = SplitMix64(seed: 20_261_202)   // seeded: a failure reproduces
        var differsFromSetOrder = 0
        for _ in 0..<200 {
            let labels = (0..<60).map { _ in Int.random(in: 0..<8, using: &generator) }
            let predictions = labels.map { Int.random(in: 0..<3, using: &generator) == 0 ? Int.random(in: 0..<8, using: &generator) : $0 }
            let report = try ClassificationReport(labels: labels, predictions: predictions, classNames: (0..<8).map { "c\($0)" })
            let seen = Set(labels).union(predictions)
            let inClassOrder = seen.sorted().map { report.perClass[$0].f1 }.reduce(0, +) / Double(seen.count)
            XCTAssertEqual(report.macroF1, inClassOrder)
            if seen.map({ report.perClass[$0].f1 }).reduce(0, +) / Double(seen.count) != inClassOrder { differsFromSetOrder += 1 }
        }
        XCTAssertGreaterThan(differsFromSetOrder, 0, "the cases should include sums whose order matters")
    }
}
