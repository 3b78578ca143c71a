import Engine

/// Labelled examples handed to `fit` / `evaluate`: a FeatureSet, or a pair `(inputs, labels)` of a
/// tensor and a list of ints.
struct LabelledData {
    let dataset: TensorDataset
    /// Class names when the data carries them (FeatureSets do).
    let classNames: [String]?
    /// The clip table aligned with the rows, for breakdowns by gender, intensity, …
    let clips: Dataset?

    init(_ a: Arguments, _ index: Int) throws {
        if case .object(let object) = a[index], let set = object as? FeatureSet {
            dataset = try TensorDataset(features: set.inputs, labels: set.labels)
            classNames = set.classNames
            clips = set.clips
            return
        }
        guard let pair = a[index].elements, pair.count == 2 else {
            throw BuiltinError("\(a.builtin.qualifiedName): '\(a.parameterName(index))' must be a FeatureSet or a pair (inputs, labels), got \(a[index].typeName)")
        }
        let parts = Arguments(interpreter: a.interpreter, builtin: a.builtin, receiver: .null, values: pair)
        dataset = try TensorDataset(features: try parts.tensor(0), labels: try parts.labels(1))
        classNames = nil
        clips = nil
    }
}
