import Foundation

/// One LSTM direction, forward and backward, PyTorch's formulation:
/// `gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` split as (i, f, g, o);
/// `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`.
///
/// The input projection for every step is ONE GEMM over `batch · steps` rows; each step then adds
/// the recurrent GEMM `(batch × hidden) · W_hhᵀ` in place. `reverse` walks the steps backwards
/// (the second direction of a bidirectional LSTM); outputs are still stored at their own step.
/// Gate activations use the branch-free `FastMath.exp` / `tanh` (within 3 ulp of libm) so the
/// per-step loops vectorise instead of calling libm per value.
public enum LSTMKernels {
    /// Runs the sequence. Writes `gates` `(B, T, 4H)` as activated (σ(i), σ(f), tanh(g), σ(o)),
    /// `cells` `(B, T, H)` and `output` `(B, T, H)` — all three are needed by `backward`.
    public static func forward(_ g: RecurrentGeometry, reverse: Bool, input: UnsafePointer<Float>,
                               weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                               biasIH: UnsafePointer<Float>?, biasHH: UnsafePointer<Float>?,
                               initialHidden: UnsafePointer<Float>, initialCell: UnsafePointer<Float>,
                               gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>,
                               output: UnsafeMutablePointer<Float>) {
        let (b, t, h, w) = (g.batch, g.steps, g.hiddenSize, g.gateWidth)
        let rows = b * t
        for r in 0..<rows {
            let row = gates + r * w
            for j in 0..<w { row[j] = (biasIH?[j] ?? 0) + (biasHH?[j] ?? 0) }
        }
        BLAS.sgemm(transB: true, m: rows, n: w, k: g.inputSize, a: input, lda: g.inputSize,
                   b: weightIH, ldb: g.inputSize, beta: 1, c: gates, ldc: w)
        for (index, step) in g.stepOrder(reverse: reverse).enumerated() {
            let previous = g.previousOffset(index, step, reverse: reverse)
            let (hPrev, hStride) = previous.map { (UnsafePointer(output + $0), t * h) } ?? (initialHidden, h)
            let (cPrev, cStride) = previous.map { (UnsafePointer(cells + $0), t * h) } ?? (initialCell, h)
            BLAS.sgemm(transB: true, m: b, n: w, k: h, a: hPrev, lda: hStride, b: weightHH, ldb: h,
                       beta: 1, c: gates + step * w, ldc: t * w)
            for s in 0..<b {
                let gate = gates + (s * t + step) * w
                let c = cells + (s * t + step) * h, out = output + (s * t + step) * h
                let cp = cPrev + s * cStride
                for j in 0..<h {
                    let i = sigmoid(gate[j]), f = sigmoid(gate[h + j])
                    let gg = FastMath.tanh(gate[2 * h + j]), o = sigmoid(gate[3 * h + j])
                    gate[j] = i; gate[h + j] = f; gate[2 * h + j] = gg; gate[3 * h + j] = o
                    c[j] = f * cp[j] + i * gg
                    out[j] = o * FastMath.tanh(c[j])
                }
            }
        }
    }

    /// Gradients of `sum(output · gradOutput) + sum(h_T · gradFinalHidden) + sum(c_T · gradFinalCell)`,
    /// where `h_T`, `c_T` are the states after the last processed step. `gradBias` is the gradient of
    /// both `b_ih` and `b_hh` (they enter identically; nil without biases). Every gradient output is
    /// overwritten.
    public static func backward(_ g: RecurrentGeometry, reverse: Bool, input: UnsafePointer<Float>,
                                weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                                initialHidden: UnsafePointer<Float>, initialCell: UnsafePointer<Float>,
                                gates: UnsafePointer<Float>, cells: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>,
                                gradFinalHidden: UnsafePointer<Float>?, gradFinalCell: UnsafePointer<Float>?,
                                gradInput: UnsafeMutablePointer<Float>?,
                                gradWeightIH: UnsafeMutablePointer<Float>, gradWeightHH: UnsafeMutablePointer<Float>,
                                gradBias: UnsafeMutablePointer<Float>?,
                                gradInitialHidden: UnsafeMutablePointer<Float>?, gradInitialCell: UnsafeMutablePointer<Float>?) {
        let (b, t, h, w) = (g.batch, g.steps, g.hiddenSize, g.gateWidth)
        let gradGates = ScratchBuffer(count: b * t * w)
        let previousHidden = ScratchBuffer(count: b * t * h)   // h_{t-1} at each step, for one dW_hh GEMM
        let dh = ScratchBuffer(count: b * h), dc = ScratchBuffer(count: b * h)
        defer { gradGates.free(); previousHidden.free(); dh.free(); dc.free() }
        if let gradFinalHidden { dh.pointer.update(from: gradFinalHidden, count: b * h) }
        if let gradFinalCell { dc.pointer.update(from: gradFinalCell, count: b * h) }
        for (index, step) in g.stepOrder(reverse: reverse).enumerated().reversed() {
            let previous = g.previousOffset(index, step, reverse: reverse)
            let (cPrev, cStride) = previous.map { (cells + $0, t * h) } ?? (initialCell, h)
            let (hPrev, hStride) = previous.map { (output + $0, t * h) } ?? (initialHidden, h)
            for s in 0..<b {
                let row = s * t + step
                let gate = gates + row * w, dGate = gradGates.pointer + row * w
                let c = cells + row * h, dOut = gradOutput + row * h
                let cp = cPrev + s * cStride
                let dhs = dh.pointer + s * h, dcs = dc.pointer + s * h
                (previousHidden.pointer + row * h).update(from: hPrev + s * hStride, count: h)
                for j in 0..<h {
                    let i = gate[j], f = gate[h + j], gg = gate[2 * h + j], o = gate[3 * h + j]
                    let tc = FastMath.tanh(c[j])
                    let dhj = dOut[j] + dhs[j]
                    let dcj = dhj * o * (1 - tc * tc) + dcs[j]
                    dGate[j] = dcj * gg * i * (1 - i)
                    dGate[h + j] = dcj * cp[j] * f * (1 - f)
                    dGate[2 * h + j] = dcj * i * (1 - gg * gg)
                    dGate[3 * h + j] = dhj * tc * o * (1 - o)
                    dcs[j] = dcj * f
                }
            }
            // dh for the previous step: dGates_t · W_hh.
            BLAS.sgemm(m: b, n: h, k: w, a: gradGates.pointer + step * w, lda: t * w, b: weightHH, ldb: h,
                       c: dh.pointer, ldc: h)
        }
        gradInitialHidden?.update(from: dh.pointer, count: b * h)
        gradInitialCell?.update(from: dc.pointer, count: b * h)
        RecurrentGradients.finish(g, input: input, weightIH: weightIH, gradInputGates: gradGates.pointer,
                                  gradHiddenGates: gradGates.pointer, previousHidden: previousHidden.pointer,
                                  gradInput: gradInput, gradWeightIH: gradWeightIH, gradWeightHH: gradWeightHH,
                                  gradBiasIH: gradBias, gradBiasHH: nil)
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + FastMath.exp(-x)) }
}
