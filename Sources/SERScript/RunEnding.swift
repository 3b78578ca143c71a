import Engine
import Foundation
import Runtime

/// How a script run ended: the outcome `run.json` records, the error or note beside it, and the
/// exit status — 0 completed, 1 failed or diverged, 2 bad usage, 130 interrupted (Ctrl-C),
/// 128 + N terminated by signal N (143 for SIGTERM, 129 for SIGHUP), as shells report signal deaths.
struct RunEnding {
    let outcome: String
    let error: String?
    let status: Int32

    /// The ending of a run that finished (`error` nil) or stopped with `error`.
    init(error: Error?, output: RunOutput) {
        if let error {
            if (error as? ScriptError)?.kind == .interrupted {
                if let signal = Interruption.terminationSignal {
                    (outcome, status) = ("terminated", 128 + signal)
                } else {
                    (outcome, status) = ("interrupted", ExitStatus.interrupted)
                }
            } else {
                (outcome, status) = ("failed", error is UsageError ? ExitStatus.usage : ExitStatus.scriptError)
            }
            self.error = "\(error)"
        } else if let stop = output.trainingStop {
            (outcome, self.error) = (stop.outcome, stop.note)
            status = stop.outcome == "interrupted" ? ExitStatus.interrupted : ExitStatus.scriptError
        } else {
            (outcome, self.error, status) = ("completed", nil, 0)
        }
    }

    /// Ends an interactive session's run folder (the REPL's, a notebook kernel's), if it made one,
    /// with its params, outcome and report: "completed" when the user left, "terminated" after
    /// SIGTERM or SIGHUP (exit status 128 + the signal). Leaving normally is success even if some
    /// input failed or a `fit` was cut short (run.json says so).
    static func endSession(_ interpreter: Interpreter) -> Int32 {
        let error: Error? = Interruption.isTerminating ? InterruptedError() : nil
        let ending = RunEnding(error: error.map { ScriptError(.interrupted, "\($0)", at: nil) }, output: interpreter.output)
        ending.record(interpreter.output, parameters: interpreter.parameterValues)
        return error == nil ? 0 : ending.status
    }

    /// Writes the ending into the run folder (if the run made one) and says where it is when the run
    /// was stopped or diverged, so its results are easy to find (a failure's error already says why).
    func record(_ output: RunOutput, parameters: [String: Value]) {
        do {
            try output.finish(parameters: parameters, outcome: outcome, error: error)
        } catch {
            fputs("serscript: could not finish the run folder: \(error)\n", stderr)
        }
        if !["completed", "failed"].contains(outcome), output.isCreated, let folder = try? output.directory() {
            fputs("serscript: run \(outcome); what it wrote is kept in \(folder)\n", stderr)
        }
    }
}
