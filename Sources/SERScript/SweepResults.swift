import Engine
import Foundation

/// The sweep's tables: one row per run — params, status, seconds, then every metric any run
/// reported — and, when a seed axis repeats each combination, the mean ± std of each numeric
/// metric over the seeds' finished runs.
struct SweepResults {
    let axes: [SweepAxis]
    let combinations: [[String]]
    let outcomes: [SweepOutcome]

    private var metricNames: [String] { Array(Set(outcomes.flatMap(\.metrics.keys))).sorted() }

    private var header: [String] { ["run"] + axes.map(\.name) + ["status", "seconds"] + metricNames }

    private var rows: [[String]] {
        let metrics = metricNames
        return zip(combinations, outcomes).enumerated().map { index, pair in
            let (values, outcome) = pair
            let seconds = outcome.status == .notStarted || outcome.status == .running ? "" : String(format: "%.2f", outcome.seconds)
            return [String(index + 1)] + values + [outcome.status.description, seconds]
                + metrics.map { outcome.metrics[$0].map(Self.text) ?? "" }
        }
    }

    func csv() -> String { CSV.table(header: header, rows: rows) }

    func markdown() -> String {
        var text = MarkdownTable.render(header: header, rows: rows)
        if let summary = seedSummary {
            text += "\n## Mean ± std over \(summary.seedCount) seeds (finished runs)\n\n" + summary.markdown()
        }
        return text
    }

    /// The per-combination summary when a seed axis has more than one value.
    var seedSummary: SeedSummary? {
        guard let seedIndex = axes.firstIndex(where: { $0.name == SweepGrid.seedAxis }), axes[seedIndex].values.count > 1 else { return nil }
        return SeedSummary(axes: axes, seedIndex: seedIndex, combinations: combinations, outcomes: outcomes,
                           metricNames: metricNames)
    }

    /// A metric as table text: numbers to 6 significant digits, `null` blank.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): return String(format: "%.6g", number)
        case .string(let string): return string
        case .null: return ""
        default: return value.encoded()
        }
    }
}

/// Mean ± sample standard deviation of each numeric metric over the seeds of each combination.
struct SeedSummary {
    let parameterNames: [String]
    let seedCount: Int
    let metricNames: [String]
    /// One per combination of the other axes: its values, finished/all runs, and per metric the numbers.
    let groups: [(values: [String], finished: Int, runs: Int, numbers: [String: [Double]])]

    init(axes: [SweepAxis], seedIndex: Int, combinations: [[String]], outcomes: [SweepOutcome], metricNames: [String]) {
        parameterNames = axes.enumerated().filter { $0.offset != seedIndex }.map(\.element.name)
        seedCount = axes[seedIndex].values.count
        var order: [[String]] = []
        var byKey: [[String]: (finished: Int, runs: Int, numbers: [String: [Double]])] = [:]
        for (values, outcome) in zip(combinations, outcomes) {
            var key = values
            key.remove(at: seedIndex)
            if byKey[key] == nil { order.append(key) }
            var group = byKey[key] ?? (0, 0, [:])
            group.runs += 1
            if outcome.status == .ok {
                group.finished += 1
                for (name, value) in outcome.metrics {
                    if let number = value.numberValue { group.numbers[name, default: []].append(number) }
                }
            }
            byKey[key] = group
        }
        let groups = order.map { key in
            let group = byKey[key]!
            return (values: key, finished: group.finished, runs: group.runs, numbers: group.numbers)
        }
        self.groups = groups
        self.metricNames = metricNames.filter { name in groups.contains { $0.numbers[name] != nil } }
    }

    static func meanAndStd(_ numbers: [Double]) -> (mean: Double, std: Double?) {
        let mean = numbers.reduce(0, +) / Double(numbers.count)
        guard numbers.count > 1 else { return (mean, nil) }
        let variance = numbers.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(numbers.count - 1)
        return (mean, variance.squareRoot())
    }

    private static func format(_ number: Double) -> String { String(format: "%.6g", number) }

    func csv() -> String {
        let header = parameterNames + ["runs", "finished"] + metricNames.flatMap { ["\($0)_mean", "\($0)_std"] }
        let rows = groups.map { group in
            group.values + [String(group.runs), String(group.finished)] + metricNames.flatMap { name -> [String] in
                guard let numbers = group.numbers[name] else { return ["", ""] }
                let (mean, std) = Self.meanAndStd(numbers)
                return [Self.format(mean), std.map(Self.format) ?? ""]
            }
        }
        return CSV.table(header: header, rows: rows)
    }

    func markdown() -> String {
        let header = parameterNames + ["finished"] + metricNames
        let rows = groups.map { group in
            group.values + ["\(group.finished)/\(group.runs)"] + metricNames.map { name -> String in
                guard let numbers = group.numbers[name] else { return "" }
                let (mean, std) = Self.meanAndStd(numbers)
                return Self.format(mean) + (std.map { " ± " + Self.format($0) } ?? "")
            }
        }
        return MarkdownTable.render(header: header, rows: rows)
    }
}

/// A GitHub-flavoured Markdown table, `|` in cells escaped.
enum MarkdownTable {
    static func render(header: [String], rows: [[String]]) -> String {
        func line(_ fields: [String]) -> String { "| " + fields.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        return ([line(header), line(header.map { _ in "---" })] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
