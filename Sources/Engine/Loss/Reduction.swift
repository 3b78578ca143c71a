import EngineTensor

/// How a loss combines per-sample values, as PyTorch's `reduction` argument.
public enum Reduction: String, Sendable, CaseIterable {
    /// The (weighted) mean over samples — PyTorch's default.
    case mean
    /// The sum over samples.
    case sum
    /// One loss per sample.
    case none
}

/// Class labels given as a tensor of whole numbers (as scripts and datasets hold them).
enum Labels {
    /// The labels of a 1-D tensor as integers in `0..<classes`, or throws naming `op`.
    static func integers(_ targets: Tensor, op: String) throws -> [Int] {
        guard targets.rank == 1 else {
            throw TensorError(op: op, reason: "targets must be 1-D class indices, shape is \(targets.shape)")
        }
        return try targets.values.map { v in
            guard v.rounded() == v, Swift.abs(v) < 1e9 else { throw TensorError(op: op, reason: "target \(v) is not a whole class index") }
            return Int(v)
        }
    }

    /// Throws unless there is one label per row of an `(N, C)` input and each is in `0..<C`.
    static func validate(_ targets: [Int], input: Tensor, op: String) throws {
        guard input.rank == 2 else {
            throw TensorError(op: op, reason: "input must be (batch, classes), shape is \(input.shape)")
        }
        guard targets.count == input.shape[0] else {
            throw TensorError.shapes(op, input.shape, [targets.count], "one target per row is needed")
        }
        let classes = input.shape[1]
        if let bad = targets.first(where: { $0 < 0 || $0 >= classes }) {
            throw TensorError(op: op, reason: "target \(bad) is outside 0..<\(classes) for input \(input.shape)")
        }
    }

    /// Throws unless `weight` is absent or has one entry per class.
    static func validate(weight: Tensor?, classes: Int, op: String) throws {
        guard let weight else { return }
        guard weight.shape == [classes] else {
            throw TensorError.shapes(op, weight.shape, [classes], "class weights need one entry per class")
        }
    }
}
