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

    func testSecondRunReusesAndChangesRecompute() throws {
        let tree = try TemporaryTree()
        let paths = try (0..<6).map { index -> String in
            try tree.add("clip\(index).wav", contents: Data(repeating: 1, count: 10 + index))
            return tree.path("clip\(index).wav")
        }
        let cache = try FeatureCache(directory: tree.path("cache"))
        let calls = CallCounter()
        let compute: @Sendable (String) throws -> StoredTensor = { path in
            calls.increment()
            return try self.features(path, scale: 1)
        }
        let parameters: JSONValue = ["n_mels": 128, "hop_length": 256]
        let first = try featurize(paths, cache: cache, parameters: parameters, compute: compute)
        XCTAssertEqual(first.computed, 6)
        XCTAssertEqual(first.tensors.map { $0.values[0] }, [10, 11, 12, 13, 14, 15], "results in input order")
        let second = try featurize(paths, cache: cache, parameters: parameters, compute: compute)
        XCTAssertEqual(second.reused, 6)
        XCTAssertEqual(second.tensors, first.tensors)
        XCTAssertEqual(calls.value, 6)

        // Same parameters written in another order hash the same; a changed value does not.
        XCTAssertEqual(try featurize(paths, cache: cache, parameters: ["hop_length": 256, "n_mels": 128], compute: compute).reused, 6)
        XCTAssertEqual(try featurize(paths, cache: cache, parameters: ["n_mels": 64, "hop_length": 256], compute: compute).computed, 6)

        // A changed file recomputes; a corrupt entry recomputes instead of failing.
        try tree.add("clip0.wav", contents: Data(repeating: 2, count: 99))
        let entry = try cache.entry(path: paths[1], parameters: parameters).file
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: entry))
        let third = try featurize(paths, cache: cache, parameters: parameters, compute: compute)
        XCTAssertEqual(third.computed, 2)
        XCTAssertEqual(third.tensors[0].values[0], 99)
        XCTAssertEqual(try featurize(paths, cache: cache, parameters: parameters, compute: compute).reused, 6)
    }

    func testDamagedEntriesFailTheirChecksumAndAreRecomputed() throws {
        let tree = try TemporaryTree()
        let paths = try (0..<3).map { index -> String in
            try tree.add("clip\(index).wav", contents: Data(repeating: 1, count: 100 + index))
            return tree.path("clip\(index).wav")
        }
        let cache = try FeatureCache(directory: tree.path("cache"))
        let compute: @Sendable (String) throws -> StoredTensor = { path in
            StoredTensor(shape: [4, 8], values: (0..<32).map { Float($0) + Float(path.count) })
        }
        let first = try featurize(paths, cache: cache, parameters: [:], compute: compute)
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
        let second = try featurize(paths, cache: cache, parameters: [:], compute: compute)
        XCTAssertEqual(second.computed, 1)
        XCTAssertEqual(second.damaged, ["\(paths[1]): checksum mismatch"])
        XCTAssertEqual(second.tensors, first.tensors, "recomputed, not read from the damaged entry")
        XCTAssertEqual(try featurize(paths, cache: cache, parameters: [:], compute: compute).reused, 3)
    }

    func testTheKeyIncludesTheFrontEndAndLibraryVersions() throws {
        let tree = try TemporaryTree(files: ["a.wav"])
        let key = try FeatureCache(directory: tree.path("cache")).entry(path: tree.path("a.wav"), parameters: [:]).key
        let members = try XCTUnwrap(try JSONValue.parse(key).objectValue)
        XCTAssertEqual(members["frontend"], .number(Double(FeatureCache.frontEndVersion)))
        let libraries = try XCTUnwrap(members["libraries"]?.objectValue)
        for name in ["fftw", "soxr", "libsndfile", "openblas"] {
            XCTAssertEqual(libraries[name]?.stringValue, LibraryVersions.current[name], name)
        }
    }

    func testFailingClipIsNamed() throws {
        let tree = try TemporaryTree(files: ["good.wav"])
        let paths = [tree.path("good.wav"), tree.path("missing.wav")]
        XCTAssertThrowsMessage(try featurize(paths, cache: nil, parameters: [:]) { path in
            try self.features(path, scale: 1)
        }, contains: ["missing.wav"])
        let cache = try FeatureCache(directory: tree.path("cache"))
        XCTAssertThrowsMessage(try featurize(paths, cache: cache, parameters: [:]) { _ in StoredTensor(shape: [1], values: [0]) },
                               contains: ["missing.wav"])
        XCTAssertThrowsMessage(try featurize([paths[0]], cache: nil, parameters: [:]) { _ in StoredTensor(shape: [2], values: [0]) },
                               contains: ["good.wav", "[2]", "1 values"])
    }
}
