import Engine
import Foundation

/// What `fit` returns: one record per epoch (losses, accuracies, learning rate, time), why it
/// stopped, and the best epoch.
public final class HistoryValue: ScriptObject {
    public let history: History
    init(_ history: History) { self.history = history }

    public var typeName: String { "History" }
    public var summary: String {
        "History(\(history.epochs.count) epochs, \(history.stopReason.rawValue)\(history.bestEpoch.map { ", best epoch \($0)" } ?? ""))"
    }
    public var details: String {
        var rows = [["epoch", "train loss", "train acc", "val loss", "val acc", "lr", "seconds"]]
        for record in history.epochs {
            rows.append([String(record.epoch), fixed(record.trainLoss), percent(record.trainAccuracy),
                         record.validationLoss.map(fixed) ?? "-", record.validationAccuracy.map(percent) ?? "-",
                         "\(Float(record.learningRate))", String(format: "%.1f", record.seconds)])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in zip(row, widths).map { String(repeating: " ", count: $1 - $0.count) + $0 }.joined(separator: "  ") }
        return ([summary] + lines).joined(separator: "\n")
    }

    private func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
    private func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// The column `name` of every epoch (NaN where a run had no validation data).
    func column(_ name: String) -> [Double] {
        history.epochs.map { record in record.columns.first { $0.0 == name }?.1 ?? .nan }
    }

    /// The loss or accuracy curves as an SVG chart.
    func chart(_ metric: String) throws -> LineChart {
        switch metric {
        case "loss": return history.lossChart
        case "accuracy", "acc": return history.accuracyChart
        default: throw BuiltinError("plot_history: metric must be \"loss\" or \"accuracy\", got \"\(metric)\"")
        }
    }
}
