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

/// Sizes of multi-head scaled dot-product attention over `batch` sequences of `steps` steps.
public struct AttentionGeometry: Equatable, Sendable {
    public var batch: Int
    public var heads: Int
    public var steps: Int
    public var headDim: Int
    /// Layout of the query, key and value rows (they share one packed buffer).
    public var input: SequenceLayout
    /// Layout of the output rows.
    public var output: SequenceLayout

    public init(batch: Int, heads: Int, steps: Int, headDim: Int, input: SequenceLayout, output: SequenceLayout) {
        self.batch = batch
        self.heads = heads
        self.steps = steps
        self.headDim = headDim
        self.input = input
        self.output = output
    }

    /// Floats of the probability tensor `(batch · heads, steps, steps)`.
    public var probabilityCount: Int { batch * heads * steps * steps }
}

/// `softmax(Q·Kᵀ · scale) · V` for every (sequence, head), optionally with a dropout mask on the
/// probabilities (PyTorch's attention dropout), forward and backward on batched GEMMs.
/// The (sequence, head) pairs are split across the cores.
public enum AttentionKernels {
    /// Writes the softmax probabilities (before dropout) to `probabilities` and the attended values
    /// to `output`. `mask`, when given, holds `keep / (1 − p)` per probability.
    public static func forward(_ g: AttentionGeometry, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
                               value: UnsafePointer<Float>, scale: Float, mask: UnsafePointer<Float>?,
                               probabilities: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let (t, d) = (g.steps, g.headDim)
        KernelParallel.forEachSlice(g.batch * g.heads) { _, pairs in
            let dropped = ScratchBuffer(count: mask == nil ? 0 : t * t)
            defer { dropped.free() }
            for pair in pairs {
                let (s, h) = (pair / g.heads, pair % g.heads)
                let inOffset = s * g.input.sequenceStride + h * d
                let p = probabilities + pair * t * t
                BLAS.sgemm(transB: true, m: t, n: t, k: d, alpha: scale, a: query + inOffset, lda: g.input.rowStride,
                           b: key + inOffset, ldb: g.input.rowStride, c: p, ldc: t)
                SoftmaxKernels.forward(rows: t, width: t, input: p, output: p)
                var weights = UnsafePointer(p)
                if let mask {
                    let m = mask + pair * t * t
                    for i in 0..<(t * t) { dropped.pointer[i] = p[i] * m[i] }
                    weights = UnsafePointer(dropped.pointer)
                }
                BLAS.sgemm(m: t, n: d, k: t, a: weights, lda: t, b: value + inOffset, ldb: g.input.rowStride,
                           c: output + s * g.output.sequenceStride + h * d, ldc: g.output.rowStride)
            }
        }
    }

    /// Gradients with respect to queries, keys and values, written in the input layout
    /// (every entry of a head's rows is overwritten; other entries of the buffers are untouched).
    public static func backward(_ g: AttentionGeometry, query: UnsafePointer<Float>, key: UnsafePointer<Float>,
                                value: UnsafePointer<Float>, scale: Float, mask: UnsafePointer<Float>?,
                                probabilities: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                gradQuery: UnsafeMutablePointer<Float>, gradKey: UnsafeMutablePointer<Float>,
                                gradValue: UnsafeMutablePointer<Float>) {
        let (t, d) = (g.steps, g.headDim)
        KernelParallel.forEachSlice(g.batch * g.heads) { _, pairs in
            let gradWeights = ScratchBuffer(count: t * t)
            let dropped = ScratchBuffer(count: mask == nil ? 0 : t * t)
            defer { gradWeights.free(); dropped.free() }
            for pair in pairs {
                let (s, h) = (pair / g.heads, pair % g.heads)
                let inOffset = s * g.input.sequenceStride + h * d
                let dOut = gradOutput + s * g.output.sequenceStride + h * d
                let p = probabilities + pair * t * t
                var weights = p
                if let mask {
                    let m = mask + pair * t * t
                    for i in 0..<(t * t) { dropped.pointer[i] = p[i] * m[i] }
                    weights = UnsafePointer(dropped.pointer)
                }
                // dV = Wᵀ · dO ; dW = dO · Vᵀ
                BLAS.sgemm(transA: true, m: t, n: d, k: t, a: weights, lda: t, b: dOut, ldb: g.output.rowStride,
                           c: gradValue + inOffset, ldc: g.input.rowStride)
                let dW = gradWeights.pointer
                BLAS.sgemm(transB: true, m: t, n: t, k: d, a: dOut, lda: g.output.rowStride,
                           b: value + inOffset, ldb: g.input.rowStride, c: dW, ldc: t)
                if let mask {
                    let m = mask + pair * t * t
                    for i in 0..<(t * t) { dW[i] *= m[i] }
                }
                SoftmaxKernels.backward(rows: t, width: t, output: p, gradOutput: dW, gradInput: dW)
                // Scores were scale · Q·Kᵀ: dQ = scale · dS · K ; dK = scale · dSᵀ · Q
                BLAS.sgemm(m: t, n: d, k: t, alpha: scale, a: dW, lda: t, b: key + inOffset, ldb: g.input.rowStride,
                           c: gradQuery + inOffset, ldc: g.input.rowStride)
                BLAS.sgemm(transA: true, m: t, n: d, k: t, alpha: scale, a: dW, lda: t, b: query + inOffset,
                           ldb: g.input.rowStride, c: gradKey + inOffset, ldc: g.input.rowStride)
            }
        }
    }
}
