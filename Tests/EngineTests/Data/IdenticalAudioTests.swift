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

/// Byte-identical clips are found when a corpus is indexed and stay on one side of every random split.
final class IdenticalAudioTests: XCTestCase {
    /// A RAVDESS-named tree of small distinct files, two of them byte-identical (as in Actor_07).
    private func corpusWithACopy() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        for actor in 1...4 {
            for emotion in 1...4 {
                for repetition in 1...2 {
                    let name = String(format: "Actor_%02d/03-01-%02d-01-02-%02d-%02d.wav", actor, emotion, repetition, actor)
                    try tree.add(name, contents: Data("RIFF \(name) audio".utf8))
                }
            }
        }
        let original = Data("RIFF the same recording".utf8)
        try tree.add("Actor_03/03-01-03-01-02-01-03.wav", contents: original)
        try tree.add("Actor_03/03-01-03-01-02-02-03.wav", contents: original)
        // Same size, different bytes: must not be grouped.
        try tree.add("Actor_02/03-01-03-01-02-01-02.wav", contents: Data("RIFF the same recordinG".utf8))
        return tree
    }

    func testIndexingMarksTheCopy() throws {
        let tree = try corpusWithACopy()
        let indexed = try Corpus.ravdess.index(root: tree.root)
        XCTAssertEqual(indexed.identical, [[tree.path("Actor_03/03-01-03-01-02-01-03.wav"), tree.path("Actor_03/03-01-03-01-02-02-03.wav")]])
        let marked = indexed.dataset.clips.filter { $0.identicalTo != nil }
        XCTAssertEqual(marked.map(\.path), [tree.path("Actor_03/03-01-03-01-02-02-03.wav")])
        XCTAssertEqual(indexed.dataset.identicalGroups.count, 1)
    }

    func testRandomSplitsKeepIdenticalClipsTogether() throws {
        let tree = try corpusWithACopy()
        let dataset = try Corpus.ravdess.index(root: tree.root).dataset
        let pair = try XCTUnwrap(dataset.identicalGroups.first)
        var sides: Set<String> = []
        for seed in 0..<40 as Range<UInt64> {
            let split = try Splits.stratified(dataset, train: 0.5, validation: 0.25, seed: seed)
            let parts = [split.train, split.validation, split.test]
            let holding = parts.indices.filter { !Set(parts[$0]).isDisjoint(with: pair) }
            XCTAssertEqual(holding.count, 1, "seed \(seed): the copies are in one part")
            XCTAssertEqual(parts.map(\.count).reduce(0, +), dataset.count)
            sides.insert(String(holding[0]))
            for fold in try Splits.kFold(dataset, k: 4, seed: seed) {
                XCTAssertTrue(Set(pair).isSubset(of: Set(fold.test)) || Set(pair).isDisjoint(with: Set(fold.test)), "seed \(seed) \(fold.name)")
            }
        }
        XCTAssertGreaterThan(sides.count, 1, "the pair still lands on different sides for different seeds")
    }

    /// The real pair in the shared RAVDESS copy, when it is there (found relative to the repository).
    func testTheRAVDESSPairWhenTheSharedCorpusIsPresent() throws {
        let root = try SharedRAVDESS.root()
        guard FileManager.default.fileExists(atPath: root + "/Actor_07") else { throw XCTSkip("\(root) with Actor_07 is not present") }
        let indexed = try Corpus.ravdess.index(root: root)
        let pair = ["Actor_07/03-01-03-01-02-01-07.wav", "Actor_07/03-01-03-01-02-02-07.wav"].map { (root as NSString).appendingPathComponent($0) }
        XCTAssertTrue(indexed.identical.contains(pair), "\(indexed.identical)")
    }
}
