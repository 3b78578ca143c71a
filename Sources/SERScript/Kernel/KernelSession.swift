import Engine
import Foundation
import Runtime

/// The interpreter behind a notebook: one top level across cells (as in the REPL), the execution
/// counter and the input history. Code runs on a large-stack thread so the kernel's main thread
/// keeps serving the control channel (interrupts, shutdown) meanwhile.
final class KernelSession: @unchecked Sendable {
    let interpreter: Interpreter
    private(set) var executionCount = 0
    /// Every stored input as `(execution count, code)`, oldest first.
    private(set) var history: [(line: Int, input: String)] = []

    init(options: RunOptions) {
        interpreter = ScriptRunner.makeInterpreter(options, scriptName: "notebook", script: nil)
        interpreter.output.scriptText = ""
    }

    /// Advances the counter and remembers the input when it goes into the history (as IPython,
    /// `store_history: false` leaves the counter alone).
    func count(_ code: String, storeHistory: Bool) -> Int {
        if storeHistory {
            executionCount += 1
            history.append((executionCount, code))
        }
        // The run folder keeps every cell run, in order, as its script.
        interpreter.output.scriptText = (interpreter.output.scriptText ?? "") + "# %% In[\(executionCount)]\n\(code)\n\n"
        return executionCount
    }

    /// Starts `code` on a large-stack thread; `done` is called there with the last expression's value or the error.
    func start(_ code: String, name: String, done: @escaping (Result<Value?, Error>) -> Void) {
        Interrupt.clear()
        LargeStack.start { [interpreter] in
            done(Result { try interpreter.evaluate(code, name: name) })
        }
    }

    /// Ends the run folder (if the notebook wrote one) with its params and outcome; the exit status.
    func finish() -> Int32 { RunEnding.endSession(interpreter) }
}
