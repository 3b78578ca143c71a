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

/// Counts calls from concurrent iterations.
private final class CallCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

final class FeatureCacheTests: XCTestCase {
    /// Fake features: the file's byte count and a parameter, so a change of either shows.
    private func features(_ path: String, scale: Float) throws -> StoredTensor {
        let size = Float(try Data(contentsOf: URL(fileURLWithPath: path)).count)
        return StoredTensor(shape: [1, 2], values: [size, scale])
    }

    private func clips(_ tree: TemporaryTree, _ count: Int, size: Int = 10) throws -> [String] {
        try (0..<count).map { index -> String in
            try tree.add("clip\(index).wav", contents: Data(repeating: 1, count: size + index))
            return tree.path("clip\(index).wav")
        }
    }

    private func run(_ paths: [String], _ cache: FeatureCache?, _ parameters: JSONValue = [:], threads: Int = 2,
                     compute: @escaping (String) throws -> StoredTensor) throws -> FeaturizeResult {
        try featurize(paths.map { ($0, parameters) }, cache: cache, threads: threads) { try compute(paths[$0]) }
    }

    func testSecondRunReusesAndChangesRecompute() throws {
        let tree = try TemporaryTree()
        let paths = try clips(tree, 6)
        let cache = try FeatureCache(directory: tree.path("cache"), policy: .always)
        let calls = CallCounter()
        let compute = { (path: String) throws -> StoredTensor in
            calls.increment()
            return try self.features(path, scale: 1)
        }
        let parameters: JSONValue = ["n_mels": 128, "hop_length": 256]
        let first = try run(paths, cache, parameters, compute: compute)
        XCTAssertEqual([first.computed, first.stored], [6, 6])
        XCTAssertEqual(first.stacked.shape, [6, 1, 2])
        XCTAssertEqual(first.stacked.values, [10, 1, 11, 1, 12, 1, 13, 1, 14, 1, 15, 1], "stacked in input order")
        let second = try run(paths, cache, parameters, compute: compute)
        XCTAssertEqual([second.reused, second.stored], [6, 0])
        XCTAssertEqual(second.stacked.values, first.stacked.values)
        XCTAssertEqual(calls.value, 6)

        // Same parameters written in another order hash the same; a changed value does not.
        XCTAssertEqual(try run(paths, cache, ["hop_length": 256, "n_mels": 128], compute: compute).reused, 6)
        XCTAssertEqual(try run(paths, cache, ["n_mels": 64, "hop_length": 256], compute: compute).computed, 6)

        // A changed file recomputes; a corrupt entry recomputes instead of failing.
        try tree.add("clip0.wav", contents: Data(repeating: 2, count: 99))
        let entry = try cache.entry(path: paths[1], parameters: parameters).file
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: entry))
        let third = try run(paths, cache, parameters, compute: compute)
        XCTAssertEqual(third.computed, 2)
        XCTAssertEqual(third.stacked.values[0], 99)
        XCTAssertEqual(try run(paths, cache, parameters, compute: compute).reused, 6)
    }

    func testOneThreadAndTwoThreadsStackTheSameTensor() throws {
        let tree = try TemporaryTree()
        let paths = try clips(tree, 9)
        let compute = { (path: String) throws -> StoredTensor in
            StoredTensor(shape: [2, 3], values: (0..<6).map { Float($0) * Float(path.count) + Float(path.hashValue % 7) })
        }
        let one = try run(paths, nil, threads: 1, compute: compute), two = try run(paths, nil, threads: 2, compute: compute)
        XCTAssertEqual(one.stacked.shape, [9, 2, 3])
        XCTAssertEqual(one.stacked.values, two.stacked.values)
        XCTAssertEqual(Array(one.stacked.values[12..<18]), try compute(paths[2]).values)
    }

    func testTheDefaultPolicyWritesOnlyWhatIsCostlyToRecompute() throws {
        let tree = try TemporaryTree()
        let paths = try clips(tree, 4)
        let cache = try FeatureCache(directory: tree.path("cache"))
        XCTAssertEqual(cache.policy, .whenCostly)
        // 1 MB of features made in no time: cheaper to recompute than to read back, never written.
        let cheap = try run(paths, cache) { _ in StoredTensor(shape: [262_144], values: [Float](repeating: 1, count: 262_144)) }
        XCTAssertEqual([cheap.computed, cheap.stored], [4, 0])
        XCTAssertEqual(FeatureCacheFolder(directory: cache.directory).usage().entries, 0)
        // A few values that take 20 ms of CPU each: written, and read on the next run.
        let costly = { (path: String) throws -> StoredTensor in
            var spin = 0.0
            let start = ProcessInfo.processInfo.systemUptime
            while ProcessInfo.processInfo.systemUptime - start < 0.02 { spin += 1 }
            return StoredTensor(shape: [2], values: [Float(path.count), spin > 0 ? 1 : 0])
        }
        XCTAssertEqual(try run(paths, cache, ["expensive": true], compute: costly).stored, 4)
        XCTAssertEqual(try run(paths, cache, ["expensive": true], compute: costly).reused, 4)
        XCTAssertFalse(FeatureCachePolicy.whenCostly.shouldStore(computeSeconds: 0.001, bytes: 288_256))
        XCTAssertTrue(FeatureCachePolicy.whenCostly.shouldStore(computeSeconds: 0.03, bytes: 288_256))
        XCTAssertTrue(FeatureCachePolicy.always.shouldStore(computeSeconds: 0, bytes: 288_256))
    }

    func testEvictionKeepsTheLimitAndRemovesTheLeastRecentlyUsedFirst() throws {
        let tree = try TemporaryTree()
        let paths = try clips(tree, 5)
        let values = [Float](repeating: 3, count: 1000)   // about 4 KB per entry
        var cache = try FeatureCache(directory: tree.path("cache"), policy: .always)
        _ = try run(paths, cache, threads: 1) { _ in StoredTensor(shape: [1000], values: values) }
        let folder = FeatureCacheFolder(directory: cache.directory)
        let entries = folder.entries()
        XCTAssertEqual(entries.count, 5)
        // Age every entry, oldest first in path order, then use clip 0 again: it becomes the newest.
        for (age, path) in paths.enumerated() {
            let file = try cache.entry(path: path, parameters: [:]).file
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: Double(age - 100))], ofItemAtPath: file)
        }
        guard case .hit = try cache.lookup(path: paths[0], parameters: [:]) else { return XCTFail("clip 0 not cached") }
        let sizes = Dictionary(uniqueKeysWithValues: folder.entries().map { ($0.path, $0.bytes) })
        let expected = try [0, 3, 4].map { try cache.entry(path: paths[$0], parameters: [:]).file }
        XCTAssertEqual(folder.evict(toFit: expected.reduce(0) { $0 + (sizes[$1] ?? 0) }), 2)
        XCTAssertEqual(Set(folder.entries().map(\.path)), Set(expected), "clips 1 and 2 were least recently used")

        // featurize trims to the cache's own limit after writing.
        let entryBytes = entries[0].bytes
        cache.limitBytes = 2 * entryBytes
        _ = try run(paths, cache, ["other": 1], threads: 1) { _ in StoredTensor(shape: [1000], values: values) }
        XCTAssertLessThanOrEqual(folder.usage().bytes, 2 * entryBytes)
        try tree.add("cache/notes.txt", contents: Data("mine".utf8))
        let remaining = folder.usage().entries
        XCTAssertGreaterThan(remaining, 0)
        XCTAssertEqual(folder.clear(), remaining)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tree.path("cache/notes.txt")), "only cache entries are removed")
        XCTAssertEqual(folder.usage().entries, 0)
    }

    func testEntryNamesAndSizes() throws {
        XCTAssertTrue(FeatureCacheFolder.isEntryName("a3f09c1d2e4b5a67.safetensors"))
        XCTAssertTrue(FeatureCacheFolder.isEntryName(".a3f09c.safetensors.1234.tmp"))
        XCTAssertFalse(FeatureCacheFolder.isEntryName("model.safetensors"))
        XCTAssertFalse(FeatureCacheFolder.isEntryName(".a3f09c.safetensors.x.tmp"))
        XCTAssertEqual(try FeatureCacheLimit.parse("500MB"), 500_000_000)
        XCTAssertEqual(try FeatureCacheLimit.parse("1.5g"), 1_500_000_000)
        XCTAssertEqual(try FeatureCacheLimit.parse("4096"), 4096)
        XCTAssertThrowsMessage(try FeatureCacheLimit.parse("lots"), contains: ["'lots'", "500MB"])
        XCTAssertThrowsMessage(try FeatureCacheLimit.parse("-1GB"), contains: ["'-1GB'"])
    }

    func testDamagedEntriesFailTheirChecksumAndAreRecomputed() throws {
        let tree = try TemporaryTree()
        let paths = try clips(tree, 3, size: 100)
        let cache = try FeatureCache(directory: tree.path("cache"), policy: .always)
        let compute = { (path: String) throws -> StoredTensor in
            StoredTensor(shape: [4, 8], values: (0..<32).map { Float($0) + Float(path.count) })
        }
        let first = try run(paths, cache, compute: compute)
        // Overwrite 10 bytes of the values (the end of the file) of one entry: still a readable file.
        let entry = try cache.entry(path: paths[1], parameters: [:]).file
        var bytes = try Data(contentsOf: URL(fileURLWithPath: entry))
        bytes.replaceSubrange((bytes.count - 10)..<bytes.count, with: Data(repeating: 0x7F, count: 10))
        try bytes.write(to: URL(fileURLWithPath: entry))
        XCTAssertNoThrow(try SafeTensors.read(path: entry))
        guard case .damaged(let reason) = try cache.lookup(path: paths[1], parameters: [:]) else {
            return XCTFail("a damaged entry was served")
        }
        XCTAssertEqual(reason, "checksum mismatch")
        let second = try run(paths, cache, compute: compute)
        XCTAssertEqual(second.computed, 1)
        XCTAssertEqual(second.damaged, ["\(paths[1]): checksum mismatch"])
        XCTAssertEqual(second.stacked.values, first.stacked.values, "recomputed, not read from the damaged entry")
        XCTAssertEqual(try run(paths, cache, compute: compute).reused, 3)
    }

    func testTheKeyIncludesTheFrontEndAndLibraryVersions() throws {
        let tree = try TemporaryTree(files: ["a.wav"])
        let key = try FeatureCache(directory: tree.path("cache")).entry(path: tree.path("a.wav"), parameters: [:]).key
        let members = try XCTUnwrap(try JSONValue.parse(key).objectValue)
        XCTAssertEqual(members["frontend"], .number(Double(FeatureCache.frontEndVersion)))
        XCTAssertEqual(members["format"], .number(Double(FeatureCache.formatVersion)))
        let libraries = try XCTUnwrap(members["libraries"]?.objectValue)
        for name in ["fftw", "soxr", "libsndfile", "openblas"] {
            XCTAssertEqual(libraries[name]?.stringValue, LibraryVersions.current[name], name)
        }
    }

    func testFailingClipAndOddShapesAreNamed() throws {
        let tree = try TemporaryTree(files: ["good.wav"])
        let paths = [tree.path("good.wav"), tree.path("missing.wav")]
        XCTAssertThrowsMessage(try run(paths, nil) { path in try self.features(path, scale: 1) }, contains: ["missing.wav"])
        let cache = try FeatureCache(directory: tree.path("cache"))
        XCTAssertThrowsMessage(try run(paths, cache) { _ in StoredTensor(shape: [1], values: [0]) }, contains: ["missing.wav"])
        XCTAssertThrowsMessage(try run([paths[0]], nil) { _ in StoredTensor(shape: [2], values: [0]) },
                               contains: ["good.wav", "[2]", "1 values"])
        try tree.add("long.wav", contents: Data(count: 5))
        XCTAssertThrowsMessage(try run([paths[0], tree.path("long.wav")], nil) { path in
            StoredTensor(shape: [path.hasSuffix("long.wav") ? 3 : 2], values: [Float](repeating: 0, count: path.hasSuffix("long.wav") ? 3 : 2))
        }, contains: ["long.wav", "[3]", "good.wav", "[2]", "fixed duration"])
        XCTAssertThrowsMessage(try featurize([], cache: nil) { _ in StoredTensor(shape: [1], values: [0]) }, contains: ["no items"])
    }
}
