import Runtime
import XCTest

final class InterpreterTests: XCTestCase {
    func testTopLevelPersistsAcrossInputsLikeTheRepl() {
        let interpreter = Interpreter()
        XCTAssertNil(ScriptHarness.run("let xs = [1, 2]\nfn total() = sum(xs)", interpreter: interpreter).error)
        let outcome = ScriptHarness.run("xs.append(3)\ntotal()", interpreter: interpreter)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.value?.repr, "6")
        XCTAssertEqual(interpreter.globalNames, ["total", "xs"])
        XCTAssertEqual(interpreter.global("xs")?.repr, "[1, 2, 3]")
    }

    func testDeepRecursionIsAnErrorNotACrash() {
        let outcome = ScriptHarness.run("fn down(n) = 0 if n == 0 else 1 + down(n - 1)\nprint(down(500))\ndown(100000)")
        XCTAssertEqual(outcome.output, "500\n")
        let error = outcome.error as? ScriptError
        XCTAssertEqual(error?.kind, .runtime)
        XCTAssertTrue(error?.message.contains("too many nested calls") ?? false, "\(String(describing: outcome.error))")
        XCTAssertTrue(error?.description.contains("in fn down called at test.sers:1:") ?? false)
    }

    func testInterruptStopsLoopsAndCalls() {
        final class Box: @unchecked Sendable { var outcome = ScriptHarness.Outcome() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            box.outcome = ScriptHarness.run("let n = 0\nwhile true { n += 1 }")
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.2)
        Interrupt.request()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertEqual((box.outcome.error as? ScriptError)?.kind, .interrupted)
        XCTAssertFalse(Interrupt.isRequested, "the request is consumed")
    }

    func testParameterOverridesFollowTheDefaultsType() throws {
        XCTAssertEqual(try ParameterOverride.convert("5", like: .int(3)).repr, "5")
        XCTAssertEqual(try ParameterOverride.convert("5", like: .float(0.5)).repr, "5.0")
        XCTAssertEqual(try ParameterOverride.convert("5", like: .string("a")).repr, "\"5\"")
        XCTAssertEqual(try ParameterOverride.convert("true", like: .bool(false)).repr, "true")
        XCTAssertEqual(try ParameterOverride.convert("[1, -2.5, \"x\"]", like: .null).repr, "[1, -2.5, \"x\"]")
        XCTAssertEqual(try ParameterOverride.convert("data/demo", like: .null).repr, "\"data/demo\"")
        XCTAssertThrowsError(try ParameterOverride.convert("2.5", like: .int(1)))
        XCTAssertThrowsError(try ParameterOverride.convert("yes", like: .bool(true)))
        let outcome = ScriptHarness.run("param lr = 0.1\nparam tag = \"a\"\nprint(lr * 2, tag)", overrides: ["lr": "0.5", "tag": "7"])
        XCTAssertEqual(outcome.output, "1.0 7\n")
    }

    func testCompletionSeesGlobalsBuiltinsKeywordsAndMethods() {
        let interpreter = Interpreter()
        _ = ScriptHarness.run("let samples = [1]\nlet config = {lr: 1, layers: 2}", interpreter: interpreter)
        XCTAssertEqual(interpreter.completions(for: "sam"), ["samples"])
        XCTAssertTrue(interpreter.completions(for: "pri").contains("print"))
        XCTAssertEqual(interpreter.completions(for: "whi"), ["while"])
        XCTAssertEqual(interpreter.completions(for: "samples.ap"), ["samples.append"])
        XCTAssertEqual(interpreter.completions(for: "config.l"), ["config.layers", "config.lr"])
        XCTAssertEqual(interpreter.completions(for: "nothing.x"), [])
    }

    func testClosuresCaptureVariablesByReference() {
        let outcome = ScriptHarness.run("""
        fn make() {
            let fns = []
            let total = 0
            for i in range(3) { fns.append(fn() = total + i) }
            total = 100
            return fns
        }
        print(map(fn(f) = f(), make()))
        """)
        XCTAssertNil(outcome.error)
        XCTAssertEqual(outcome.output, "[102, 102, 102]\n", "one frame per call: closures see the final values")
    }
}
