import Engine
import Foundation

/// How one run of a sweep went: its status, wall time and the metrics it reported.
struct SweepOutcome {
    enum Status: Equatable, CustomStringConvertible {
        case ok
        case failed(Int32)
        /// Stopped because the sweep was interrupted (or the run's own script was).
        case interrupted
        /// Killed by a signal the sweep did not send (the OOM killer's SIGKILL, a `kill` from elsewhere).
        case killed(Int32)
        case notStarted
        /// Handed to another rank whose result has not come back yet (tables written mid-sweep).
        case running
        /// The run's training loss stopped being finite (its run.json says `diverged`).
        case diverged
        /// The run was ended by SIGTERM or SIGHUP from outside the sweep (its run.json says `terminated`).
        case terminated

        init(_ ending: ChildProcess.Ending, stopping: Bool) {
            switch ending {
            case .exited(0): self = .ok
            case .exited(ExitStatus.interrupted): self = .interrupted
            // A child that caught the sweep's SIGTERM and exited 128+15 was stopped by the sweep all the same.
            case .exited(let status) where stopping && status > 128: self = .interrupted
            case .exited(let status): self = .failed(status)
            case .signalled(let number): self = stopping ? .interrupted : .killed(number)
            }
        }

        var description: String {
            switch self {
            case .ok: return "ok"
            case .failed(let status): return "failed (exit \(status))"
            case .interrupted: return "interrupted"
            case .killed(let signal): return "killed by signal \(signal)"
            case .notStarted: return "not started"
            case .running: return "running"
            case .diverged: return "diverged"
            case .terminated: return "terminated"
            }
        }

        /// A failure told apart by the outcome the run recorded in its `run.json`.
        func refined(byRecordedOutcome recorded: String?) -> Status {
            guard case .failed = self else { return self }
            switch recorded {
            case "diverged": return .diverged
            case "terminated": return .terminated
            case "interrupted": return .interrupted
            default: return self
            }
        }
    }

    var status = Status.notStarted
    var seconds = 0.0
    var metrics: [String: JSONValue] = [:]
    /// The end of the run's log, when another rank ran it (see `SweepOutcomeMessage`).
    var logTail: String?

    /// The `outcome` the run recorded in its `run.json`, if it wrote one.
    static func recordedOutcome(in folder: String) -> String? {
        guard let text = try? String(contentsOfFile: folder + "/run.json", encoding: .utf8),
              case .string(let outcome)? = (try? JSONValue.parse(text))?.objectValue?["outcome"] else { return nil }
        return outcome
    }

    /// The run's `metrics.json`, if it wrote one.
    static func metrics(in folder: String) -> [String: JSONValue] {
        guard let text = try? String(contentsOfFile: folder + "/metrics.json", encoding: .utf8),
              let members = (try? JSONValue.parse(text))?.objectValue else { return [:] }
        return members
    }
}
