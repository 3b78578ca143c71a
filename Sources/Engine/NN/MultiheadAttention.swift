import EngineTensor

/// Multi-head attention with PyTorch's `nn.MultiheadAttention` parameters and semantics:
/// `in_proj_weight` `(3E, E)` (xavier-uniform) and `in_proj_bias` (zeros) project to queries, keys
/// and values — or, when keys or values have their own width (`kdim` / `vdim` ≠ E), PyTorch's
/// separate `q_proj_weight` `(E, E)`, `k_proj_weight` `(E, kdim)`, `v_proj_weight` `(E, vdim)`; each
/// of `numHeads` heads attends with `softmax(QKᵀ/√d + mask)`, dropout on the probabilities in
/// training; `out_proj` (a Linear with zero bias) mixes the heads.
///
/// `mha(x)` is self-attention. `mha(query, key, value, keyPaddingMask:, attnMask:)` is PyTorch's
/// `forward(query, key, value, key_padding_mask=, attn_mask=)`: query `(L, B, E)`, key `(S, B, kdim)`
/// and value `(S, B, vdim)` (or batch first with `batchFirst`) → `(L, B, E)`; one tensor passed
/// three times is self-attention. `isCausal` hides every later key from a query (PyTorch's
/// `is_causal`). `attentionWithWeights` also returns the weights
/// (`need_weights=True`). A query whose keys are all masked gets NaN outputs, as in PyTorch.
///
/// Queries, keys and values are read in place from the projections (one packed GEMM for
/// self-attention, a packed key/value GEMM when key and value are one tensor); the attention core
/// is one differentiable op on batched GEMMs.
public final class MultiheadAttention: Module {
    public let embedDim: Int
    public let numHeads: Int
    public let dropout: Float
    public let batchFirst: Bool
    /// Width of the keys (PyTorch's `kdim`; `embedDim` unless given).
    public let kdim: Int
    /// Width of the values (PyTorch's `vdim`; `embedDim` unless given).
    public let vdim: Int
    public let inputProjection: InputProjection
    public let inProjBias: Tensor?
    public let outProj: Linear
    package let generator: RandomGenerator

    /// The input projection's weights: packed when keys and values have the query's width.
    public enum InputProjection {
        /// `in_proj_weight` `(3E, E)`, rows `[W_q; W_k; W_v]`.
        case packed(Tensor)
        /// `q_proj_weight` `(E, E)`, `k_proj_weight` `(E, kdim)`, `v_proj_weight` `(E, vdim)`.
        case separate(query: Tensor, key: Tensor, value: Tensor)
    }

    /// `in_proj_weight`, or nil when the projections are separate.
    public var inProjWeight: Tensor? {
        if case .packed(let weight) = inputProjection { return weight }
        return nil
    }

    public init(embedDim: Int, numHeads: Int, dropout: Float = 0, bias: Bool = true, kdim: Int? = nil, vdim: Int? = nil,
                batchFirst: Bool = false, generator: RandomGenerator = .global) throws {
        try requirePositive("MultiheadAttention", ["embedDim": embedDim, "numHeads": numHeads, "kdim": kdim ?? embedDim,
                                                   "vdim": vdim ?? embedDim])
        guard embedDim % numHeads == 0 else {
            throw LayerConfigurationError(layer: "MultiheadAttention", reason: "embedDim \(embedDim) is not divisible by numHeads \(numHeads)")
        }
        guard dropout >= 0, dropout < 1 else {
            throw LayerConfigurationError(layer: "MultiheadAttention", reason: "dropout must lie in [0, 1), got \(dropout)")
        }
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
        self.kdim = kdim ?? embedDim
        self.vdim = vdim ?? embedDim
        if self.kdim == embedDim && self.vdim == embedDim {
            inputProjection = .packed(try Initialization.xavierUniform(fanOut: 3 * embedDim, fanIn: embedDim, generator: generator))
        } else {
            inputProjection = .separate(
                query: try Initialization.xavierUniform(fanOut: embedDim, fanIn: embedDim, generator: generator),
                key: try Initialization.xavierUniform(fanOut: embedDim, fanIn: self.kdim, generator: generator),
                value: try Initialization.xavierUniform(fanOut: embedDim, fanIn: self.vdim, generator: generator))
        }
        inProjBias = bias ? try Tensor.zeros([3 * embedDim]) : nil
        outProj = try Linear(embedDim, embedDim, bias: bias, generator: generator)
        if let outBias = outProj.bias { outBias.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        self.generator = generator.fork()
        super.init()
        switch inputProjection {
        case .packed(let weight):
            registerParameter("in_proj_weight", weight)
        case .separate(let query, let key, let value):
            registerParameter("q_proj_weight", query)
            registerParameter("k_proj_weight", key)
            registerParameter("v_proj_weight", value)
        }
        if let inProjBias { registerParameter("in_proj_bias", inProjBias) }
        registerModule("out_proj", outProj)
    }

    public override var typeDescription: String {
        let widths = kdim == embedDim && vdim == embedDim ? "" : ", kdim: \(kdim), vdim: \(vdim)"
        return "MultiheadAttention(embed: \(embedDim), heads: \(numHeads)\(widths), dropout: \(dropout)\(batchFirst ? ", batchFirst" : ""))"
    }

    /// Self-attention: queries, keys and values all come from `input`.
    public override func forward(_ input: Tensor) throws -> Tensor {
        try attend(input, input, input, keyPaddingMask: nil, attnMask: nil, isCausal: false, weights: nil).output
    }

    /// Attention from `query` to `key`/`value` with optional masks: `keyPaddingMask` `(B, S)` hides
    /// padding keys of each sequence, `attnMask` `(L, S)` hides keys from single queries; both
    /// given, their additive forms are summed (as PyTorch merges them). `isCausal` without `attnMask`
    /// hides from query `i` every key after `i`; with one it is PyTorch's hint that `attnMask` is
    /// causal, and `attnMask` is used.
    public func callAsFunction(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: AttentionMask? = nil,
                               attnMask: AttentionMask? = nil, isCausal: Bool = false) throws -> Tensor {
        let output = try attend(query, key, value, keyPaddingMask: keyPaddingMask, attnMask: attnMask, isCausal: isCausal,
                                weights: nil).output
        SummaryRecorder.active?.record(self, output: output)
        return output
    }

    /// The call's output and the attention weights, PyTorch's `need_weights=True`: averaged over the
    /// heads `(B, L, S)` (`average_attn_weights=True`) or per head `(B, heads, L, S)`, after dropout as
    /// PyTorch returns them. The weights are a copy outside the autograd graph.
    public func attentionWithWeights(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: AttentionMask? = nil,
                                     attnMask: AttentionMask? = nil, isCausal: Bool = false,
                                     averageOverHeads: Bool = true) throws -> (output: Tensor, weights: Tensor) {
        let result = try attend(query, key, value, keyPaddingMask: keyPaddingMask, attnMask: attnMask, isCausal: isCausal,
                                weights: averageOverHeads ? .averaged : .perHead)
        guard let weights = result.weights else { throw LayerError(layer: self, reason: "internal: no attention weights") }
        return (result.output, weights)
    }

    private enum WeightsRequest { case averaged, perHead }

    /// Sizes of one call: `batch` sequences of `queryLength` queries over `keyLength` keys.
    private struct CallShape {
        package let batch: Int, queryLength: Int, keyLength: Int
    }

    private func attend(_ query: Tensor, _ key: Tensor, _ value: Tensor, keyPaddingMask: AttentionMask?,
                        attnMask: AttentionMask?, isCausal: Bool, weights: WeightsRequest?) throws -> (output: Tensor, weights: Tensor?) {
        let call = try checkShapes(query, key, value)
        let attnMask = isCausal && attnMask == nil
            ? try attributed { try AttentionMask.causal(queryLength: call.queryLength, keyLength: call.keyLength) } : attnMask
        let bias = try scoreBias(call, keyPaddingMask: keyPaddingMask, attnMask: attnMask, query: query, key: key)
        let projection = try project(query, key, value)
        let (attended, probabilities, mask) = try core(projection, call, queryShape: query.shape, bias: bias)
        let output = try outProj(attended)
        guard let weights else { return (output, nil) }
        return (output, try attentionWeights(probabilities, mask: mask, call, request: weights))
    }

    private func checkShapes(_ query: Tensor, _ key: Tensor, _ value: Tensor) throws -> CallShape {
        let (b, t) = batchFirst ? (0, 1) : (1, 0)
        func fits(_ x: Tensor, _ width: Int) -> Bool { x.rank == 3 && x.shape[2] == width && x.shape[0] > 0 && x.shape[1] > 0 }
        func order(_ length: String, _ width: Int) -> String { batchFirst ? "(B, \(length), \(width))" : "(\(length), B, \(width))" }
        if query === key && key === value && kdim == embedDim && vdim == embedDim {
            guard fits(query, embedDim) else {
                throw LayerError(layer: self, reason: "expected input of shape \(order("T", embedDim)), got \(query.shape)")
            }
        } else {
            guard fits(query, embedDim), fits(key, kdim), fits(value, vdim), key.shape.prefix(2) == value.shape.prefix(2),
                  query.shape[b] == key.shape[b] else {
                let keyValue = kdim == vdim ? "key and value \(order("S", kdim)) of one shape"
                                            : "key \(order("S", kdim)) and value \(order("S", vdim)) of one length"
                throw LayerError(layer: self, reason: "expected query \(order("L", embedDim)) and \(keyValue), "
                                 + "with the same batch B; got query \(query.shape), key \(key.shape), value \(value.shape)")
            }
        }
        return CallShape(batch: query.shape[b], queryLength: query.shape[t], keyLength: key.shape[t])
    }

    /// The masks as one additive term per score, and how far apart the sequences' terms lie.
    private func scoreBias(_ call: CallShape, keyPaddingMask: AttentionMask?, attnMask: AttentionMask?,
                           query: Tensor, key: Tensor) throws -> (values: [Float], sequenceStride: Int)? {
        let (l, s) = (call.queryLength, call.keyLength)
        func check(_ mask: AttentionMask, _ name: String, _ expected: [Int], _ meaning: String) throws {
            guard mask.shape == expected else {
                throw LayerError(layer: self, reason: "\(name) must be \(meaning) \(expected) for query \(query.shape) and key \(key.shape), got \(mask.shape)")
            }
        }
        if let attnMask { try check(attnMask, "attnMask", [l, s], "(query length, key length)") }
        guard let keyPaddingMask else { return attnMask.map { ($0.bias, 0) } }
        try check(keyPaddingMask, "keyPaddingMask", [call.batch, s], "(batch, key length)")
        var values = [Float](repeating: 0, count: call.batch * l * s)
        for b in 0..<call.batch {
            for i in 0..<l {
                for j in 0..<s { values[(b * l + i) * s + j] = keyPaddingMask.bias[b * s + j] + (attnMask?.bias[i * s + j] ?? 0) }
            }
        }
        return (values, l * s)
    }

    /// The in-projection's outputs (the attention op's parents) and where Q, K and V start in them.
    private struct Projection {
        package var tensors: [Tensor]
        var query: (tensor: Int, column: Int)
        package var key: (tensor: Int, column: Int)
        package var value: (tensor: Int, column: Int)
    }

    /// Projects with the rows of `in_proj_weight` PyTorch uses: all three at once for self-attention,
    /// keys and values at once when they are one tensor; or with the separate weights.
    private func project(_ query: Tensor, _ key: Tensor, _ value: Tensor) throws -> Projection {
        let e = embedDim
        func bias(_ rows: Range<Int>) throws -> Tensor? {
            rows.count == 3 * e ? inProjBias : try inProjBias?.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
        }
        switch inputProjection {
        case .separate(let queryWeight, let keyWeight, let valueWeight):
            return Projection(tensors: [try Linear.apply(query, weight: queryWeight, bias: bias(0..<e)),
                                        try Linear.apply(key, weight: keyWeight, bias: bias(e..<(2 * e))),
                                        try Linear.apply(value, weight: valueWeight, bias: bias((2 * e)..<(3 * e)))],
                              query: (0, 0), key: (1, 0), value: (2, 0))
        case .packed(let weight):
            func projected(_ x: Tensor, _ rows: Range<Int>) throws -> Tensor {
                let rowWeight = rows.count == 3 * e ? weight : try weight.slice(dim: 0, start: rows.lowerBound, end: rows.upperBound)
                return try Linear.apply(x, weight: rowWeight, bias: bias(rows))
            }
            if query === key && key === value {
                return Projection(tensors: [try projected(query, 0..<(3 * e))], query: (0, 0), key: (0, e), value: (0, 2 * e))
            }
            let q = try projected(query, 0..<e)
            if key === value {
                return Projection(tensors: [q, try projected(key, e..<(3 * e))], query: (0, 0), key: (1, 0), value: (1, e))
            }
            return Projection(tensors: [q, try projected(key, e..<(2 * e)), try projected(value, (2 * e)..<(3 * e))],
                              query: (0, 0), key: (1, 0), value: (2, 0))
        }
    }

    /// Row `t` of sequence `b` in a `(…, width)` tensor of `length` steps in this layer's layout.
    private func layout(width: Int, length: Int, batch: Int) -> SequenceLayout {
        batchFirst ? SequenceLayout(rowStride: width, sequenceStride: length * width)
                   : SequenceLayout(rowStride: batch * width, sequenceStride: width)
    }

    /// The differentiable attention op: `(…, E)` in the query's layout, plus the probabilities and
    /// dropout mask it used (for the weights).
    private func core(_ projection: Projection, _ call: CallShape, queryShape: [Int],
                      bias: (values: [Float], sequenceStride: Int)?) throws -> (Tensor, TensorStorage, TensorStorage?) {
        let e = embedDim
        let parents = projection.tensors
        let g = AttentionGeometry(
            batch: call.batch, heads: numHeads, queryLength: call.queryLength, keyLength: call.keyLength, headDim: e / numHeads,
            query: layout(width: parents[projection.query.tensor].shape[2], length: call.queryLength, batch: call.batch),
            keyValue: layout(width: parents[projection.key.tensor].shape[2], length: call.keyLength, batch: call.batch),
            output: layout(width: e, length: call.queryLength, batch: call.batch))
        let scale = 1 / Float(g.headDim).squareRoot()
        let mask = isTraining && dropout > 0
            ? try Dropout.mask(count: g.probabilityCount, probability: dropout, generator: generator) : nil
        let probabilities = TensorStorage(uninitializedCount: g.probabilityCount)
        let output = try Tensor.uninitialized([queryShape[0], queryShape[1], e])
        let bases = parents.map { $0.storage.pointer }
        let (q, k, v) = (projection.query, projection.key, projection.value)
        func run(_ scoreBias: AttentionScoreBias?) {
            AttentionKernels.forward(g, query: bases[q.tensor] + q.column, key: bases[k.tensor] + k.column,
                                     value: bases[v.tensor] + v.column, scale: scale, bias: scoreBias, mask: mask?.pointer,
                                     probabilities: probabilities.pointer, output: output.storage.pointer)
        }
        if let bias {
            bias.values.withUnsafeBufferPointer { values in
                run(values.baseAddress.map { AttentionScoreBias(values: $0, sequenceStride: bias.sequenceStride) })
            }
        } else {
            run(nil)
        }
        let result = Tensor.record(output, op: "attention", parents: parents) { gradOutput in
            let grads = try parents.map { try Tensor.uninitialized($0.shape) }
            let d = grads.map { $0.storage.pointer }
            AttentionKernels.backward(g, query: bases[q.tensor] + q.column, key: bases[k.tensor] + k.column,
                                      value: bases[v.tensor] + v.column, scale: scale, mask: mask?.pointer,
                                      probabilities: probabilities.pointer, gradOutput: gradOutput.storage.pointer,
                                      gradQuery: d[q.tensor] + q.column, gradKey: d[k.tensor] + k.column,
                                      gradValue: d[v.tensor] + v.column)
            return grads
        }
        return (result, probabilities, mask)
    }

    /// The probabilities after dropout, `(B, heads, L, S)` or their mean over the heads `(B, L, S)`.
    private func attentionWeights(_ probabilities: TensorStorage, mask: TensorStorage?, _ call: CallShape,
                                  request: WeightsRequest) throws -> Tensor {
        let (heads, block) = (numHeads, call.queryLength * call.keyLength)
        let p = probabilities.pointer, m = mask?.pointer
        func weight(_ i: Int) -> Float { m.map { p[i] * $0[i] } ?? p[i] }
        switch request {
        case .perHead:
            let weights = try Tensor.uninitialized([call.batch, heads, call.queryLength, call.keyLength])
            let w = weights.storage.pointer
            for i in 0..<(call.batch * heads * block) { w[i] = weight(i) }
            return weights
        case .averaged:
            let weights = try Tensor.zeros([call.batch, call.queryLength, call.keyLength])
            let w = weights.storage.pointer, share = 1 / Float(heads)
            for b in 0..<call.batch {
                for h in 0..<heads {
                    let source = (b * heads + h) * block
                    for i in 0..<block { w[b * block + i] += weight(source + i) * share }
                }
            }
            return weights
        }
    }
}

extension MultiheadAttention: StochasticLayer {
    package var randomGenerators: [RandomGenerator] { [generator] }
}
