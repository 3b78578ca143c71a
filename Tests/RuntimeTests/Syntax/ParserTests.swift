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
    }
}
