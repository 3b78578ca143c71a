import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Named speaker folds (EmoBox's RAVDESS folds on a corpus with only some actors) and group k-fold.
final class SpeakerFoldsTests: XCTestCase {
    private func assertFoldsPartition(_ folds: [Fold], _ dataset: Dataset, file: StaticString = #filePath, line: UInt = #line) {
        for fold in folds {
            XCTAssertTrue(Set(fold.train).isDisjoint(with: fold.test), fold.name, file: file, line: line)
            XCTAssertEqual(fold.train.count + fold.test.count, dataset.count, fold.name, file: file, line: line)
            let testSpeakers = Set(fold.test.map { dataset.clips[$0].speaker })
            let trainSpeakers = Set(fold.train.map { dataset.clips[$0].speaker })
            XCTAssertTrue(testSpeakers.isDisjoint(with: trainSpeakers), "\(fold.name): speaker-independent", file: file, line: line)
        }
    }

    func testEmoBoxFoldsOnEightActorsUseThePresentOnesAndSayWhatIsMissing() throws {
        let dataset = try syntheticDataset(speakers: 8, perClass: [.happy: 2, .sad: 2])
        let plan = try Splits.speakerFolds(dataset, groups: Splits.emoboxRAVDESS)
        XCTAssertEqual(plan.folds.map(\.name), ["fold 1 (01)", "fold 2 (04)", "fold 3 (08)", "fold 4 (03, 05, 07)",
                                                "fold 5 (02)", "fold 6 (06)"])
        XCTAssertEqual(plan.absent[0], ["11", "20", "21"])
        XCTAssertEqual(plan.absent[3], ["24"])
        XCTAssertEqual(plan.skipped, [])
        assertFoldsPartition(plan.folds, dataset)
        XCTAssertEqual(Set(plan.folds.flatMap(\.test)), Set(0..<dataset.count), "eight actors: every clip tested once")
        XCTAssertEqual(plan.folds[3].test.count, 3 * 4)

        let four = try syntheticDataset(speakers: 4, perClass: [.happy: 1])
        let partial = try Splits.speakerFolds(four, groups: Splits.emoboxRAVDESS)
        XCTAssertEqual(partial.skipped, [3, 6], "folds {08,09,19,23} and {06,13,17,22} have no actor among 01–04")
        XCTAssertEqual(partial.folds.count, 4)
        XCTAssertThrowsMessage(try Splits.speakerFolds(four, groups: [["30"], ["31"]]), contains: ["none of the speakers"])
        XCTAssertThrowsMessage(try Splits.speakerFolds(four, groups: [["01", "02"], ["02"]]), contains: ["fold 1", "fold 2"])
    }

    func testGroupKFoldHoldsOutTwoActorsPerFoldOnEight() throws {
        let dataset = try syntheticDataset(speakers: 8, perClass: [.happy: 2, .angry: 1])
        let folds = try Splits.groupKFold(dataset, k: 4, seed: 5)
        XCTAssertEqual(folds.count, 4)
        assertFoldsPartition(folds, dataset)
        for fold in folds { XCTAssertEqual(Set(fold.test.map { dataset.clips[$0].speaker }).count, 2, fold.name) }
        XCTAssertEqual(Set(folds.flatMap(\.test)).count, dataset.count)
        XCTAssertEqual(try Splits.groupKFold(dataset, k: 4, seed: 5), folds, "seeded")
        XCTAssertNotEqual(try Splits.groupKFold(dataset, k: 4, seed: 6).map(\.name), folds.map(\.name))
        XCTAssertThrowsMessage(try Splits.groupKFold(dataset, k: 9, seed: 1), contains: ["k = 9", "8 speakers"])
    }
}
