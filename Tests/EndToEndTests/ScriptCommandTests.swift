import Foundation
import XCTest

/// `serscript -e`, piped scripts, `check`, `--list-builtins`, `--seed` and option errors.
final class ScriptCommandTests: XCTestCase {
    func testSnippetsAndPipedScriptsRun() throws {
        let snippet = try runSerscript(["-e", "let x = 6\nprint(x * 7)"])
        XCTAssertEqual(snippet.status, 0, snippet.stderr)
        XCTAssertEqual(snippet.stdout, "42\n")
        let piped = try runSerscript([], stdin: "print(\"from stdin\", 1 + 1)\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, "from stdin 2\n")
        let failing = try runSerscript(["-e", "print(1)\nprint(1 / 0)"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertEqual(failing.stdout, "1\n")
        XCTAssertTrue(failing.stderr.hasPrefix("<-e>:2:9: error: division by zero"), failing.stderr)
    }

    func testCheckResolvesWithoutRunning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("good.sers")
        try "param n = 3\n# %% A\nwrite_text(\"\(folder.path)/ran.txt\", \"x\")\n# %% B\nprint(n)\n".write(to: good, atomically: true, encoding: .utf8)
        let ok = try runSerscript(["check", good.path])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "\(good.path): ok (2 cells, 1 param)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ran.txt").path), "check must not run the script")
        let bad = folder.appendingPathComponent("bad.sers")
        try "fn f(x) = x + y\nprint(f(1), sqroot(2))\nprint(sorted([1], reversed: true))\n".write(to: bad, atomically: true, encoding: .utf8)
        let problems = try runSerscript(["check", bad.path])
        XCTAssertEqual(problems.status, 1)
        XCTAssertTrue(problems.stderr.contains("bad.sers:1:15: error: unknown name 'y'"), problems.stderr)
        XCTAssertTrue(problems.stderr.contains("unknown name 'sqroot'; did you mean 'sqrt'?"), problems.stderr)
        XCTAssertTrue(problems.stderr.contains("has no parameter 'reversed'; did you mean 'reverse'?"), problems.stderr)
    }

    func testBuiltinTableComesFromTheRegistry() throws {
        let table = try runSerscript(["--list-builtins", "--markdown"])
        XCTAssertEqual(table.status, 0)
        XCTAssertTrue(table.stdout.contains("### Math"), table.stdout)
        XCTAssertTrue(table.stdout.contains("| `sqrt(x)` | Square root of `x` (a float); `x` must not be negative. |"), table.stdout)
        XCTAssertTrue(table.stdout.contains("| `list.append(item)` |"), table.stdout)
        XCTAssertTrue(table.stdout.contains("| `load(path, sr = 22050, mono = true, offset = 0.0, duration = nil)` |"), table.stdout)
    }

    func testTheLanguageDocCarriesTheCurrentBuiltinTable() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        let text = try String(contentsOf: doc, encoding: .utf8)
        let table = try runSerscript(["--list-builtins", "--markdown"]).stdout
        XCTAssertTrue(text.contains("<!-- builtins:begin -->\n" + table + "<!-- builtins:end -->"),
                      "docs/language.md is out of date: paste `serscript --list-builtins --markdown` between the builtins markers")
    }

    func testSeedMakesRunsRepeatable() throws {
        let code = "print(random(), randint(1, 1000000))"
        let a = try runSerscript(["-e", code, "--seed", "5"])
        let b = try runSerscript(["-e", code, "--seed", "5"])
        let c = try runSerscript(["-e", code, "--seed", "6"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertNotEqual(a.stdout, c.stdout)
    }

    func testBadOptionsAreUsageErrors() throws {
        for arguments in [["-e", "1", "--cells", "2-1"], ["-e", "1", "--seed", "x"], ["-e", "1", "--threads", "0"],
                          ["-e", "1", "--set", "novalue"], ["check"], ["sweep", "x.sers"]] {
            let result = try runSerscript(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("serscript: "), result.stderr)
        }
        let missing = try runSerscript(["no-such-script.sers"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no-such-script.sers: no such file"), missing.stderr)
    }
}
