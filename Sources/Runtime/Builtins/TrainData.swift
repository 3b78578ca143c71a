import Engine

/// Labelled examples handed to `fit` / `evaluate`: a FeatureSet, or a pair `(inputs, labels)` of a
/// tensor and a list of ints.
struct LabelledData {
    let dataset: TensorDataset
    /// Class names when the data carries them (FeatureSets do).
    let classNames: [String]?
    /// The clip table aligned with the rows, for breakdowns by gender, intensity, …
    let clips: Dataset?

    init(_ a: Arguments, _ name: String) throws {
        if case .object(let object) = a[name], let set = object as? FeatureSet {
            dataset = try TensorDataset(features: set.inputs, labels: set.labels)
            classNames = set.classNames
            clips = set.clips
            return
        }
        guard let pair = a[name].elements, pair.count == 2 else {
            throw BuiltinError("\(a.builtin.qualifiedName): '\(name)' must be a FeatureSet or a pair (inputs, labels), got \(a[name].typeName)")
        }
        let inputs: Tensor
        do { inputs = try TensorLiteral.tensor(of: pair[0]) } catch let error as BuiltinError {
            throw BuiltinError("\(a.builtin.qualifiedName): '\(name)' inputs \(error.description)")
        }
        dataset = try TensorDataset(features: inputs, labels: try TensorLiteral.labels(of: pair[1], for: a.builtin.qualifiedName))
        classNames = nil
        clips = nil
    }
}
