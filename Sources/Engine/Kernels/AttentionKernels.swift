
/// Where the rows of one sequence live inside a strided buffer: row `t` of sequence `s` (for head `h`)
/// starts at `s · sequenceStride + t · rowStride + h · headDim`. This reads queries, keys and values
/// straight out of a packed `(T, B, 3E)` or `(B, T, 3E)` projection without permuting copies.
public struct SequenceLayout: Equatable, Sendable {
    public var rowStride: Int
    public var sequenceStride: Int

    public init(rowStride: Int, sequenceStride: Int) {
        self.rowStride = rowStride
        self.sequenceStride = sequenceStride
    }
}

/// Sizes of multi-head scaled dot-product attention: `batch` sequences of `queryLength` queries,
/// each attending to `keyLength` keys (and as many values).
public struct AttentionGeometry: Equatable, Sendable {
    public var batch: Int
    public var heads: Int
    public var queryLength: Int
    public var keyLength: Int
    public var headDim: Int
    /// Layout of the query rows.
    public var query: SequenceLayout
    /// Layout of the key rows and of the value rows (they share it).
    public var keyValue: SequenceLayout
    /// Layout of the output rows.
    public var output: SequenceLayout

    public init(batch: Int, heads: Int, queryLength: Int, keyLength: Int, headDim: Int,
                query: SequenceLayout, keyValue: SequenceLayout, output: SequenceLayout) {
        self.batch = batch
        self.heads = heads
        self.queryLength = queryLength
        self.keyLength = keyLength
        self.headDim = headDim
        self.query = query
        self.keyValue = keyValue
        self.output = output
    }

    /// Self-attention: queries, keys and values are `steps` rows each in one shared layout.
    public init(batch: Int, heads: Int, steps: Int, headDim: Int, input: SequenceLayout, output: SequenceLayout) {
        self.init(batch: batch, heads: heads, queryLength: steps, keyLength: steps, headDim: headDim,
                  query: input, keyValue: input, output: output)
    }

    /// Floats of the probability tensor `(batch · heads, queryLength, keyLength)`.
    public var probabilityCount: Int { batch * heads * queryLength * keyLength }
}

/// Additive terms for the attention scores (masks): `(queryLength, keyLength)` floats per sequence,
/// `sequenceStride` apart (0 when every sequence shares one), added before the softmax; `-inf`
/// hides a key.
public struct AttentionScoreBias {
    public var values: UnsafePointer<Float>
    public var sequenceStride: Int

    public init(values: UnsafePointer<Float>, sequenceStride: Int) {
        self.values = values
        self.sequenceStride = sequenceStride
    }
}

/// `softmax(Q·Kᵀ · scale + bias) · V` for every (sequence, head), optionally with a dropout mask on
/// the probabilities (PyTorch's attention dropout), forward and backward on batched GEMMs.
/// The (sequence, head) pairs are split across the cores. A query whose keys are all at `-inf`
/// gets NaN probabilities, as in PyTorch.
public enum AttentionKernels {
    /// Writes the softmax probabilities (before dropout) to `probabilities` and the attended values
    /// to `output`. `mask`, when given, holds `keep / (1 − p)` per probability.
    public static func forward(_ g: AttentionGeometry, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
                               value: UnsafePointer<Float>, scale: Float, bias: AttentionScoreBias? = nil,
                               mask: UnsafePointer<Float>?, probabilities: UnsafeMutablePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
        let (l, s, d) = (g.queryLength, g.keyLength, g.headDim)
        KernelParallel.forEachSlice(g.batch * g.heads) { _, pairs in
            let dropped = ScratchBuffer(count: mask == nil ? 0 : l * s)
            defer { dropped.free() }
            for pair in pairs {
                let (sequence, h) = (pair / g.heads, pair % g.heads)
                let (qOffset, kvOffset) = (sequence * g.query.sequenceStride + h * d, sequence * g.keyValue.sequenceStride + h * d)
                let p = probabilities + pair * l * s
                BLAS.sgemm(transB: true, m: l, n: s, k: d, alpha: scale, a: query + qOffset, lda: g.query.rowStride,
                           b: key + kvOffset, ldb: g.keyValue.rowStride, c: p, ldc: s)
                if let bias {
                    let b = bias.values + sequence * bias.sequenceStride
                    for i in 0..<(l * s) { p[i] += b[i] }
                }
                SoftmaxKernels.forward(rows: l, width: s, input: p, output: p)
                var weights = UnsafePointer(p)
                if let mask {
                    let m = mask + pair * l * s
                    for i in 0..<(l * s) { dropped.pointer[i] = p[i] * m[i] }
                    weights = UnsafePointer(dropped.pointer)
                }
                BLAS.sgemm(m: l, n: d, k: s, a: weights, lda: s, b: value + kvOffset, ldb: g.keyValue.rowStride,
                           c: output + sequence * g.output.sequenceStride + h * d, ldc: g.output.rowStride)
            }
        }
    }

    /// Gradients with respect to queries (in the query layout), keys and values (in the key/value
    /// layout); every entry of a head's rows is overwritten, other entries of the buffers are
    /// untouched. The score bias is a constant and needs no gradient.
    public static func backward(_ g: AttentionGeometry, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
                                value: UnsafePointer<Float>, scale: Float, mask: UnsafePointer<Float>?,
                                probabilities: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradQuery: UnsafeMutablePointer<Float>, gradKey: UnsafeMutablePointer<Float>,
                                gradValue: UnsafeMutablePointer<Float>) {
        let (l, s, d) = (g.queryLength, g.keyLength, g.headDim)
        KernelParallel.forEachSlice(g.batch * g.heads) { _, pairs in
            let gradWeights = ScratchBuffer(count: l * s)
            let dropped = ScratchBuffer(count: mask == nil ? 0 : l * s)
            defer { gradWeights.free(); dropped.free() }
            for pair in pairs {
                let (sequence, h) = (pair / g.heads, pair % g.heads)
                let (qOffset, kvOffset) = (sequence * g.query.sequenceStride + h * d, sequence * g.keyValue.sequenceStride + h * d)
                let dOut = gradOutput + sequence * g.output.sequenceStride + h * d
                let p = probabilities + pair * l * s
                var weights = p
                if let mask {
                    let m = mask + pair * l * s
                    for i in 0..<(l * s) { dropped.pointer[i] = p[i] * m[i] }
                    weights = UnsafePointer(dropped.pointer)
                }
                // dV = Wᵀ · dO ; dW = dO · Vᵀ
                BLAS.sgemm(transA: true, m: s, n: d, k: l, a: weights, lda: s, b: dOut, ldb: g.output.rowStride,
                           c: gradValue + kvOffset, ldc: g.keyValue.rowStride)
                let dW = gradWeights.pointer
                BLAS.sgemm(transB: true, m: l, n: s, k: d, a: dOut, lda: g.output.rowStride,
                           b: value + kvOffset, ldb: g.keyValue.rowStride, c: dW, ldc: s)
                if let mask {
                    let m = mask + pair * l * s
                    for i in 0..<(l * s) { dW[i] *= m[i] }
                }
                SoftmaxKernels.backward(rows: l, width: s, output: p, gradOutput: dW, gradInput: dW)
                // Scores were scale · Q·Kᵀ (+ bias): dQ = scale · dS · K ; dK = scale · dSᵀ · Q
                BLAS.sgemm(m: l, n: d, k: s, alpha: scale, a: dW, lda: s, b: key + kvOffset, ldb: g.keyValue.rowStride,
                           c: gradQuery + qOffset, ldc: g.query.rowStride)
                BLAS.sgemm(transA: true, m: s, n: d, k: l, alpha: scale, a: dW, lda: s, b: query + qOffset,
                           ldb: g.query.rowStride, c: gradKey + kvOffset, ldc: g.keyValue.rowStride)
            }
        }
    }
}
