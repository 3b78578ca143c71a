import EngineFormats
import EngineTensor
import EngineAudio
import EngineData

/// Correct and wrong predictions per value of a metadata column: the notebooks' 2 × 2 tables of
/// correct/wrong against emotion intensity and against gender.
public struct CorrectnessBreakdown: Sendable, Equatable, CustomStringConvertible {
    /// One value of the column and its tallies.
    public struct Row: Sendable, Equatable {
        /// The column value ("normal", "female", …).
        public var value: String
        /// Clips with this value predicted correctly.
        public var correct: Int
        /// Clips with this value predicted wrongly.
        public var wrong: Int
        /// correct / (correct + wrong).
        public var accuracy: Double { Double(correct) / Double(max(1, correct + wrong)) }
    }

    /// The column broken down by.
    public var column: String
    /// One row per value, in ascending order of value.
    public var rows: [Row]

    /// Tallies `labels == predictions` per value in `values` (one value per clip).
    public init(column: String, values: [String], labels: [Int], predictions: [Int]) throws {
        guard values.count == labels.count, labels.count == predictions.count else {
            throw DataError("breakdown by \(column): \(values.count) values, \(labels.count) labels, "
                            + "\(predictions.count) predictions must have one per clip")
        }
        var tally: [String: (Int, Int)] = [:]
        for (value, (truth, guess)) in zip(values, zip(labels, predictions)) {
            let old = tally[value] ?? (0, 0)
            tally[value] = truth == guess ? (old.0 + 1, old.1) : (old.0, old.1 + 1)
        }
        self.column = column
        self.rows = tally.keys.sorted().map { Row(value: $0, correct: tally[$0]?.0 ?? 0, wrong: tally[$0]?.1 ?? 0) }
    }

    /// Breaks down a dataset's clips by one of its columns.
    public init(_ dataset: Dataset, by column: DatasetColumn, predictions: [Int]) throws {
        try self.init(column: column.rawValue, values: dataset.column(column), labels: dataset.labels, predictions: predictions)
    }

    /// The table: value, correct, wrong, accuracy.
    public var description: String {
        TextTable(header: [column, "correct", "wrong", "accuracy"],
                  rows: rows.map { [$0.value, String($0.correct), String($0.wrong), percent($0.accuracy)] }).description
    }

    /// As JSON: value → {correct, wrong}.
    public var json: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: rows.map {
            ($0.value, ["correct": .number(Double($0.correct)), "wrong": .number(Double($0.wrong))] as JSONValue)
        }))
    }
}
