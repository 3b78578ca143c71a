import Engine

/// `model(x, …)`: the forward pass, with the keywords PyTorch's attention layers take —
/// `multihead_attention`: `key`, `value`, `key_padding_mask`, `attn_mask`, `need_weights`;
/// `transformer_encoder`: `key_padding_mask` (PyTorch's `src_key_padding_mask`) and `attn_mask`
/// (its `mask`). Other layers take `x` alone.
enum ModuleCall {
    static let parameters = [Parameter("x"), Parameter("key", nil), Parameter("value", nil), Parameter("key_padding_mask", nil),
                             Parameter("attn_mask", nil), Parameter("need_weights", false)]

    static let doc = "Runs the forward pass on the tensor `x` (`model(x)`); a shape that does not fit names the layer and both shapes; "
        + "the other keywords are for attention layers (`help(\"Module.call\")`). "
        + "A `multihead_attention` layer attends from `x` to `key` (default `x`) and `value` (default `key`), as PyTorch's "
        + "`forward(query, key, value, …)`; `key_padding_mask` `(B, S)` hides padding keys, `attn_mask` `(L, S)` hides keys from "
        + "single queries — a list of bool rows (`true` hides, see `padding_mask`) or a tensor / list of floats added to the scores "
        + "(`-inf` hides); `need_weights: true` returns `(output, weights)` with the weights averaged over heads `(B, L, S)`. "
        + "A `transformer_encoder` takes `key_padding_mask` (PyTorch's `src_key_padding_mask`) and `attn_mask` (its `mask`). "
        + "A query with every key hidden gives NaN, as in PyTorch."

    /// The forward pass of `module` on `input` with the call's keywords.
    static func run(_ module: Module, _ input: Tensor, _ a: Arguments) throws -> Value {
        let keyPaddingMask = try mask(a, 3), attnMask = try mask(a, 4)
        switch module {
        case let attention as MultiheadAttention:
            let key = a.isNil(1) ? input : try a.tensor(1)
            let value = a.isNil(2) ? key : try a.tensor(2)
            if try a.bool(5) {
                let (output, weights) = try attention.attentionWithWeights(input, key, value, keyPaddingMask: keyPaddingMask,
                                                                           attnMask: attnMask)
                return .tuple([.object(TensorValue(output)), .object(TensorValue(weights))])
            }
            return .object(TensorValue(try attention(input, key, value, keyPaddingMask: keyPaddingMask, attnMask: attnMask)))
        case let encoder as TransformerEncoder:
            try reject([1, 2, 5], a, module, only: "multihead_attention")
            return .object(TensorValue(try encoder(input, mask: attnMask, srcKeyPaddingMask: keyPaddingMask)))
        default:
            try reject([1, 2, 3, 4, 5], a, module, only: "multihead_attention and transformer_encoder")
            return .object(TensorValue(try module(input)))
        }
    }

    /// Fails if any of the keywords at `indices` was given to a layer that does not take it.
    private static func reject(_ indices: [Int], _ a: Arguments, _ module: Module, only: String) throws {
        func given(_ index: Int) -> Bool {
            if case .bool(false) = a[index] { return false }
            return !a.isNil(index)
        }
        guard let index = indices.first(where: given) else { return }
        throw BuiltinError("\(a.builtin.qualifiedName): '\(a.parameterName(index))' is for \(only) layers, not \(module.typeDescription)")
    }

    /// The mask at `index`: rows of bools (Boolean) or a tensor / nested floats (additive).
    private static func mask(_ a: Arguments, _ index: Int) throws -> AttentionMask? {
        if a.isNil(index) { return nil }
        do {
            if let rows = try booleanRows(a[index]) { return try AttentionMask(blocked: rows) }
            return try AttentionMask(additive: a.tensor(index))
        } catch let error as TensorError {
            throw BuiltinError("\(a.builtin.qualifiedName): '\(a.parameterName(index))' \(error.reason)")
        }
    }

    /// Rows of bools, or nil when the value holds numbers (or is a tensor). Ints are refused: a 0/1
    /// list reads as Boolean, but PyTorch would add it to the scores.
    private static func booleanRows(_ value: Value) throws -> [[Bool]]? {
        guard let rows = value.elements else { return nil }
        let leaves = rows.flatMap { $0.elements ?? [$0] }
        if leaves.contains(where: { if case .int = $0 { return true } else { return false } }) {
            throw TensorError(op: "mask", reason: "holds ints: use rows of true/false for a Boolean mask (true hides a key) or floats for an additive one")
        }
        guard leaves.contains(where: { if case .bool = $0 { return true } else { return false } }) else { return nil }
        let shapeError = TensorError(op: "mask", reason: "must be a list of rows of bools, e.g. [[false, true]], got \(value.repr.prefix(40))")
        return try rows.map { row in
            guard let items = row.elements else { throw shapeError }
            return try items.map { item in
                guard case .bool(let hidden) = item else { throw shapeError }
                return hidden
            }
        }
    }
}
