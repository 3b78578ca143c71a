import EngineTensor

/// PyTorch's `nn.TransformerEncoderLayer`: self-attention and a ReLU feed-forward block, each with
/// dropout and a residual connection, normalised after (post-norm, the default) or before
/// (`normFirst`). Keys `self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
///
/// Post-norm: `x = norm1(x + dropout1(attn(x)))`, `x = norm2(x + dropout2(linear2(dropout(relu(linear1(x))))))`.
///
/// `layer(x, srcMask:, srcKeyPaddingMask:, isCausal:)` passes PyTorch's `src_mask`,
/// `src_key_padding_mask` and `is_causal` to the self-attention (see `AttentionMask` and
/// `MultiheadAttention`: `isCausal` without `srcMask` hides every later step from each step). Padded positions still get outputs, computed from
/// the keys they may see, as on PyTorch's regular path (its nested-tensor inference fast path
/// returns zeros there instead).
public final class TransformerEncoderLayer: Module {
    public let selfAttention: MultiheadAttention
    public let linear1: Linear
    public let dropout: Dropout
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let dropout1: Dropout
    public let dropout2: Dropout
    public let normFirst: Bool

    public init(dModel: Int, numHeads: Int, dimFeedforward: Int = 2048, dropout: Float = 0.1,
                layerNormEpsilon: Float = 1e-5, batchFirst: Bool = false, normFirst: Bool = false,
                generator: RandomGenerator = .global) throws {
        selfAttention = try MultiheadAttention(embedDim: dModel, numHeads: numHeads, dropout: dropout,
                                               batchFirst: batchFirst, generator: generator)
        linear1 = try Linear(dModel, dimFeedforward, generator: generator)
        self.dropout = try Dropout(dropout, generator: generator.fork())
        linear2 = try Linear(dimFeedforward, dModel, generator: generator)
        norm1 = try LayerNorm(dModel, epsilon: layerNormEpsilon)
        norm2 = try LayerNorm(dModel, epsilon: layerNormEpsilon)
        dropout1 = try Dropout(dropout, generator: generator.fork())
        dropout2 = try Dropout(dropout, generator: generator.fork())
        self.normFirst = normFirst
        super.init()
        registerModule("self_attn", selfAttention)
        registerModule("linear1", linear1)
        registerModule("dropout", self.dropout)
        registerModule("linear2", linear2)
        registerModule("norm1", norm1)
        registerModule("norm2", norm2)
        registerModule("dropout1", dropout1)
        registerModule("dropout2", dropout2)
    }

    public override var typeDescription: String {
        "TransformerEncoderLayer(d: \(linear1.inFeatures), heads: \(selfAttention.numHeads), ff: \(linear1.outFeatures)\(normFirst ? ", normFirst" : ""))"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try encode(input, srcMask: nil, srcKeyPaddingMask: nil, isCausal: false)
    }

    /// The layer with PyTorch's `src_mask` `(T, T)`, `src_key_padding_mask` `(B, T)` and `is_causal`.
    public func callAsFunction(_ src: Tensor, srcMask: AttentionMask? = nil,
                               srcKeyPaddingMask: AttentionMask? = nil, isCausal: Bool = false) throws -> Tensor {
        let output = try encode(src, srcMask: srcMask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: isCausal)
        SummaryRecorder.active?.record(self, output: output)
        return output
    }

    private func encode(_ input: Tensor, srcMask: AttentionMask?, srcKeyPaddingMask: AttentionMask?, isCausal: Bool) throws -> Tensor {
        func attention(_ x: Tensor) throws -> Tensor {
            try dropout1(selfAttention(x, x, x, keyPaddingMask: srcKeyPaddingMask, attnMask: srcMask, isCausal: isCausal))
        }
        var x = input
        if normFirst {
            x = try attributed { try x + attention(norm1(x)) }
            return try attributed { try x + feedForward(norm2(x)) }
        }
        x = try norm1(attributed { try x + attention(x) })
        return try norm2(attributed { try x + feedForward(x) })
    }

    private func feedForward(_ x: Tensor) throws -> Tensor {
        try dropout2(linear2(dropout(linear1(x).relu())))
    }
}

/// A stack of `numLayers` encoder layers under the key `layers` (`layers.0.…`, `layers.1.…`).
/// Like PyTorch, which deep-copies one layer, every layer starts from the same initial weights.
public final class TransformerEncoder: Module {
    public let layers: ModuleList
    private let encoderLayers: [TransformerEncoderLayer]

    public init(numLayers: Int, makeLayer: () throws -> TransformerEncoderLayer) throws {
        try requirePositive("TransformerEncoder", ["numLayers": numLayers])
        let built = try (0..<numLayers).map { _ in try makeLayer() }
        let initial = built[0].stateDict()
        for layer in built.dropFirst() { try layer.loadStateDict(initial) }
        layers = ModuleList(built)
        encoderLayers = built
        super.init()
        registerModule("layers", layers)
    }

    public override var typeDescription: String { "TransformerEncoder(\(layers.modules.count) layers)" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try encoderLayers.reduce(input) { x, layer in try layer(x) }
    }

    /// The stack with PyTorch's `mask` `(T, T)`, `src_key_padding_mask` `(B, T)` and `is_causal`
    /// (without `mask`, each step sees only the steps up to it), passed to every layer.
    public func callAsFunction(_ src: Tensor, mask: AttentionMask? = nil, srcKeyPaddingMask: AttentionMask? = nil,
                               isCausal: Bool = false) throws -> Tensor {
        let output = try encoderLayers.reduce(src) { x, layer in
            try layer(x, srcMask: mask, srcKeyPaddingMask: srcKeyPaddingMask, isCausal: isCausal)
        }
        SummaryRecorder.active?.record(self, output: output)
        return output
    }
}
