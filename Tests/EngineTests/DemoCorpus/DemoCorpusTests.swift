import Engine
import Foundation
import XCTest

/// Tiny generations (2 speakers, 3 emotions, 1 statement) checked file by file.
final class DemoCorpusTests: XCTestCase {
    private func tinyOptions(seed: UInt64, naming: DemoCorpusNaming = .ravdess) -> DemoCorpusOptions {
        var options = DemoCorpusOptions(seed: seed, speakers: 2, naming: naming)
        options.emotions = [.neutral, .angry, .sad]
        options.statements = [1]
        options.repetitions = 1
        return options
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("democorpus-test-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func generate(_ options: DemoCorpusOptions) throws -> URL {
        let folder = try temporaryFolder()
        try DemoCorpus.generate(into: folder, options: options)
        return folder
    }

    private func wavFiles(in folder: URL) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder.path)
        return (walker?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".wav") }.sorted()
    }

    func testTinyCorpusHasRavdessNamesFormatAndSilences() throws {
        let options = tinyOptions(seed: 7)
        let seen = ProgressLog()
        let folder = try temporaryFolder()
        try DemoCorpus.generate(into: folder, options: options) { seen.add($0) }
        let files = wavFiles(in: folder)
        // 2 speakers × (neutral 1 + angry 2 + sad 2 intensities) × 1 statement × 1 repetition.
        XCTAssertEqual(files, [
            "Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-04-01-01-01-01.wav",
            "Actor_01/03-01-04-02-01-01-01.wav", "Actor_01/03-01-05-01-01-01-01.wav",
            "Actor_01/03-01-05-02-01-01-01.wav",
            "Actor_02/03-01-01-01-01-01-02.wav", "Actor_02/03-01-04-01-01-01-02.wav",
            "Actor_02/03-01-04-02-01-01-02.wav", "Actor_02/03-01-05-01-01-01-02.wav",
            "Actor_02/03-01-05-02-01-01-02.wav",
        ])
        XCTAssertEqual(seen.count, 10)
        XCTAssertEqual(seen.lastTotal, 10)
        for file in files {
            let path = folder.appendingPathComponent(file).path
            let (samples, info) = try SoundFile.read(path: path)
            XCTAssertEqual(info.sampleRate, 48_000, file)
            XCTAssertEqual(info.channels, 1, file)
            let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readData(ofLength: 36)
            XCTAssertEqual(header[34], 16, "\(file) bits per sample")
            XCTAssertLessThan(Decibels.peak(samples), 1, "\(file) clips")
            // Lead ≥ 0.55 s and trail ≥ 0.4 s hold only the noise floor (≤ −60 dBFS RMS, not zero).
            let lead = Array(samples[0..<26_400]), trail = Array(samples[(samples.count - 19_200)...])
            for quiet in [lead, trail] {
                let level = Decibels.db(fromPower: Decibels.meanPower(quiet))
                XCTAssertTrue((-72.0 ... -58.0).contains(level), "\(file): silence at \(level) dBFS")
            }
            let speechLevel = Decibels.db(fromPower: Decibels.meanPower(Array(samples[26_400..<(samples.count - 19_200)])))
            XCTAssertGreaterThan(speechLevel, -50, "\(file): speech at \(speechLevel) dBFS")
        }
        XCTAssertTrue(DemoCorpus.isComplete(folder, options: options))
        XCTAssertFalse(DemoCorpus.isComplete(folder, options: tinyOptions(seed: 8)))
    }

    func testSameSeedGivesIdenticalFilesAndOtherSeedsDiffer() throws {
        let first = try generate(tinyOptions(seed: 3))
        let again = try generate(tinyOptions(seed: 3))
        let other = try generate(tinyOptions(seed: 4))
        var differing = 0
        for file in wavFiles(in: first) {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            XCTAssertEqual(a, try Data(contentsOf: again.appendingPathComponent(file)), file)
            if a != (try Data(contentsOf: other.appendingPathComponent(file))) { differing += 1 }
        }
        XCTAssertEqual(differing, wavFiles(in: first).count)
    }

    func testOtherNamingSchemes() throws {
        let saveeFolder = try generate(tinyOptions(seed: 1, naming: .savee))
        let savee = wavFiles(in: saveeFolder)
        let saveeIndex = try Corpus.savee.index(root: saveeFolder.path).dataset
        XCTAssertEqual(saveeIndex.count, savee.count, "the SAVEE indexer reads every name")
        // SAVEE's own speakers are male, so only the male voice takes one; the female voice's demo
        // prefix is left ungendered rather than mislabelled.
        XCTAssertEqual(savee, ["DC_a01.wav", "DC_a02.wav", "DC_n01.wav", "DC_sa01.wav", "DC_sa02.wav",
                               "EF_a01.wav", "EF_a02.wav", "EF_n01.wav", "EF_sa01.wav", "EF_sa02.wav"])
        XCTAssertEqual(Set(saveeIndex.clips.map { "\($0.speaker) \($0.gender)" }), ["DC male", "EF unknown"])
        let tessFolder = try generate(tinyOptions(seed: 1, naming: .tess))
        let tess = wavFiles(in: tessFolder)
        let tessIndex = try Corpus.tess.index(root: tessFolder.path).dataset
        XCTAssertEqual(tessIndex.count, tess.count, "the TESS indexer reads every name")
        XCTAssertEqual(Set(tessIndex.clips.map { "\($0.speaker) \($0.gender)" }), ["D01M male", "D02F female"])
        XCTAssertTrue(tess.contains("D01M_angry/D01M_kids-i2r1_angry.wav"), "\(tess)")
        XCTAssertTrue(tess.contains("D02F_neutral/D02F_kids-i1r1_neutral.wav"), "\(tess)")
        let cremaFolder = try generate(tinyOptions(seed: 1, naming: .cremad))
        let crema = wavFiles(in: cremaFolder)
        XCTAssertTrue(crema.contains("1001_DFA_ANG_HI.wav"), "\(crema)")
        XCTAssertTrue(crema.contains("1002_DFA_NEU_XX.wav"), "\(crema)")
        XCTAssertTrue(crema.contains("1002_DFA_SAD_MD.wav"), "\(crema)")
        let cremaIndex = try Corpus.cremad.index(root: cremaFolder.path).dataset
        XCTAssertEqual(cremaIndex.count, crema.count, "the CREMA-D indexer reads every name")
        XCTAssertEqual(Set(cremaIndex.clips.map { "\($0.speaker) \($0.gender)" }), ["1001 male", "1002 female"],
                       "ids follow the published demographics the indexer reads")
        let demographics = try String(contentsOf: cremaFolder.appendingPathComponent("VideoDemographics.csv"))
        XCTAssertTrue(demographics.contains("1002,30,Female"), demographics)
        let foldersRoot = try generate(tinyOptions(seed: 1, naming: .folders))
        let folders = wavFiles(in: foldersRoot)
        XCTAssertEqual(folders.count, 10, "\(folders)")
        XCTAssertTrue(folders.contains("Angry/03-01-05-02-01-01-01.wav"), "\(folders)")
        XCTAssertTrue(folders.contains("Neutral/03-01-01-01-01-01-02.wav"), "\(folders)")
        let indexed = try Corpus.folders.index(root: foldersRoot.path).dataset
        XCTAssertEqual(indexed.classNames, ["neutral", "sad", "angry"])
        XCTAssertEqual(indexed.count, 10)
    }

    func testPlanCoversTheDefaultCorpusAndRejectsBadOptions() throws {
        XCTAssertEqual(try DemoCorpus.plan(DemoCorpusOptions()).count, 720)
        XCTAssertEqual(Set(try DemoCorpus.plan(DemoCorpusOptions()).map(\.path)).count, 720)
        var options = DemoCorpusOptions()
        options.speakers = 13
        XCTAssertThrowsError(try DemoCorpus.plan(options)) { XCTAssertTrue("\($0)".contains("speakers")) }
        options = DemoCorpusOptions(seed: 1, speakers: 2, naming: .cremad)
        options.emotions = [.calm, .surprised]
        XCTAssertThrowsError(try DemoCorpus.plan(options)) { XCTAssertTrue("\($0)".contains("cremad")) }
        options = DemoCorpusOptions(seed: 1, speakers: 2, naming: .cremad)
        options.repetitions = 7
        XCTAssertThrowsError(try DemoCorpus.plan(options)) { XCTAssertTrue("\($0)".contains("at most 6 repetitions"), "\($0)") }
        options.repetitions = 6
        XCTAssertEqual(Set(try DemoCorpus.plan(options).map(\.path)).count, 2 * 6 * 2 * 11, "no two clips share a name")
    }
}

/// Progress reports collected from the generator's worker threads.
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var count = 0, lastTotal = 0
    func add(_ progress: DemoCorpusProgress) {
        lock.lock(); defer { lock.unlock() }
        count += 1
        lastTotal = progress.total
    }
}
