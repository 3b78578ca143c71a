import Engine
import Foundation
import Runtime

/// `serscript sweep FILE --grid a=1,2 --grid b=x,y [--seeds 1,2] [--jobs N]`: one child process per
/// combination (`--set` each value, `--seed` the run's seed, `--out` its own folder), then a results
/// table of params, status and the metrics each run reported with `report(...)`. Every run gets the
/// same seed (`--seed`, else one drawn for the sweep) unless a seed axis gives each its own, so the
/// grid's runs differ only in the swept params. The sweep owns its runs: SIGINT, SIGTERM or SIGHUP
/// stops every one of them and still writes the tables (see `SweepSupervisor`).
struct Sweep {
    let path: String
    let grid: [SweepAxis]
    let jobs: Int
    let options: RunOptions

    func run() -> Int32 {
        let program: Program
        do {
            program = try Program.parse(try ScriptRunner.load(.file(path)))
            var checked = options
            checked.overrides += grid.filter { $0.name != SweepGrid.seedAxis }.map { ($0.name, $0.values[0]) }
            try ScriptRunner.checkOverrides(checked, against: program)
            try SweepGrid.check(grid, against: program)
        } catch {
            ScriptRunner.report(error)
            return error is UsageError ? ExitStatus.usage : ExitStatus.scriptError
        }
        let combinations = grid.reduce([[String]]([[]])) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [$0] } }
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let root = options.out ?? "runs/sweep-\(ScriptRunner.scriptName(path))-\(formatter.string(from: Date()))"
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            ScriptRunner.report(UsageError(description: "cannot create \(root): \(error.localizedDescription)"))
            return ExitStatus.scriptError
        }
        let seed = options.seed ?? ScriptRunner.drawSeed()
        // Without --threads the cores are shared out: `jobs` children each with all cores' BLAS threads oversubscribe.
        let threads = options.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
        let seedIsParam = program.parameters.contains { $0.name == SweepGrid.seedAxis }
        let seeds = grid.contains { $0.name == SweepGrid.seedAxis } ? "a seed per run" : "seed \(seed)"
        print("sweep: \(combinations.count) runs of \(path) into \(root) (\(jobs) at a time, \(threads) thread\(threads == 1 ? "" : "s") each, \(seeds))")
        fflush(stdout)

        let supervisor = SweepSupervisor()
        let outcomes = Outcomes(count: combinations.count)
        let width = String(combinations.count).count
        let printLock = NSLock()
        supervisor.whileHandlingSignals {
            DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                for index in stride(from: worker, to: combinations.count, by: jobs) {
                    let folder = root + "/run-" + String(repeating: "0", count: width - String(index + 1).count) + String(index + 1)
                    let arguments = childArguments(combinations[index], folder: folder, seed: seed, threads: threads,
                                                   seedIsParam: seedIsParam)
                    let outcome = runOne(arguments, folder: folder, supervisor: supervisor)
                    outcomes.set(index, outcome)
                    guard outcome.status != .notStarted else { continue }
                    printLock.lock()
                    let note = outcome.status == .ok ? "" : " (see \(folder)/log.txt)"
                    print("  run \(index + 1)/\(combinations.count) " + zip(grid, combinations[index]).map { "\($0.name)=\($1)" }.joined(separator: " ")
                          + ": \(outcome.status)\(note)")
                    fflush(stdout)
                    printLock.unlock()
                }
            }
        }
        let table = SweepResults(axes: grid, combinations: combinations, outcomes: outcomes.all)
        do {
            try table.csv().write(toFile: root + "/results.csv", atomically: true, encoding: .utf8)
            try table.markdown().write(toFile: root + "/results.md", atomically: true, encoding: .utf8)
            if let summary = table.seedSummary {
                try summary.csv().write(toFile: root + "/summary.csv", atomically: true, encoding: .utf8)
            }
        } catch {
            ScriptRunner.report(UsageError(description: "cannot write the results into \(root): \(error.localizedDescription)"))
            return ExitStatus.scriptError
        }
        print("\n" + table.markdown())
        print("results: \(root)/results.csv, \(root)/results.md" + (table.seedSummary == nil ? "" : ", \(root)/summary.csv"))
        if let signal = supervisor.stoppedBy { return 128 + signal }
        return outcomes.all.allSatisfy { $0.status == .ok } ? 0 : ExitStatus.scriptError
    }

    /// A seed axis seeds the run (`--seed`), and also sets the script's own `param seed` if it has one.
    private func childArguments(_ values: [String], folder: String, seed: UInt64, threads: Int, seedIsParam: Bool) -> [String] {
        var arguments = [path]
        var runSeed = String(seed)
        for (name, value) in zip(grid.map(\.name), values) {
            if name == SweepGrid.seedAxis { runSeed = value }
            if name != SweepGrid.seedAxis || seedIsParam { arguments += ["--set", "\(name)=\(value)"] }
        }
        for override in options.overrides { arguments += ["--set", "\(override.name)=\(override.value)"] }
        return arguments + ["--seed", runSeed, "--threads", String(threads), "--out", folder]
    }

    private func runOne(_ arguments: [String], folder: String, supervisor: SweepSupervisor) -> SweepOutcome {
        var outcome = SweepOutcome()
        let start = Date()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            outcome.status = .failed(127)
            return outcome
        }
        outcome.status = supervisor.run(ChildProcess.currentExecutable, arguments, log: folder + "/log.txt")
        if outcome.status == .notStarted {
            try? FileManager.default.removeItem(atPath: folder)
            return outcome
        }
        outcome.seconds = Date().timeIntervalSince(start)
        outcome.metrics = SweepOutcome.metrics(in: folder)
        outcome.status = outcome.status.refined(byRecordedOutcome: SweepOutcome.recordedOutcome(in: folder))
        return outcome
    }

    /// Outcomes written from worker threads.
    final class Outcomes: @unchecked Sendable {
        private var values: [SweepOutcome]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: SweepOutcome(), count: count) }
        func set(_ index: Int, _ outcome: SweepOutcome) {
            lock.lock()
            values[index] = outcome
            lock.unlock()
        }
        var all: [SweepOutcome] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }
}
