import Runtime
import XCTest

/// `display(...)`: rich text where nothing richer is connected, the interpreter's hook (the
/// Jupyter kernel's HTML and players) where something is.
final class DisplayTests: XCTestCase {
    func testWithoutAHookDisplayPrintsWhatTheReplShows() {
        let outcome = ScriptHarness.run(#"display(1, "a", [2.5])"#)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.output, "1\n\"a\"\n[2.5]\n")
    }

    func testAHookReceivesEachValueAndNothingIsPrinted() {
        let interpreter = Interpreter()
        var shown: [String] = []
        interpreter.display = { shown.append($0.repr) }
        let outcome = ScriptHarness.run(#"display(seq(linear(2, 3)), "b")"#, interpreter: interpreter)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.output, "")
        XCTAssertEqual(shown.count, 2)
        XCTAssertTrue(shown[0].contains("trainable parameters"), shown[0])
        XCTAssertEqual(shown[1], "\"b\"")
    }
}
