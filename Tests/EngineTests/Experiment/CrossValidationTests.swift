import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Aggregation of cross-validation scores: mean, sample standard deviation, tables and the plot.
final class CrossValidationTests: XCTestCase {
    private let result = CrossValidationResult(protocolName: "test folds", scores: [
        FoldScore(fold: "fold 1 (01)", seed: 1, accuracy: 0.5, uar: 0.4, macroF1: 0.3, testCount: 10, seconds: 2),
        FoldScore(fold: "fold 2 (02)", seed: 1, accuracy: 0.7, uar: 0.6, macroF1: 0.5, testCount: 12, seconds: 3),
        FoldScore(fold: "fold 1 (01)", seed: 2, accuracy: 0.6, uar: 0.5, macroF1: 0.45, testCount: 10, seconds: 2.5),
    ])

    func testMeanAndSampleStandardDeviation() {
        XCTAssertEqual(result.mean(.accuracy), 0.6, accuracy: 1e-12)
        XCTAssertEqual(result.standardDeviation(.accuracy), 0.1, accuracy: 1e-12)   // deviations −0.1, 0.1, 0 → √(0.02/2)
        XCTAssertEqual(result.mean(.macroF1), 1.25 / 3, accuracy: 1e-12)
        XCTAssertEqual(CrossValidationResult(protocolName: "one", scores: [result.scores[0]]).standardDeviation(.uar), 0)
        XCTAssertEqual(result.runsDescription, "2 folds × 2 seeds = 3 runs")
    }

    func testTableCSVMarkdownAndPlot() throws {
        XCTAssertTrue(result.table.contains("60.00 ± 10.00"), result.table)
        let csv = result.csv.split(separator: "\n")
        XCTAssertEqual(csv.first, "fold,seed,accuracy,uar,macro_f1,test_clips,seconds")
        XCTAssertEqual(csv.count, 6)
        XCTAssertEqual(csv[4], "mean,,0.6,0.5,\(CSV.number(1.25 / 3)),,")
        XCTAssertTrue(result.markdown.contains("| **mean ± std** |  | **60.00 ± 10.00** |"), result.markdown)
        let svg = try result.plot.svg()
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3 * 3 + 3, "a dot per run and metric, a legend dot per metric")
        XCTAssertTrue(svg.contains("fold 2 (02)"))
    }
}
