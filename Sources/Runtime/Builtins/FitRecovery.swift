import Engine
import Foundation

/// What makes a `fit` survive a kill and say how it ended: its automatic per-epoch checkpoint in the
/// run folder, the checkpoint `serscript resume` continues from, and the note a cut-short `fit`
/// leaves for the run's outcome.
enum FitRecovery {
    /// `checkpoint:` as given — a path, `{path:, every:}`, or `false` for none — or, when not given,
    /// `checkpoints/fit-N.safetensors` in the run folder every epoch (N counts the run's `fit` calls).
    static func policy(_ a: Arguments, _ name: String, classNames: [String]) throws -> CheckpointPolicy? {
        let output = a.interpreter.output
        output.fitCalls += 1
        if case .bool(let wanted) = a[name] {
            if wanted { throw BuiltinError("fit: checkpoint: true is not a path; give a path, {path:, every:}, or false for none") }
            return nil
        }
        guard a.isNil(name) else { return try explicitPolicy(a, name, classNames: classNames) }
        return CheckpointPolicy(path: try RunPaths.output("checkpoints/fit-\(output.fitCalls).safetensors", a.interpreter),
                                classNames: classNames)
    }

    /// `checkpoint: "path"` or `{path: "…", every: 5}`.
    private static func explicitPolicy(_ a: Arguments, _ name: String, classNames: [String]) throws -> CheckpointPolicy {
        if case .string(let path) = a[name] {
            return CheckpointPolicy(path: try RunPaths.output(path, a.interpreter), classNames: classNames)
        }
        let settings = try a.dict(name)
        guard case .string(let path)? = settings[.string("path")] else {
            throw BuiltinError("fit: checkpoint must be a path, {path: \"…\", every: N} or false")
        }
        let every = settings[.string("every")].flatMap { $0.asDouble }.map { Int($0) } ?? 1
        return CheckpointPolicy(path: try RunPaths.output(path, a.interpreter), every: every, classNames: classNames)
    }

    /// The checkpoint to continue from: `resume:` as given, else — in a run continued by
    /// `serscript resume` — this `fit`'s own checkpoint if the killed run got as far as writing one.
    static func resumePath(_ a: Arguments, _ name: String, policy: CheckpointPolicy?) throws -> String? {
        if !a.isNil(name) { return try RunPaths.input(try a.string(name), a.interpreter) }
        guard a.interpreter.output.resuming, let path = policy?.path, FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// `on_nan:` — "stop" (default) or "skip".
    static func nonFiniteLossPolicy(_ a: Arguments, _ name: String) throws -> NonFiniteLossPolicy {
        let name = try a.string(name)
        guard let policy = NonFiniteLossPolicy(rawValue: name) else {
            throw BuiltinError("fit: on_nan must be \"stop\" or \"skip\", got \"\(name)\"")
        }
        return policy
    }

    /// Records a `fit` that stopped short while the script carries on, so the run does not end as
    /// "completed": Ctrl-C makes it "interrupted", a non-finite loss "diverged" (kept if both happen).
    static func noteStop(_ history: History, _ output: RunOutput) {
        if let point = history.divergedAt, history.stopReason == .diverged {
            output.trainingStop = ("diverged", "fit #\(output.fitCalls) diverged: \(point.summary)")
        } else if history.interrupted, !Interruption.isTerminating, output.trainingStop?.outcome != "diverged" {
            let point = history.interruptedAt.map { " during epoch \($0.epoch) after \($0.batches) batches" } ?? ""
            output.trainingStop = ("interrupted", "fit #\(output.fitCalls) was stopped by Ctrl-C\(point); the script carried on")
        }
    }
}
