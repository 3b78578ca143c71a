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
