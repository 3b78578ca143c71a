import Engine
import Foundation
import Runtime

/// `serscript sweep FILE --grid a=1,2 --grid b=x,y [--seeds 1,2] [--jobs N]`: one child process per
/// combination (`--set` each value, `--seed` the run's seed, `--out` its own folder), then a results
/// table of params, status and the metrics each run reported with `report(...)`. Every run gets the
/// same seed (`--seed`, else one drawn for the sweep) unless a seed axis gives each its own, so the
/// grid's runs differ only in the swept params. The sweep owns its runs: SIGINT, SIGTERM or SIGHUP
/// stops every one of them and still writes the tables (see `SweepSupervisor`). Runs go to whichever
/// worker is free (`DynamicTasks`); under mpirun the workers are on every rank and rank 0 writes the tables.
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
        let world = Cluster.world
        let root: String, seed: UInt64
        do { (root, seed) = try agreedFolderAndSeed(world) } catch {
            ScriptRunner.report(error)
            return ExitStatus.scriptError
        }
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            ScriptRunner.report(UsageError(description: "cannot create \(root): \(error.localizedDescription)"))
            return ExitStatus.scriptError
        }
        // Without --threads the cores are shared out: `jobs` children (per rank on this machine) each with all cores' BLAS threads oversubscribe.
        let threads = options.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount / (jobs * Cluster.processesOnThisMachine))
        let seedIsParam = program.parameters.contains { $0.name == SweepGrid.seedAxis }
        let seeds = grid.contains { $0.name == SweepGrid.seedAxis } ? "a seed per run" : "seed \(seed)"
        let ranks = world.size > 1 ? " on \(world.size) ranks" : ""
        if world.rank == 0 {
            print("sweep: \(combinations.count) runs of \(path) into \(root)\(ranks) (\(jobs) at a time\(ranks.isEmpty ? "" : " per rank"), \(threads) thread\(threads == 1 ? "" : "s") each, \(seeds))")
            fflush(stdout)
        }

        let supervisor = SweepSupervisor()
        let tasks = DynamicTasks(count: combinations.count, communicator: world, slots: jobs)
        var outcomes = Array(repeating: SweepOutcome(), count: combinations.count)
        let width = String(combinations.count).count
        func folder(_ index: Int) -> String {
            root + "/run-" + String(repeating: "0", count: width - String(index + 1).count) + String(index + 1)
        }
        // Rank 0, one result at a time: the line, the log of a run from a rank without a shared
        // file system, and the tables so far (a sweep killed outright still leaves them).
        let finished = { (index: Int, message: [UInt8], rank: Int) in
            let outcome = SweepOutcome(message: message)
            outcomes[index] = outcome
            guard outcome.status != .notStarted else { return }
            if let log = outcome.logTail, !FileManager.default.fileExists(atPath: folder(index) + "/log.txt") {
                try? FileManager.default.createDirectory(atPath: folder(index), withIntermediateDirectories: true)
                try? log.write(toFile: folder(index) + "/log.txt", atomically: true, encoding: .utf8)
            }
            let note = outcome.status == .ok ? "" : " (see \(folder(index))/log.txt)"
            print("  run \(index + 1)/\(combinations.count) " + zip(grid, combinations[index]).map { "\($0.name)=\($1)" }.joined(separator: " ")
                  + ": \(outcome.status)\(note)" + (world.size > 1 ? " [rank \(rank)]" : ""))
            fflush(stdout)
            var sofar = outcomes
            for (running, _) in tasks.outstanding { sofar[running].status = .running }
            try? writeTables(SweepResults(axes: grid, combinations: combinations, outcomes: sofar), root: root)
        }
        var failure: Error?
        supervisor.whileHandlingSignals {
            do {
                _ = try tasks.run(stopping: { supervisor.stoppedBy != nil }, finished: finished) { index in
                    let arguments = childArguments(combinations[index], folder: folder(index), seed: seed, threads: threads,
                                                   seedIsParam: seedIsParam)
                    let outcome = runOne(arguments, folder: folder(index), supervisor: supervisor)
                    return outcome.message(logFile: world.rank == 0 ? nil : folder(index) + "/log.txt")
                }
            } catch { failure = error }
        }
        if let failure {
            ScriptRunner.report(failure)
            return ExitStatus.scriptError
        }
        guard world.rank == 0 else { return supervisor.stoppedBy.map { 128 + $0 } ?? 0 }
        // Runs another rank was still running when the sweep stopped and never reported.
        for (index, _) in tasks.outstanding { outcomes[index].status = .interrupted }
        let table = SweepResults(axes: grid, combinations: combinations, outcomes: outcomes)
        do { try writeTables(table, root: root) } catch {
            ScriptRunner.report(UsageError(description: "cannot write the results into \(root): \(error.localizedDescription)"))
            return ExitStatus.scriptError
        }
        print("\n" + table.markdown())
        print("results: \(root)/results.csv, \(root)/results.md" + (table.seedSummary == nil ? "" : ", \(root)/summary.csv"))
        if let signal = supervisor.stoppedBy { return 128 + signal }
        return outcomes.allSatisfy { $0.status == .ok } ? 0 : ExitStatus.scriptError
    }

    /// The sweep's folder and seed: under mpirun every rank runs the sweep, and rank 0's are everyone's.
    private func agreedFolderAndSeed(_ world: any Communicator) throws -> (root: String, seed: UInt64) {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let proposed = options.out ?? "runs/sweep-\(ScriptRunner.scriptName(path))-\(formatter.string(from: Date()))"
        let root = String(decoding: try world.broadcast(Array(proposed.utf8), from: 0), as: UTF8.self)
        return (root, try world.broadcast(options.seed ?? ScriptRunner.drawSeed()))
    }

    private func writeTables(_ table: SweepResults, root: String) throws {
        try table.csv().write(toFile: root + "/results.csv", atomically: true, encoding: .utf8)
        try table.markdown().write(toFile: root + "/results.md", atomically: true, encoding: .utf8)
        if let summary = table.seedSummary {
            try summary.csv().write(toFile: root + "/summary.csv", atomically: true, encoding: .utf8)
        }
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
}
