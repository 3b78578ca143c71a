import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Precision, recall, F1 and support of one class.
public struct ClassScores: Sendable, Equatable {
    /// Class name.
    public var name: String
    /// Correct predictions of the class / all predictions of it (0 when never predicted, as sklearn).
    public var precision: Double
    /// Correct predictions of the class / its true clips (0 when it has none).
    public var recall: Double
    /// Harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double
    /// Number of true clips of the class.
    public var support: Int
}

/// Evaluation of integer predictions against integer labels: accuracy, unweighted average recall,
/// macro F1, per-class scores, and the confusion matrix (rows true, columns predicted).
public struct ClassificationReport: Sendable {
    /// Class names in label order.
    public let classNames: [String]
    /// `confusion[true][predicted]` counts.
    public let confusion: [[Int]]
    /// Per-class scores in label order.
    public let perClass: [ClassScores]
    /// Fraction of clips predicted correctly.
    public let accuracy: Double
    /// Mean recall over classes with at least one true clip (sklearn's balanced accuracy).
    public let unweightedAverageRecall: Double
    /// Mean F1 over classes that occur as a label or a prediction (sklearn's `average='macro'`).
    public let macroF1: Double
    /// Mean negative log-probability of the true class, when probabilities were given.
    public let logLoss: Double?

    /// Scores `predictions` against `labels` (class indices into `classNames`); `probabilities`,
    /// when given, holds one row of class probabilities per clip.
    public init(labels: [Int], predictions: [Int], classNames: [String], probabilities: [[Float]]? = nil) throws {
        guard labels.count == predictions.count else {
            throw DataError("\(labels.count) labels but \(predictions.count) predictions")
        }
        guard !labels.isEmpty else { throw DataError("cannot evaluate zero clips") }
        let k = classNames.count
        for (what, values) in [("label", labels), ("prediction", predictions)] {
            if let (row, bad) = values.enumerated().first(where: { !(0..<k).contains($0.element) }) {
                throw DataError("\(what) \(bad) of clip \(row) is not a class index 0..<\(k)")
            }
        }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (truth, guess) in zip(labels, predictions) { confusion[truth][guess] += 1 }
        let perClass = (0..<k).map { c -> ClassScores in
            let hits = Double(confusion[c][c])
            let support = confusion[c].reduce(0, +)
            let predicted = confusion.reduce(0) { $0 + $1[c] }
            let precision = predicted == 0 ? 0 : hits / Double(predicted)
            let recall = support == 0 ? 0 : hits / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassScores(name: classNames[c], precision: precision, recall: recall, f1: f1, support: support)
        }
        let seen = Set(labels).union(predictions)
        let present = perClass.filter { $0.support > 0 }
        self.classNames = classNames
        self.confusion = confusion
        self.perClass = perClass
        self.accuracy = Double(zip(labels, predictions).filter { $0 == $1 }.count) / Double(labels.count)
        self.unweightedAverageRecall = present.map(\.recall).reduce(0, +) / Double(present.count)
        // In class order: a Set iterates in a per-process order, and float sums depend on order.
        self.macroF1 = seen.sorted().map { perClass[$0].f1 }.reduce(0, +) / Double(seen.count)
        self.logLoss = try probabilities.map { try Self.logLoss($0, labels: labels, classes: k) }
    }

    /// Each row divided by its total (rows of classes without clips stay 0).
    public var normalizedConfusion: [[Double]] {
        confusion.map { row in
            let total = Double(row.reduce(0, +))
            return row.map { total == 0 ? 0 : Double($0) / total }
        }
    }

    /// Per-class table followed by accuracy, UAR, macro F1 and (when known) log loss.
    public var table: String { table(showingLogLoss: true) }

    /// The per-class table and summary line; without the log loss where the caller shows its own
    /// loss (an evaluation's cross-entropy), so a printout never shows two different losses.
    public func table(showingLogLoss: Bool) -> String {
        let rows = perClass.map { [$0.name, fixed($0.precision), fixed($0.recall), fixed($0.f1), String($0.support)] }
        var lines = [TextTable(header: ["class", "precision", "recall", "f1", "support"], rows: rows).description]
        lines.append("accuracy \(fixed(accuracy))  UAR \(fixed(unweightedAverageRecall))  macro F1 \(fixed(macroF1))"
                     + (showingLogLoss ? logLoss.map { "  log loss \(fixed($0))" } ?? "" : ""))
        return lines.joined(separator: "\n")
    }

    /// The confusion matrix as a table, true classes down, predicted across.
    public var confusionTable: String {
        let rows = classNames.indices.map { [classNames[$0]] + confusion[$0].map(String.init) }
        return TextTable(header: ["true \\ predicted"] + classNames, rows: rows).description
    }

    /// Everything as JSON (for a run folder's metrics file).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "accuracy": .number(accuracy), "uar": .number(unweightedAverageRecall), "macro_f1": .number(macroF1),
            "classes": .array(classNames.map(JSONValue.string)),
            "confusion": .array(confusion.map { .array($0.map { .number(Double($0)) }) }),
            "per_class": .array(perClass.map {
                ["name": .string($0.name), "precision": .number($0.precision), "recall": .number($0.recall),
                 "f1": .number($0.f1), "support": .number(Double($0.support))]
            }),
        ]
        if let logLoss { members["log_loss"] = .number(logLoss) }
        return .object(members)
    }

    private static func logLoss(_ probabilities: [[Float]], labels: [Int], classes: Int) throws -> Double {
        guard probabilities.count == labels.count else {
            throw DataError("\(probabilities.count) probability rows for \(labels.count) labels")
        }
        var total = 0.0
        for (row, (p, label)) in zip(probabilities, labels).enumerated() {
            guard p.count == classes else { throw DataError("probability row \(row) has \(p.count) values, expected \(classes)") }
            // Clipped as sklearn does, so a confident mistake costs a large but finite amount.
            total -= log(min(max(Double(p[label]), 1e-15), 1 - 1e-15))
        }
        return total / Double(labels.count)
    }
}

/// Four decimals, the way metric tables print.
func fixed(_ value: Double) -> String { String(format: "%.4f", value) }
