import Engine
import Foundation
import XCTest

/// `serscript cache`: shows, trims and clears a feature cache folder, touching nothing else.
final class CacheCommandTests: XCTestCase {
    func testShowTrimAndClear() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent(".cache/features")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, name) in ["0a", "1b", "2c"].enumerated() {
            let file = folder.appendingPathComponent("\(name).safetensors")
            try Data(count: 1_000_000).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: Double(index - 10))], ofItemAtPath: file.path)
        }
        try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        let shown = try runSerscript(["cache"], in: root)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains(".cache/features: 3 entries, 3.0 MB (limit "), shown.stdout)

        let trimmed = try runSerscript(["cache", ".cache/features", "--trim", "2.5MB"], in: root)
        XCTAssertTrue(trimmed.stdout.contains("removed 1 least recently used entries"), trimmed.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("0a.safetensors").path), "the oldest went")

        let cleared = try runSerscript(["cache", "--clear"], in: root)
        XCTAssertTrue(cleared.stdout.contains("removed 2 entries"), cleared.stdout)
        XCTAssertTrue(cleared.stdout.contains("0 entries, 0.0 MB"), cleared.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))

        let bad = try runSerscript(["cache", "--trim", "lots"], in: root)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("'lots'"), bad.stderr)
    }
}
