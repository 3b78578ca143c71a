import Foundation
import Runtime

/// Runs script text in-process (on a large stack, as the CLI does) and collects what it printed.
enum ScriptHarness {
    struct Outcome {
        var output = ""
        var error: Error?
        /// The value of the last expression, as the REPL would show it.
        var value: Value?
    }

    static func run(_ text: String, overrides: [String: String] = [:], interpreter: Interpreter = Interpreter()) -> Outcome {
        LargeStack.run {
            var outcome = Outcome()
            interpreter.write = { outcome.output += $0 }
            interpreter.parameterOverrides = overrides
            do { outcome.value = try interpreter.evaluate(text, name: "test.sers") } catch { outcome.error = error }
            return outcome
        }
    }
}
