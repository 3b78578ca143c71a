import Foundation
import XCTest

/// The REPL driven through a pseudo-terminal, as a person would type.
final class ReplTests: XCTestCase {
    private var home: URL!

    override func setUpWithError() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: home)
    }

    private func start() throws -> PseudoTerminal {
        let terminal = try PseudoTerminal(executable: serscriptBinary.path, arguments: [],
                                          environment: ["HOME": home.path, "TERM": "xterm", "PATH": "/usr/bin:/bin"])
        try terminal.expect(">>> ")
        return terminal
    }

    func testExpressionsShowTheirValueAndErrorsDoNotEndTheSession() throws {
        let repl = try start()
        repl.send("6 * 7\n")
        try repl.expect("42")
        repl.send("let xs = [1, \"a\"]\n")
        try repl.expect(">>> ")
        repl.send("xs\n")
        try repl.expect("[1, \"a\"]")
        repl.send("sqrt(\"x\")\n")
        try repl.expect("error: sqrt: 'x' must be a number")
        repl.send("prnt(1)\n")
        try repl.expect("did you mean 'print'?")
        repl.send("len(xs)\n")
        try repl.expect("2")
        repl.send(":quit\n")
        XCTAssertEqual(repl.finish(), 0)
    }

    func testUnfinishedBlocksContinueOnTheNextLine() throws {
        let repl = try start()
        repl.send("fn twice(x) {\n")
        try repl.expect("... ")
        repl.send("let y = x * 2\n")
        try repl.expect("... ")
        repl.send("return y }\n")
        try repl.expect(">>> ")
        repl.send("twice(21)\n")
        try repl.expect("42")
        repl.send("let config = {lr: 0.1,\n")
        try repl.expect("... ")
        repl.send("epochs: 3}\n")
        try repl.expect(">>> ")
        repl.send("config.epochs\n")
        try repl.expect("3")
        try repl.expect(">>> ")
        repl.send("\u{04}")
        XCTAssertEqual(repl.finish(), 0)
    }

    func testTabCompletesNamesKeywordsAndMethods() throws {
        let repl = try start()
        repl.send("let samples = [3]\n")
        try repl.expect(">>> ")
        repl.send("sam\t.app\t(4)\n")
        try repl.expect(">>> ")
        repl.send("prin\t(samples)\n")
        try repl.expect("[3, 4]")
        repl.send("whi\t")
        try repl.expect("while")
        repl.send("\u{03}")
        try repl.expect(">>> ")
        repl.send(":qu\t\n")
        XCTAssertEqual(repl.finish(), 0)
    }

    func testCtrlCInterruptsRunningCodeAndClearsThePrompt() throws {
        let repl = try start()
        repl.send("let n = 0\n")
        try repl.expect(">>> ")
        repl.send("while true { n += 1 }\n")
        Thread.sleep(forTimeInterval: 0.5)
        repl.send("\u{03}")
        try repl.expect("error: interrupted")
        try repl.expect(">>> ")
        repl.send("n > 0\n")
        try repl.expect("true")
        repl.send("this is garbage\u{03}")
        try repl.expect(">>> ")
        repl.send("1 + 1\n")
        let output = try repl.expect("2")
        XCTAssertFalse(output.contains("error"), "the cleared line must not run: \(output)")
        repl.send(":quit\n")
        XCTAssertEqual(repl.finish(), 0)
    }

    func testHistoryPersistsAcrossSessions() throws {
        let first = try start()
        first.send("let remembered = 1234\n")
        try first.expect(">>> ")
        first.send("remembered + 1\n")
        try first.expect("1235")
        first.send(":quit\n")
        XCTAssertEqual(first.finish(), 0)
        let history = try String(contentsOf: home.appendingPathComponent(".serscript_history"), encoding: .utf8)
        XCTAssertTrue(history.contains("remembered + 1"), history)
        let second = try start()
        second.send("let remembered = 10\n")
        try second.expect(">>> ")
        // Up three times: past this session's `let` and the first session's `:quit`.
        second.send("\u{1b}[A\u{1b}[A\u{1b}[A\n")
        try second.expect("11")
        second.send(":quit\n")
        XCTAssertEqual(second.finish(), 0)
    }

    func testLoadListAndRunCells() throws {
        let script = home.appendingPathComponent("notebook.sers")
        try """
        param base = 10
        # %% First
        let doubled = base * 2
        doubled
        # %% Second
        print("second sees", doubled)
        """.write(to: script, atomically: true, encoding: .utf8)
        let repl = try start()
        repl.send(":load \(script.path)\n")
        try repl.expect("2 cells")
        repl.send(":cells\n")
        try repl.expect("1  First")
        try repl.expect("2  Second")
        repl.send(":run 1\n")
        try repl.expect("20")
        repl.send(":run second\n")
        try repl.expect("second sees 20")
        repl.send(":vars\n")
        try repl.expect("doubled: int = 20")
        repl.send(":help sqrt\n")
        try repl.expect("Square root")
        repl.send(":reset\n")
        try repl.expect("forgotten")
        repl.send("doubled\n")
        try repl.expect("unknown name 'doubled'")
        repl.send(":quit\n")
        XCTAssertEqual(repl.finish(), 0)
    }
}
