import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// A synthetic dataset: `speakers` speakers (odd numbers male), each with `perClass[e]` clips of emotion e.
func syntheticDataset(speakers: Int, perClass: [Emotion: Int]) throws -> Dataset {
    var clips: [Clip] = []
    for speaker in 1...speakers {
        for emotion in Emotion.allCases {
            for take in 0..<(perClass[emotion] ?? 0) {
                clips.append(Clip(path: "s\(speaker)/\(emotion.rawValue)-\(take).wav", emotion: emotion,
                                  speaker: String(format: "%02d", speaker), gender: speaker % 2 == 1 ? .male : .female,
                                  intensity: take % 2 == 0 ? "normal" : "strong", statement: "kids", corpus: "SYN"))
            }
        }
    }
    return try Dataset(clips: clips)
}

final class DatasetTests: XCTestCase {
    func testFilterCountSubsetAndSummary() throws {
        let dataset = try syntheticDataset(speakers: 2, perClass: [.neutral: 2, .happy: 3, .sad: 1])
        XCTAssertEqual(dataset.count, 12)
        XCTAssertEqual(dataset.counts(by: .emotion).map(\.count), [4, 6, 2])
        XCTAssertEqual(dataset.counts(by: .gender).map { "\($0.value)=\($0.count)" }, ["female=6", "male=6"])
        let male = dataset.filter(.gender, in: ["male"])
        XCTAssertEqual(male.count, 6)
        XCTAssertEqual(male.classes, dataset.classes, "filtering keeps the class numbering")
        let happy = dataset.filter { $0.emotion == .happy }
        XCTAssertEqual(Set(happy.labels), [1])
        XCTAssertEqual(happy.counts(by: .emotion).map(\.count), [0, 6, 0])
        let picked = try dataset.subset([11, 0])
        XCTAssertEqual(picked.clips, [dataset.clips[11], dataset.clips[0]])
        XCTAssertThrowsMessage(try dataset.subset([12]), contains: ["row 12", "12 clips"])

        let summary = dataset.summary()
        XCTAssertTrue(summary.hasPrefix("12 clips, 2 speakers, 3 classes; corpora: SYN"), summary)
        XCTAssertTrue(summary.contains("    1  happy        6     3       3  50.0%"), summary)
    }

    func testMergeSelectAndReorderRenumber() throws {
        let dataset = try syntheticDataset(speakers: 1, perClass: [.neutral: 1, .calm: 1, .surprised: 1])
        let merged = try dataset.merging([.calm: .neutral])
        XCTAssertEqual(merged.classes, [.neutral, .surprised])
        XCTAssertEqual(merged.labels, [0, 0, 1])
        let notebook = try dataset.ordered(.notebook)
        XCTAssertEqual(notebook.classes, [.surprised, .neutral, .calm])
        XCTAssertEqual(notebook.labels, [1, 2, 0])
        let selected = try dataset.selecting([.surprised, .neutral])
        XCTAssertEqual(selected.labels, [1, 0])
        XCTAssertThrowsMessage(try dataset.selecting([.calm, .calm]), contains: ["twice"])
        XCTAssertThrowsMessage(try dataset.ordered(.custom([.neutral])), contains: ["calm", "surprised"])
        XCTAssertThrowsMessage(try DatasetColumn.named("mood"), contains: ["mood", "intensity"])
        XCTAssertEqual(Emotion.named("Pleasant_Surprise"), .surprised)
        XCTAssertEqual(Emotion.named("DISGUSTED"), .disgust)
        XCTAssertNil(Emotion.named("contempt"))
        XCTAssertEqual(Emotion.named("Suprised"), .surprised, "the notebooks' Combined/Emotions folder")
        XCTAssertEqual(Emotion.named("fearfull"), .fearful)
        XCTAssertNil(Emotion.named("surp"))
    }
}
