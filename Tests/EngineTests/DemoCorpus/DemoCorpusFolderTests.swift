import Engine
import Foundation
import XCTest

/// A demo-corpus folder is complete only with every clip whole, and a smaller corpus generated over
/// a larger one leaves none of the old clips behind.
final class DemoCorpusFolderTests: XCTestCase {
    private func options(speakers: Int) -> DemoCorpusOptions {
        var options = DemoCorpusOptions(seed: 5, speakers: speakers, naming: .ravdess)
        options.emotions = [.neutral, .angry]
        options.statements = [1]
        options.repetitions = 1
        return options
    }

    private func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("democorpus-folder-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testATruncatedOrDeletedClipMakesTheCorpusIncomplete() throws {
        let folder = temporaryFolder()
        let two = options(speakers: 2)
        try DemoCorpus.generate(into: folder, options: two)
        XCTAssertTrue(DemoCorpus.isComplete(folder, options: two))
        let clip = folder.appendingPathComponent("Actor_01/03-01-05-01-01-01-01.wav")
        let handle = try FileHandle(forWritingTo: clip)
        try handle.truncate(atOffset: 1000)
        try handle.close()
        XCTAssertFalse(DemoCorpus.isComplete(folder, options: two), "a truncated clip")
        try DemoCorpus.generate(into: folder, options: two)
        XCTAssertTrue(DemoCorpus.isComplete(folder, options: two))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Actor_02/03-01-01-01-01-01-02.wav"))
        XCTAssertFalse(DemoCorpus.isComplete(folder, options: two), "a deleted clip")
    }

    func testFewerSpeakersRemoveTheOldSpeakersAndStrangersAreRefused() throws {
        let folder = temporaryFolder()
        try DemoCorpus.generate(into: folder, options: options(speakers: 2))
        try DemoCorpus.generate(into: folder, options: options(speakers: 1))
        XCTAssertTrue(DemoCorpus.isComplete(folder, options: options(speakers: 1)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Actor_02").path))
        let clips = (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".wav") }
        XCTAssertEqual(clips.count, 3, "\(clips)")
        // Audio no demo-corpus run wrote is not deleted: generation refuses and names it.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Mine"), withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: folder.appendingPathComponent("Mine/keep.wav"))
        XCTAssertThrowsError(try DemoCorpus.generate(into: folder, options: options(speakers: 2))) { error in
            XCTAssertTrue("\(error)".contains("Mine/keep.wav"), "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Mine/keep.wav").path))
    }
}
