import Engine
import Foundation
import XCTest

/// A tiny demo corpus (2 speakers, 3 emotions, 40 clips) generated once per test process in a
/// temporary folder; skipped when espeak-ng is not installed.
enum TinyCorpus {
    nonisolated(unsafe) private static var made: Result<URL, Error>?
    private static let lock = NSLock()

    static var options: DemoCorpusOptions {
        var options = DemoCorpusOptions(seed: 3, speakers: 2)
        options.emotions = [.neutral, .sad, .angry]
        return options
    }

    static func directory() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if made == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-tiny-corpus-\(getpid())")
            made = Result {
                guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else {
                    throw XCTSkip("espeak-ng is not installed (scripts/setup.sh installs it)")
                }
                if !DemoCorpus.isComplete(url, options: options) { try DemoCorpus.generate(into: url, options: options) }
                return url
            }
        }
        return try made?.get() ?? FileManager.default.temporaryDirectory
    }

    /// A fresh empty folder for one test's run outputs.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-binding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
