import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

final class SplitsTests: XCTestCase {
    private func assertPartition(_ parts: [[Int]], of count: Int, file: StaticString = #filePath, line: UInt = #line) {
        let all = parts.flatMap { $0 }
        XCTAssertEqual(all.count, count, "every clip in exactly one part", file: file, line: line)
        XCTAssertEqual(Set(all), Set(0..<count), file: file, line: line)
    }

    func testStratifiedFollowsTheNotebookFloorRule() throws {
        // RAVDESS-sized: 96 neutral, 192 of each other class → 1147 train clips, as in the notebooks.
        var perClass: [Emotion: Int] = [:]
        for emotion in Emotion.allCases.prefix(8) { perClass[emotion] = emotion == .neutral ? 4 : 8 }
        let dataset = try syntheticDataset(speakers: 24, perClass: perClass)
        XCTAssertEqual(dataset.count, 1440)
        let split = try Splits.stratified(dataset, seed: 7)
        assertPartition([split.train, split.validation, split.test], of: dataset.count)
        XCTAssertEqual(split.train.count, 1147)
        for label in dataset.classes.indices {
            let m = dataset.labels.filter { $0 == label }.count
            let count = { (rows: [Int]) in rows.filter { dataset.labels[$0] == label }.count }
            XCTAssertEqual(count(split.train), Int(0.8 * Double(m)))
            XCTAssertEqual(count(split.validation), Int(0.9 * Double(m)) - Int(0.8 * Double(m)))
            XCTAssertEqual(count(split.test), m - Int(0.9 * Double(m)))
        }
        XCTAssertEqual(try Splits.stratified(dataset, seed: 7), split, "same seed, same split")
        XCTAssertNotEqual(try Splits.stratified(dataset, seed: 8).test, split.test)
        XCTAssertThrowsMessage(try Splits.stratified(dataset, train: 0.9, validation: 0.2, seed: 1), contains: ["0.9", "0.2"])
    }

    func testSpeakerIndependentKeepsSpeakersApart() throws {
        let dataset = try syntheticDataset(speakers: 10, perClass: [.happy: 3, .sad: 2])
        let drawn = try Splits.speakerIndependent(dataset, validationCount: 2, testCount: 2, seed: 3)
        let named = try Splits.speakerIndependent(dataset, validationSpeakers: ["02"], testSpeakers: ["SYN/09", "10"])
        for split in [drawn, named] {
            assertPartition([split.train, split.validation, split.test], of: dataset.count)
            let speakers = [split.train, split.validation, split.test].map { Set($0.map { dataset.clips[$0].speaker }) }
            XCTAssertTrue(speakers[0].isDisjoint(with: speakers[1]))
            XCTAssertTrue(speakers[0].isDisjoint(with: speakers[2]))
            XCTAssertTrue(speakers[1].isDisjoint(with: speakers[2]))
        }
        XCTAssertEqual(Set(drawn.test.map { dataset.clips[$0].speaker }).count, 2)
        XCTAssertEqual(Set(named.test.map { dataset.clips[$0].speaker }), ["09", "10"])
        XCTAssertEqual(try Splits.speakerIndependent(dataset, validationCount: 2, testCount: 2, seed: 3), drawn)
        XCTAssertThrowsMessage(try Splits.speakerIndependent(dataset, validationSpeakers: [], testSpeakers: ["42"]),
                               contains: ["'42'"])
        XCTAssertThrowsMessage(try Splits.speakerIndependent(dataset, validationSpeakers: ["01"], testSpeakers: ["01"]),
                               contains: ["SYN/01", "both"])
        XCTAssertThrowsMessage(try Splits.speakerIndependent(dataset, validationCount: 5, testCount: 5, seed: 1),
                               contains: ["10 speakers"])
    }

    func testKFoldIsStratifiedAndCoversEveryClipOnce() throws {
        let dataset = try syntheticDataset(speakers: 3, perClass: [.angry: 5, .calm: 3, .sad: 1])
        let folds = try Splits.kFold(dataset, k: 4, seed: 11)
        XCTAssertEqual(folds.count, 4)
        assertPartition(folds.map(\.test), of: dataset.count)
        for fold in folds {
            assertPartition([fold.train, fold.test], of: dataset.count)
            for label in dataset.classes.indices {
                let m = dataset.labels.filter { $0 == label }.count
                let inFold = fold.test.filter { dataset.labels[$0] == label }.count
                XCTAssertTrue(inFold == m / 4 || inFold == m / 4 + 1, "class \(label): \(inFold) of \(m)")
            }
        }
        let sizes = folds.map(\.test.count)
        XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1)
        XCTAssertThrowsMessage(try Splits.kFold(dataset, k: 1, seed: 0), contains: ["k = 1"])
    }

    func testLeaveOneSpeakerOut() throws {
        let dataset = try syntheticDataset(speakers: 4, perClass: [.angry: 2, .happy: 1])
        let folds = try Splits.leaveOneSpeakerOut(dataset)
        XCTAssertEqual(folds.map(\.name), ["SYN/01", "SYN/02", "SYN/03", "SYN/04"])
        for fold in folds {
            assertPartition([fold.train, fold.test], of: dataset.count)
            XCTAssertEqual(Set(fold.test.map { dataset.clips[$0].speakerKey }), [fold.name])
            XCTAssertFalse(fold.train.contains { dataset.clips[$0].speakerKey == fold.name })
        }
        let unknown = try Dataset(clips: [Clip(path: "x.wav", emotion: .sad, speaker: "unknown", gender: .unknown, corpus: "folders")])
        XCTAssertThrowsMessage(try Splits.leaveOneSpeakerOut(unknown), contains: ["x.wav", "no known speaker"])
    }
}
