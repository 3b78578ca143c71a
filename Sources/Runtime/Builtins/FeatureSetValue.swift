import Engine
import Foundation

/// Model inputs with their labels: what `features(...)` makes and `fit` / `evaluate` consume.
/// Row `i` of `inputs` (the first axis) has class `labels[i]` and, when known, comes from clip
/// `clips.clips[i]` (augmented copies repeat their source clip, so breakdowns by gender or
/// intensity work on them too).
public final class FeatureSet: ScriptObject {
    /// N × … (e.g. N×1×128×563, or N×7×1×128×128 for chunked features).
    public let inputs: Tensor
    /// Class index per row.
    public let labels: [Int]
    /// `classNames[label]` is the class of that index.
    public let classNames: [String]
    /// Engine dataset rows aligned with `inputs` rows; nil for synthetic data.
    public let clips: Dataset?
    /// How `features(...)` made the rows, when it did: what a model bundle records to featurise new audio.
    public let origin: Origin?

    /// The feature pipeline behind the rows and whether a scaler has been applied since.
    public struct Origin {
        public let pipeline: FeaturePipeline
        public let scaled: Bool
    }

    /// Checks that rows, labels and clips agree and labels are valid class indices.
    public init(inputs: Tensor, labels: [Int], classNames: [String], clips: Dataset? = nil, origin: Origin? = nil) throws {
        let rows = inputs.shape.first ?? 0
        guard inputs.rank >= 1, labels.count == rows else {
            throw BuiltinError("FeatureSet: \(labels.count) labels for inputs of shape \(inputs.shape)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classNames.count }) {
            throw BuiltinError("FeatureSet: label \(bad) is not a class index (there are \(classNames.count) classes)")
        }
        if let clips, clips.count != rows {
            throw BuiltinError("FeatureSet: \(clips.count) clips for \(rows) rows")
        }
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames
        self.clips = clips
        self.origin = origin
    }

    public var count: Int { labels.count }

    /// The rows at `indices` (in that order); negative indices count from the end.
    public func subset(_ indices: [Int]) throws -> FeatureSet {
        let rows = try indices.map { index -> Int in
            let row = index < 0 ? index + count : index
            guard row >= 0, row < count else { throw BuiltinError("FeatureSet: row \(index) is out of range for \(count) rows") }
            return row
        }
        return try FeatureSet(inputs: try inputs.indexSelect(dim: 0, indices: rows), labels: rows.map { labels[$0] },
                              classNames: classNames, clips: try clips?.subset(rows), origin: origin)
    }

    /// Rows per class, in class order.
    public var classCounts: [(name: String, count: Int)] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return zip(classNames, counts).map { ($0, $1) }
    }

    public var typeName: String { "FeatureSet" }
    /// `FeatureSet(1147 × [1, 128, 563], 8 classes)`
    public var summary: String {
        "FeatureSet(\(count) × \(Array(inputs.shape.dropFirst())), \(classNames.count) classes)"
    }
    /// The summary, the inputs' statistics and rows per class.
    public var details: String {
        summary + "\n  inputs " + TensorValue(inputs).details + "\n  "
            + classCounts.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
    }
}

extension BuiltinRegistry {
    /// FeatureSet members: the bridge between the data bindings and the model bindings.
    func registerFeatureSet() {
        domain = "Features"
        property("FeatureSet", "inputs", doc: "The input tensor, one row per example along the first axis: N×1×128×563 for log-mel features.") { a in
            .object(TensorValue(try a.receiver(as: FeatureSet.self).inputs))
        }
        property("FeatureSet", "labels", doc: "The class index of every row, as a list of ints.") { a in
            .list(ListBox(try a.receiver(as: FeatureSet.self).labels.map { .int($0) }))
        }
        property("FeatureSet", "classes", doc: "The class names in label order: `classes[label]` names that class.") { a in
            .list(ListBox(try a.receiver(as: FeatureSet.self).classNames.map { .string($0) }))
        }
        property("FeatureSet", "shape", doc: "The shape of the input tensor, rows first, as a list.") { a in
            .list(ListBox(try a.receiver(as: FeatureSet.self).inputs.shape.map { .int($0) }))
        }
        method("FeatureSet", "len", [], doc: "Number of rows (examples).") { a in
            .int(try a.receiver(as: FeatureSet.self).count)
        }
        method("FeatureSet", "[]", [Parameter("index")],
               doc: "`fs[i]` is a one-row FeatureSet; `fs[[i, j, …]]` the rows at those indices, in that order.") { a in
            let set = try a.receiver(as: FeatureSet.self)
            if a["index"].elements != nil { return .object(try set.subset(try rowIndices(a, "index"))) }
            return .object(try set.subset([try a.int("index")]))
        }
        method("FeatureSet", "subset", [Parameter("rows")],
               doc: "The rows at the given indices (a list of ints), in that order, with their labels and clips.") { a in
            .object(try a.receiver(as: FeatureSet.self).subset(try rowIndices(a, "rows")))
        }
        method("FeatureSet", "count", [], doc: "A dict of class name → number of rows.") { a in
            .dict(DictBox(try a.receiver(as: FeatureSet.self).classCounts.map { ($0.name, .int($0.count)) }))
        }
    }
}

/// A list of int row indices at argument `index`.
func rowIndices(_ a: Arguments, _ name: String) throws -> [Int] {
    try a.list(name).map { item in
        guard case .int(let row) = item else {
            throw BuiltinError("\(a.builtin.qualifiedName): row indices must be ints, got \(item.typeName)")
        }
        return row
    }
}
