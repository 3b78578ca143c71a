import Foundation
import Runtime

/// `serscript sweep FILE --grid a=1,2 --grid b=x,y [--jobs N]`: one child process per combination
/// (`--set` each value, `--out` its own folder), then a results table of params, status and the
/// metrics each run reported with `report(...)`. Every run gets the same seed (`--seed`, else one
/// drawn for the sweep), so the grid's runs differ only in the swept params.
struct Sweep {
    let path: String
    let grid: [SweepAxis]
    let jobs: Int
    let options: RunOptions

    struct Outcome {
        var status: Int32 = -1
        var seconds = 0.0
        var metrics: [String: String] = [:]
    }

    func run() -> Int32 {
        do {
            let program = try Program.parse(try ScriptRunner.load(.file(path)))
            var checked = options
            checked.overrides += grid.filter { $0.name != SweepGrid.seedAxis }.map { ($0.name, $0.values[0]) }
            try ScriptRunner.checkOverrides(checked, against: program)
            try SweepGrid.check(grid, against: program)
        } catch {
            ScriptRunner.report(error)
            return error is UsageError ? 2 : 1
        }
        let combinations = grid.reduce([[String]]([[]])) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [$0] } }
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let root = options.out ?? "runs/sweep-\(ScriptRunner.scriptName(path))-\(formatter.string(from: Date()))"
        do { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) } catch {
            ScriptRunner.report(UsageError(description: "cannot create \(root): \(error.localizedDescription)"))
            return 1
        }
        let seed = options.seed ?? ScriptRunner.drawSeed()
        print("sweep: \(combinations.count) runs of \(path) into \(root) (\(jobs) at a time, seed \(seed))")
        fflush(stdout)
        let outcomes = Outcomes(count: combinations.count)
        let width = String(combinations.count).count
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: jobs) { worker in
            var index = worker
            while index < combinations.count {
                let folder = root + "/run-" + String(repeating: "0", count: width - String(index + 1).count) + String(index + 1)
                let outcome = runOne(combinations[index], folder: folder, seed: seed)
                outcomes.set(index, outcome)
                lock.lock()
                let state = outcome.status == 0 ? "ok" : "FAILED (exit \(outcome.status), see \(folder)/log.txt)"
                print("  run \(index + 1)/\(combinations.count) " + zip(grid, combinations[index]).map { "\($0.name)=\($1)" }.joined(separator: " ") + ": \(state)")
                fflush(stdout)
                lock.unlock()
                index += jobs
            }
        }
        let table = ResultsTable(parameterNames: grid.map(\.name), combinations: combinations, outcomes: outcomes.all)
        do {
            try table.csv().write(toFile: root + "/results.csv", atomically: true, encoding: .utf8)
            try table.markdown().write(toFile: root + "/results.md", atomically: true, encoding: .utf8)
        } catch {
            ScriptRunner.report(UsageError(description: "cannot write the results into \(root): \(error.localizedDescription)"))
            return 1
        }
        print("\n" + table.markdown())
        print("results: \(root)/results.csv, \(root)/results.md")
        return outcomes.all.allSatisfy { $0.status == 0 } ? 0 : 1
    }

    private func runOne(_ values: [String], folder: String, seed: UInt64) -> Outcome {
        var outcome = Outcome()
        var arguments = [path]
        var runSeed = String(seed)
        for (name, value) in zip(grid.map(\.name), values) {
            if name == SweepGrid.seedAxis { runSeed = value } else { arguments += ["--set", "\(name)=\(value)"] }
        }
        for override in options.overrides { arguments += ["--set", "\(override.name)=\(override.value)"] }
        arguments += ["--seed", runSeed]
        if let threads = options.threads { arguments += ["--threads", String(threads)] }
        arguments += ["--out", folder]
        let start = Date()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: folder + "/log.txt", contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/log.txt"))
            defer { try? log.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
                process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            }
            process.arguments = arguments
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            outcome.status = process.terminationStatus
        } catch {
            outcome.status = 127
        }
        outcome.seconds = Date().timeIntervalSince(start)
        if let data = FileManager.default.contents(atPath: folder + "/metrics.json"),
           let json = try? JSONDecoder().decode([String: Metric].self, from: data) {
            for (key, value) in json { outcome.metrics[key] = value.text }
        }
        return outcome
    }

    /// Outcomes written from worker threads.
    final class Outcomes: @unchecked Sendable {
        private var values: [Outcome]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: Outcome(), count: count) }
        func set(_ index: Int, _ outcome: Outcome) {
            lock.lock()
            values[index] = outcome
            lock.unlock()
        }
        var all: [Outcome] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }
}

/// The sweep's table: one row per run — params, status, seconds, then every metric any run reported.
struct ResultsTable {
    let parameterNames: [String]
    let combinations: [[String]]
    let outcomes: [Sweep.Outcome]

    private var metricNames: [String] {
        Array(Set(outcomes.flatMap(\.metrics.keys))).sorted()
    }

    private var rows: [[String]] {
        let metrics = metricNames
        return zip(combinations, outcomes).enumerated().map { index, pair in
            let (values, outcome) = pair
            return [String(index + 1)] + values + [outcome.status == 0 ? "ok" : "failed (exit \(outcome.status))",
                                                   String(format: "%.2f", outcome.seconds)] + metrics.map { outcome.metrics[$0] ?? "" }
        }
    }

    private var header: [String] { ["run"] + parameterNames + ["status", "seconds"] + metricNames }

    func csv() -> String {
        func escape(_ field: String) -> String {
            field.contains(",") || field.contains("\"") || field.contains("\n")
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }
        return ([header] + rows).map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    func markdown() -> String {
        func line(_ fields: [String]) -> String { "| " + fields.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// One value of metrics.json, as table text.
struct Metric: Decodable {
    let text: String

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else if let integer = try? container.decode(Int.self) {
            text = String(integer)
        } else if let number = try? container.decode(Double.self) {
            text = String(format: "%.6g", number)
        } else if let string = try? container.decode(String.self) {
            text = string
        } else if container.decodeNil() {
            text = ""
        } else if let list = try? container.decode([Metric].self) {
            text = "[" + list.map(\.text).joined(separator: ", ") + "]"
        } else {
            text = "?"
        }
    }
}
