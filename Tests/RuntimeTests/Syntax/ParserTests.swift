import Runtime
import XCTest

final class ParserTests: XCTestCase {
    private func parse(_ text: String) throws -> Program {
        try Program.parse(SourceFile(name: "t.sers", text: text))
    }

    func testCellsAndParams() throws {
        let program = try parse("param a = 1\n# %% Load data\nlet x = 1\n# %%   Train  \nparam b = 2\n")
        XCTAssertEqual(program.cells.map(\.number), [0, 1, 2])
        XCTAssertEqual(program.cells.map(\.title), ["", "Load data", "Train"])
        XCTAssertEqual(program.parameters.map(\.name), ["a", "b"])
        XCTAssertEqual(program.cells[1].location.line, 2)
    }

    func testUnfinishedInputIsMarkedIncomplete() {
        for text in ["fn f(x) {", "let xs = [1,", "print(\"abc", "if x {\n  print(1)\n} else {", "let d = {a: 1,\n"] {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertTrue((error as? ScriptError)?.incomplete ?? false, "\(text): \(error)")
            }
        }
        for text in ["let = 1", "print(1))", "1 +* 2", "let x = \"{}\""] {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertFalse((error as? ScriptError)?.incomplete ?? true, "\(text): \(error)")
            }
        }
    }

    func testNestingIsBoundedInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        XCTAssertThrowsError(try parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nesting deeper than"), "\(error)")
        }
        let ok = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        XCTAssertNoThrow(try parse(ok))
        // The documented limit holds for parentheses and brackets: 199 levels parse, 201 do not.
        for (open, close) in [("(", ")"), ("[", "]")] {
            let nested = { (levels: Int) in "let x = " + String(repeating: open, count: levels) + "1" + String(repeating: close, count: levels) }
            XCTAssertNoThrow(try parse(nested(199)), open)
            XCTAssertThrowsError(try parse(nested(201)), open)
        }
    }

    func testAFlatChainOfOperatorsIsNotNesting() throws {
        for op in ["+", "*", "and", "or", "-"] {
            XCTAssertNoThrow(try parse("let x = 1" + String(repeating: " \(op) 1", count: 5000)), op)
        }
    }

    func testTheErrorOfAVeryLongLineShowsOnlyThePartAroundTheColumn() {
        let line = "let x = " + String(repeating: "1 + ", count: 50_000) + "* 2"
        XCTAssertThrowsError(try parse(line)) { error in
            let text = "\(error)"
            XCTAssertLessThan(text.count, 400, text)
            let lines = text.split(separator: "\n")
            XCTAssertTrue(lines[1].hasSuffix("+ 1 + * 2"), text)
            XCTAssertTrue(lines[1].contains("| …1 + 1"), text)
            // The caret sits under the '*'.
            let caretColumn = lines[2].distance(from: lines[2].startIndex, to: lines[2].firstIndex(of: "^")!)
            let starColumn = lines[1].distance(from: lines[1].startIndex, to: lines[1].lastIndex(of: "*")!)
            XCTAssertEqual(caretColumn, starColumn, text)
        }
    }
}
