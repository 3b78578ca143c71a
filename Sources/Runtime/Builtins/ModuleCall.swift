import Engine

/// `model(x, …)`: the forward pass, with the keywords PyTorch's attention and recurrent layers take —
/// `multihead_attention`: `key`, `value`, `key_padding_mask`, `attn_mask`, `need_weights`, `is_causal`;
/// `transformer_encoder`: `key_padding_mask` (PyTorch's `src_key_padding_mask`), `attn_mask` (its
/// `mask`) and `is_causal`; `lstm` / `gru`: `state` (initial states), `return_state` and `lengths`.
/// Other layers take `x` alone.
enum ModuleCall {
    static let parameters = [Parameter("x"), Parameter("key", nil), Parameter("value", nil), Parameter("key_padding_mask", nil),
                             Parameter("attn_mask", nil), Parameter("need_weights", false), Parameter("is_causal", false),
                             Parameter("state", nil), Parameter("return_state", false), Parameter("lengths", nil)]

    /// Which layers take each keyword after `x`, for the error when another layer is given it.
    private static let takers = ["key": "multihead_attention", "value": "multihead_attention",
                                 "key_padding_mask": "multihead_attention and transformer_encoder",
                                 "attn_mask": "multihead_attention and transformer_encoder",
                                 "need_weights": "multihead_attention", "is_causal": "multihead_attention and transformer_encoder",
                                 "state": "lstm and gru", "return_state": "lstm and gru", "lengths": "lstm and gru"]

    static let doc = "Runs the forward pass on the tensor `x` (`model(x)`); a shape that does not fit names the layer and both shapes; "
        + "the other keywords are for attention and recurrent layers (`help(\"Module.call\")`). "
        + "A `multihead_attention` layer attends from `x` to `key` (default `x`) and `value` (default `key`), as PyTorch's "
        + "`forward(query, key, value, …)`; `key_padding_mask` `(B, S)` hides padding keys, `attn_mask` `(L, S)` hides keys from "
        + "single queries — a list of bool rows (`true` hides, see `padding_mask`) or a tensor / list of floats added to the scores "
        + "(`-inf` hides); `is_causal: true` hides from each query the keys after it (without `attn_mask`; with one it is "
        + "PyTorch's hint and `attn_mask` is used); `need_weights: true` returns `(output, weights)` with the weights averaged "
        + "over heads `(B, L, S)`. "
        + "A `transformer_encoder` takes `key_padding_mask` (PyTorch's `src_key_padding_mask`), `attn_mask` (its `mask`) "
        + "and `is_causal` (each step attends to the steps up to it, in every layer). "
        + "A query with every key hidden gives NaN, as in PyTorch. "
        + "An `lstm` starts from `state: (h0, c0)` and a `gru` from `state: h0`, each `(layers·directions, B, hidden)` whatever "
        + "`batch_first` (zeros without `state`); `return_state: true` returns `(output, (h_n, c_n))` for an `lstm` and "
        + "`(output, h_n)` for a `gru`, as PyTorch: `let (y, state) = rnn(x, return_state: true)` then `rnn(x2, state: state)`. "
        + "Gradients flow into the initial states. "
        + "`lengths: [5, 3, …]` (one per sequence, each 1…T, any order) runs a padded batch as PyTorch's packed sequences: "
        + "each sequence runs only its first `lengths[b]` steps (the reverse direction starts at its last one), outputs past "
        + "its length are 0, and the returned states are those after its last valid step. A 2-D `x` `(T, features)` is one "
        + "unbatched sequence, as in PyTorch: output `(T, D·hidden)`, states `(layers·directions, hidden)`."

    /// The forward pass of `module` on `input` with the call's keywords.
    static func run(_ module: Module, _ input: Tensor, _ a: Arguments) throws -> Value {
        let tensor = { (value: Tensor) -> Value in .object(TensorValue(value)) }
        switch module {
        case let attention as MultiheadAttention:
            try reject(except: ["key", "value", "key_padding_mask", "attn_mask", "need_weights", "is_causal"], a, module)
            let keyPaddingMask = try mask(a, "key_padding_mask"), attnMask = try mask(a, "attn_mask"), isCausal = try a.bool("is_causal")
            let key = a.isNil("key") ? input : try a.tensor("key")
            let value = a.isNil("value") ? key : try a.tensor("value")
            if try a.bool("need_weights") {
                let (output, weights) = try attention.attentionWithWeights(input, key, value, keyPaddingMask: keyPaddingMask,
                                                                           attnMask: attnMask, isCausal: isCausal)
                return .tuple([tensor(output), tensor(weights)])
            }
            return tensor(try attention(input, key, value, keyPaddingMask: keyPaddingMask, attnMask: attnMask, isCausal: isCausal))
        case let encoder as TransformerEncoder:
            try reject(except: ["key_padding_mask", "attn_mask", "is_causal"], a, module)
            return tensor(try encoder(input, mask: try mask(a, "attn_mask"), srcKeyPaddingMask: try mask(a, "key_padding_mask"), isCausal: try a.bool("is_causal")))
        case let recurrent as RecurrentNetwork:
            try reject(except: ["state", "return_state", "lengths"], a, module)
            let (sequence, states) = try recurrent.forwardWithStates(input, initial: try initialStates(a, "state", recurrent),
                                                                     lengths: try lengths(a, "lengths"))
            guard try a.bool("return_state") else { return tensor(sequence) }
            return .tuple([tensor(sequence), states.count == 1 ? tensor(states[0]) : .tuple(states.map(tensor))])
        default:
            try reject(except: [], a, module)
            return .object(TensorValue(try module(input)))
        }
    }

    /// Fails if a keyword other than those `accepted` was given.
    private static func reject(except accepted: Set<String>, _ a: Arguments, _ module: Module) throws {
        func given(_ name: String) -> Bool {
            if case .bool(false) = a[name] { return false }
            return !a.isNil(name)
        }
        // In signature order, so the error names the first stray keyword as before.
        guard let name = parameters.dropFirst().map(\.name).first(where: { !accepted.contains($0) && given($0) }) else { return }
        throw BuiltinError("\(a.builtin.qualifiedName): '\(name)' is for \(takers[name] ?? "other") layers, not \(module.typeDescription)")
    }

    /// The initial states for `name`: `(h0, c0)` for an LSTM, `h0` for a GRU; nil when not given.
    private static func initialStates(_ a: Arguments, _ name: String, _ network: RecurrentNetwork) throws -> [Tensor]? {
        if a.isNil(name) { return nil }
        guard network.stateCount == 2 else { return [try a.tensor(name)] }
        guard let items = a[name].elements, items.count == 2 else {
            let rows = network.numLayers * (network.bidirectional ? 2 : 1)
            throw BuiltinError("\(a.builtin.qualifiedName): an lstm's 'state' must be a pair (h0, c0) of tensors "
                               + "(\(rows), B, \(network.outputSize)) and (\(rows), B, \(network.hiddenSize)), got \(a[name].repr.prefix(40))")
        }
        do { return try items.map(TensorLiteral.tensor(of:)) } catch let error as BuiltinError {
            throw BuiltinError("\(a.builtin.qualifiedName): 'state' \(error.description)")
        }
    }

    /// The sequence lengths for `name`: a list of ints; nil when not given.
    private static func lengths(_ a: Arguments, _ name: String) throws -> [Int]? {
        if a.isNil(name) { return nil }
        return try a.list(name).map { item in
            guard case .int(let length) = item else {
                throw BuiltinError("\(a.builtin.qualifiedName): 'lengths' must be a list of ints (one per sequence), got \(a[name].repr.prefix(40))")
            }
            return length
        }
    }

    /// The mask for `name`: rows of bools (Boolean) or a tensor / nested floats (additive).
    private static func mask(_ a: Arguments, _ name: String) throws -> AttentionMask? {
        if a.isNil(name) { return nil }
        do {
            if let rows = try booleanRows(a[name]) { return try AttentionMask(blocked: rows) }
            return try AttentionMask(additive: a.tensor(name))
        } catch let error as TensorError {
            throw BuiltinError("\(a.builtin.qualifiedName): '\(name)' \(error.reason)")
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
