import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// The scores of one cross-validation run: one fold trained and tested with one seed.
public struct FoldScore: Sendable, Equatable {
    /// The fold's name ("fold 3 (08, 09)", a held-out speaker, …).
    public var fold: String
    /// The seed the recipe ran with.
    public var seed: Int
    /// Weighted accuracy (plain accuracy).
    public var accuracy: Double
    /// Unweighted average recall (balanced accuracy).
    public var uar: Double
    /// Macro-averaged F1.
    public var macroF1: Double
    /// Clips in the test part.
    public var testCount: Int
    /// Wall-clock seconds of the run.
    public var seconds: Double

    /// A score row.
    public init(fold: String, seed: Int, accuracy: Double, uar: Double, macroF1: Double, testCount: Int, seconds: Double) {
        self.fold = fold
        self.seed = seed
        self.accuracy = accuracy
        self.uar = uar
        self.macroF1 = macroF1
        self.testCount = testCount
        self.seconds = seconds
    }
}

/// The metrics a cross-validation aggregates.
public enum FoldMetric: String, CaseIterable, Sendable {
    case accuracy, uar
    case macroF1 = "macro_f1"

    /// The metric's value in a row.
    public func value(in score: FoldScore) -> Double {
        switch self {
        case .accuracy: return score.accuracy
        case .uar: return score.uar
        case .macroF1: return score.macroF1
        }
    }

    /// The column title in tables.
    public var title: String {
        switch self {
        case .accuracy: return "accuracy"
        case .uar: return "UAR"
        case .macroF1: return "macro-F1"
        }
    }
}

/// Per-run scores of a cross-validation (folds × seeds) and their mean ± standard deviation,
/// as a printed table, CSV, Markdown and a plot with one point per fold and seed.
public struct CrossValidationResult: Sendable, Equatable {
    /// The protocol in words ("EmoBox RAVDESS folds", "stratified 5-fold", …).
    public var protocolName: String
    /// One row per fold and seed, in the order run.
    public var scores: [FoldScore]

    /// A result from its rows.
    public init(protocolName: String, scores: [FoldScore]) {
        self.protocolName = protocolName
        self.scores = scores
    }

    /// The mean of `metric` over all runs.
    public func mean(_ metric: FoldMetric) -> Double {
        scores.isEmpty ? .nan : scores.map(metric.value).reduce(0, +) / Double(scores.count)
    }

    /// The sample standard deviation (n − 1) of `metric` over all runs; 0 for a single run.
    public func standardDeviation(_ metric: FoldMetric) -> Double {
        guard scores.count > 1 else { return scores.isEmpty ? .nan : 0 }
        let mean = mean(metric)
        let squares = scores.map { (metric.value(in: $0) - mean) * (metric.value(in: $0) - mean) }
        return (squares.reduce(0, +) / Double(scores.count - 1)).squareRoot()
    }

    /// "3 folds × 2 seeds = 6 runs".
    public var runsDescription: String {
        let folds = Set(scores.map(\.fold)).count, seeds = Set(scores.map(\.seed)).count
        return "\(folds) fold\(folds == 1 ? "" : "s") × \(seeds) seed\(seeds == 1 ? "" : "s") = \(scores.count) run\(scores.count == 1 ? "" : "s")"
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f", value * 100) }

    private func meanCell(_ metric: FoldMetric) -> String {
        "\(percent(mean(metric))) ± \(percent(standardDeviation(metric)))"
    }

    /// Column titles of the table.
    public var header: [String] { ["fold", "seed"] + FoldMetric.allCases.map { "\($0.title) %" } + ["test clips", "seconds"] }

    /// One table row per run (percentages).
    public var rows: [[String]] {
        scores.map { score in
            [score.fold, String(score.seed)] + FoldMetric.allCases.map { percent($0.value(in: score)) }
                + [String(score.testCount), String(format: "%.1f", score.seconds)]
        }
    }

    /// The "mean ± std" row.
    public var summaryRow: [String] {
        ["mean ± std", ""] + FoldMetric.allCases.map(meanCell) + ["", String(format: "%.1f", scores.map(\.seconds).reduce(0, +))]
    }

    /// An aligned text table with the summary line, for printing.
    public var table: String {
        let all = [header] + rows + [summaryRow]
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { column, text in
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return column == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([protocolName + " — " + runsDescription, line(header), rule] + rows.map(line) + [rule, line(summaryRow)])
            .joined(separator: "\n")
    }

    /// Every run as a CSV row (metrics as fractions), then the mean and std rows.
    public var csv: String {
        let metricColumns = FoldMetric.allCases.map(\.rawValue)
        var lines = scores.map { score in
            [score.fold, String(score.seed)] + FoldMetric.allCases.map { CSV.number($0.value(in: score)) }
                + [String(score.testCount), CSV.number(score.seconds)]
        }
        lines.append(["mean", ""] + FoldMetric.allCases.map { CSV.number(mean($0)) } + ["", ""])
        lines.append(["std", ""] + FoldMetric.allCases.map { CSV.number(standardDeviation($0)) } + ["", ""])
        return CSV.table(header: ["fold", "seed"] + metricColumns + ["test_clips", "seconds"], rows: lines)
    }

    /// The table in Markdown (percentages), the summary row in bold, the protocol above it.
    public var markdown: String {
        func line(_ fields: [String]) -> String { "| " + fields.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        let alignment = "|---|---:|" + String(repeating: "---:|", count: header.count - 2)
        let summary = summaryRow.enumerated().map { $0.offset == 0 || !$0.element.isEmpty ? "**\($0.element)**" : "" }
        return (["**\(protocolName)**, \(runsDescription); mean ± sample standard deviation over all runs.", "",
                 line(header), alignment] + rows.map(line) + [line(summary)]).joined(separator: "\n") + "\n"
    }
}
