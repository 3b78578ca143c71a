import EngineTensor

/// A 2-D mask for `MultiheadAttention`, in either of PyTorch's two forms: Boolean (`true` = that
/// key may not be attended to) or additive (floats added to the scaled scores before the softmax;
/// `-inf` hides a key). As a key padding mask it is `(batch, keyLength)` and hides keys of one
/// sequence from all its queries; as an attention mask it is `(queryLength, keyLength)` and hides
/// keys from single queries of every sequence. Masks are constants: no gradient flows into them.
public struct AttentionMask: Sendable, Equatable {
    /// `[rows, keys]`.
    public let shape: [Int]
    /// Whether it was given as Booleans (PyTorch's `bool` masks) rather than additive floats.
    public let isBoolean: Bool
    /// Row-major additive values; a Boolean mask's `true` is stored as `-inf`, `false` as 0.
    public let bias: [Float]

    /// A Boolean mask from its rows (`true` hides that key); every row the same, non-zero length.
    public init(blocked rows: [[Bool]]) throws {
        let width = try Self.width(of: rows.map(\.count))
        shape = [rows.count, width]
        isBoolean = true
        bias = rows.flatMap { $0.map { $0 ? -Float.infinity : 0 } }
    }

    /// An additive mask: the values of a 2-D tensor (copied), added to the scores.
    public init(additive tensor: Tensor) throws {
        guard tensor.rank == 2, tensor.shape[0] > 0, tensor.shape[1] > 0 else {
            throw TensorError(op: "AttentionMask", reason: "an additive mask must be a non-empty 2-D tensor, got shape \(tensor.shape)")
        }
        shape = tensor.shape
        isBoolean = false
        bias = tensor.values
    }

    /// The key padding mask of sequences with `lengths` valid keys out of `keyLength`: sequence `b`
    /// may attend to keys `0..<lengths[b]`; the rest are padding.
    public static func keyPadding(lengths: [Int], keyLength: Int) throws -> AttentionMask {
        guard keyLength > 0, lengths.allSatisfy({ (0...keyLength).contains($0) }) else {
            throw TensorError(op: "AttentionMask.keyPadding", reason: "lengths \(lengths) must lie in 0...\(keyLength) with keyLength > 0")
        }
        return try AttentionMask(blocked: lengths.map { length in (0..<keyLength).map { $0 >= length } })
    }

    /// The causal mask `(queryLength, keyLength)`: query `i` may attend to keys `0...i` (PyTorch's
    /// `is_causal`, top-left aligned when the lengths differ, as its lower-triangular mask).
    public static func causal(queryLength: Int, keyLength: Int) throws -> AttentionMask {
        try AttentionMask(blocked: (0..<queryLength).map { i in (0..<keyLength).map { $0 > i } })
    }

    private static func width(of counts: [Int]) throws -> Int {
        guard let width = counts.first, width > 0, counts.allSatisfy({ $0 == width }) else {
            throw TensorError(op: "AttentionMask", reason: "a Boolean mask needs at least one row, all of the same non-zero length; got row lengths \(counts)")
        }
        return width
    }
}
