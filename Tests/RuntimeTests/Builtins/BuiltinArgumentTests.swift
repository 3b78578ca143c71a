import Foundation
@testable import Runtime
import XCTest

/// Builtins read their arguments by parameter name only, so reordering a signature cannot shift
/// what a builtin reads.
final class BuiltinArgumentTests: XCTestCase {
    private static let builtinSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Runtime/Builtins")

    /// Every builtin source file, name and text.
    private func sources() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.builtinSources.path).filter { $0.hasSuffix(".swift") }.sorted()
        XCTAssertGreaterThan(names.count, 20, "found the builtin sources at \(Self.builtinSources.path)")
        return try names.map { ($0, try String(contentsOf: Self.builtinSources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// Lines of `text` matching `pattern`, as "file:line: text".
    private func matches(_ pattern: String, in sources: [(name: String, text: String)]) throws -> [String] {
        let regex = try NSRegularExpression(pattern: pattern)
        return sources.flatMap { source in
            source.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { number, line -> String? in
                let text = String(line)
                let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                return found ? "\(source.name):\(number + 1): \(text.trimmingCharacters(in: .whitespaces))" : nil
            }
        }
    }

    func testNoBuiltinReadsAnArgumentByPosition() throws {
        // `a.int(0)`, `a[2]`, `helper(a, 3)`: positions instead of names.
        let byIndex = try matches(#"\ba\.\w+\(\s*\d|\ba\[\s*\d|\(\s*a\s*,\s*\d"#, in: try sources())
        XCTAssertEqual(byIndex, [], "builtins must read arguments by parameter name")
    }

    func testEveryNameABuiltinReadsIsADeclaredParameter() throws {
        let declared = Set(BuiltinRegistry.standard.entries.flatMap { $0.parameters.map(\.name) })
        let regex = try NSRegularExpression(pattern: #"\ba(?:\.\w+\(|\[|\s*,\s*)"([A-Za-z_]\w*)""#)
        var undeclared: [String] = []
        for source in try sources() {
            let text = source.text
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range(at: 1), in: text) else { continue }
                let name = String(text[range])
                if !declared.contains(name) { undeclared.append("\(source.name): '\(name)'") }
            }
        }
        XCTAssertEqual(undeclared, [], "names read that no builtin declares (a typo reads nil)")
    }

    func testArgumentsAreReadByNameWhateverTheOrder() throws {
        let registry = BuiltinRegistry()
        registry.function("difference", [Parameter("b", 2), Parameter("a", 10)], doc: "a minus b.") { a in
            .int(try a.int("a") - a.int("b"))
        }
        registry.function("misread", [Parameter("x", 1)], doc: "Reads a name it does not declare.") { a in
            .int(try a.int("y"))
        }
        let interpreter = Interpreter(registry: registry)
        let difference = try XCTUnwrap(registry.lookup("difference"))
        XCTAssertEqual(try difference.invoke(interpreter, positional: [.int(3)], keywords: []).repr, "7")
        XCTAssertEqual(try difference.invoke(interpreter, positional: [], keywords: [("a", .int(5)), ("b", .int(1))]).repr, "4")
        let misread = try XCTUnwrap(registry.lookup("misread"))
        XCTAssertThrowsError(try misread.invoke(interpreter, positional: [], keywords: [])) { error in
            XCTAssertTrue("\(error)".contains("misread: internal: no parameter 'y'"), "\(error)")
        }
    }
}
