import Foundation
import XCTest

/// Runs every `Tests/Fixtures/language/*.sers` through the `serscript` binary and compares its
/// stdout, stderr and exit status with the `.expected` file beside it. A first line
/// `# args: …` gives extra command-line arguments; every run gets `--out` in a fresh temporary
/// folder, shown as `$OUT` in the expected text.
///
/// After a deliberate change, `SERSCRIPT_UPDATE_FIXTURES=1 swift test --filter LanguageFixtureTests`
/// rewrites the `.expected` files; review the diff before committing.
final class LanguageFixtureTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/language")

    func testEveryFixtureMatchesItsExpectedOutput() throws {
        let scripts = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { $0.hasSuffix(".sers") }.sorted()
        XCTAssertGreaterThan(scripts.count, 30, "fixtures missing from \(Self.folder.path)")
        let update = ProcessInfo.processInfo.environment["SERSCRIPT_UPDATE_FIXTURES"] == "1"
        for script in scripts {
            let actual = try Self.transcript(of: script)
            let expectedURL = Self.folder.appendingPathComponent(script.replacingOccurrences(of: ".sers", with: ".expected"))
            if update {
                try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
                XCTFail("\(script): no .expected file (run with SERSCRIPT_UPDATE_FIXTURES=1 and review)")
                continue
            }
            if actual != expected {
                XCTFail("\(script): output differs from \(expectedURL.lastPathComponent)\n" + Self.diff(expected, actual))
            }
        }
    }

    /// stdout, then stderr and the exit status when there are any.
    static func transcript(of script: String) throws -> String {
        let source = try String(contentsOf: folder.appendingPathComponent(script), encoding: .utf8)
        var arguments = [script]
        if let first = source.split(separator: "\n").first, first.hasPrefix("# args:") {
            arguments += first.dropFirst("# args:".count).split(separator: " ").map(String.init)
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-fixture-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        arguments += ["--out", out.path]
        let result = try runSerscript(arguments, in: folder)
        var text = result.stdout
        if !result.stderr.isEmpty { text += "--- stderr ---\n" + result.stderr }
        if result.status != 0 { text += "--- exit \(result.status) ---\n" }
        return text.replacingOccurrences(of: out.path, with: "$OUT")
    }

    /// The first differing line of each side, with line numbers.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        for index in 0..<max(a.count, b.count) where (index < a.count ? a[index] : nil) != (index < b.count ? b[index] : nil) {
            return "line \(index + 1):\n  expected: \(index < a.count ? a[index] : "<end>")\n  actual:   \(index < b.count ? b[index] : "<end>")\n--- full actual output ---\n\(actual)"
        }
        return "(no line differs)"
    }
}
