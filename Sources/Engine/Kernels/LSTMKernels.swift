import Foundation

/// One LSTM direction, forward and backward, PyTorch's formulation:
/// `gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh` split as (i, f, g, o);
/// `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')` — or, with a projection (PyTorch's
/// `proj_size` P), `h' = W_hr·(σ(o)·tanh(c'))`, so `h` and the output have P features.
///
/// The input projection for every step is ONE GEMM over `batch · steps` rows; each step then adds
/// the recurrent GEMM `(batch × hidden) · W_hhᵀ` in place. `reverse` walks the steps backwards
/// (the second direction of a bidirectional LSTM); outputs are still stored at their own step.
/// Gate activations use the branch-free `FastMath.exp` / `tanh` (within 3 ulp of libm) so the
/// per-step loops vectorise instead of calling libm per value.
///
/// With `lengths` (one per batch row, each in `1...steps`), the steps at and past a row's length are
/// padding: they pass the states on unchanged (see `RecurrentGeometry.isPadding`) and get no gradient.
public enum LSTMKernels {
    /// Runs the sequence. Writes `gates` `(B, T, 4H)` as activated (σ(i), σ(f), tanh(g), σ(o)),
    /// `cells` `(B, T, H)` and `output` `(B, T, P)` — all three are needed by `backward`. With a
    /// `projection`, `W_hr` `(P, H)` maps each step's `σ(o)·tanh(c)`, kept in its `cellOutputs` `(B, T, H)`.
    public static func forward(_ g: RecurrentGeometry, reverse: Bool, input: UnsafePointer<Float>,
                               weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                               biasIH: UnsafePointer<Float>?, biasHH: UnsafePointer<Float>?,
                               initialHidden: UnsafePointer<Float>, initialCell: UnsafePointer<Float>,
                               gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>,
                               output: UnsafeMutablePointer<Float>,
                               projection: (weight: UnsafePointer<Float>, cellOutputs: UnsafeMutablePointer<Float>)? = nil,
                               lengths: [Int]? = nil) {
        let (b, t, h, w, p) = (g.batch, g.steps, g.hiddenSize, g.gateWidth, g.outputSize)
        let rows = b * t
        let unprojected = projection?.cellOutputs ?? output   // where σ(o)·tanh(c) goes
        for r in 0..<rows {
            let row = gates + r * w
            for j in 0..<w { row[j] = (biasIH?[j] ?? 0) + (biasHH?[j] ?? 0) }
        }
        BLAS.sgemm(transB: true, m: rows, n: w, k: g.inputSize, a: input, lda: g.inputSize,
                   b: weightIH, ldb: g.inputSize, beta: 1, c: gates, ldc: w)
        for (index, step) in g.stepOrder(reverse: reverse).enumerated() {
            let previous = g.previousStep(index, step, reverse: reverse)
            let (hPrev, hStride) = previous.map { (UnsafePointer(output + $0 * p), t * p) } ?? (initialHidden, p)
            let (cPrev, cStride) = previous.map { (UnsafePointer(cells + $0 * h), t * h) } ?? (initialCell, h)
            BLAS.sgemm(transB: true, m: b, n: w, k: p, a: hPrev, lda: hStride, b: weightHH, ldb: p,
                       beta: 1, c: gates + step * w, ldc: t * w)
            for s in 0..<b {
                let gate = gates + (s * t + step) * w
                let c = cells + (s * t + step) * h, out = unprojected + (s * t + step) * h
                let cp = cPrev + s * cStride
                if g.isPadding(s, step, lengths) {
                    c.update(from: cp, count: h)
                    // Unprojected, the output is h itself; projected, it is restored after the GEMM.
                    if projection == nil { out.update(from: hPrev + s * hStride, count: h) } else { out.update(repeating: 0, count: h) }
                    continue
                }
                for j in 0..<h {
                    let i = sigmoid(gate[j]), f = sigmoid(gate[h + j])
                    let gg = FastMath.tanh(gate[2 * h + j]), o = sigmoid(gate[3 * h + j])
                    gate[j] = i; gate[h + j] = f; gate[2 * h + j] = gg; gate[3 * h + j] = o
                    c[j] = f * cp[j] + i * gg
                    out[j] = o * FastMath.tanh(c[j])
                }
            }
            if let projection {
                BLAS.sgemm(transB: true, m: b, n: p, k: h, a: projection.cellOutputs + step * h, lda: t * h,
                           b: projection.weight, ldb: h, c: output + step * p, ldc: t * p)
                for s in 0..<b where g.isPadding(s, step, lengths) {
                    (output + (s * t + step) * p).update(from: hPrev + s * hStride, count: p)
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
                                gradInitialHidden: UnsafeMutablePointer<Float>?, gradInitialCell: UnsafeMutablePointer<Float>?,
                                projection: (weight: UnsafePointer<Float>, cellOutputs: UnsafePointer<Float>,
                                             gradWeight: UnsafeMutablePointer<Float>)? = nil,
                                lengths: [Int]? = nil) {
        let (b, t, h, w, p) = (g.batch, g.steps, g.hiddenSize, g.gateWidth, g.outputSize)
        let gradGates = ScratchBuffer(count: b * t * w)
        let previousHidden = ScratchBuffer(count: b * t * p)   // h_{t-1} at each step, for one dW_hh GEMM
        let dh = ScratchBuffer(count: b * p), dc = ScratchBuffer(count: b * h)
        // With a projection: each step's d h (for one dW_hr GEMM), its image d(σ(o)·tanh c) = dh·W_hr,
        // and zeros standing in for the carried gradient, which the image already holds.
        let projected = projection == nil ? 0 : 1
        let gradHidden = ScratchBuffer(count: projected * b * t * p)
        let gradUnprojected = ScratchBuffer(count: projected * b * h), none = ScratchBuffer(count: projected * h)
        let carried = ScratchBuffer(count: lengths == nil ? 0 : b * p)   // dh passed through padded steps
        defer {
            gradGates.free(); previousHidden.free(); dh.free(); dc.free(); gradHidden.free(); gradUnprojected.free(); none.free()
            carried.free()
        }
        if let gradFinalHidden { dh.pointer.update(from: gradFinalHidden, count: b * p) }
        if let gradFinalCell { dc.pointer.update(from: gradFinalCell, count: b * h) }
        for (index, step) in g.stepOrder(reverse: reverse).enumerated().reversed() {
            let previous = g.previousStep(index, step, reverse: reverse)
            let (cPrev, cStride) = previous.map { (cells + $0 * h, t * h) } ?? (initialCell, h)
            let (hPrev, hStride) = previous.map { (output + $0 * p, t * p) } ?? (initialHidden, p)
            if let projection {
                for s in 0..<b {
                    let total = gradHidden.pointer + (s * t + step) * p, dOut = gradOutput + (s * t + step) * p
                    let dhs = dh.pointer + s * p
                    for j in 0..<p { total[j] = dOut[j] + dhs[j] }
                }
                BLAS.sgemm(m: b, n: h, k: p, a: gradHidden.pointer + step * p, lda: t * p, b: projection.weight, ldb: h,
                           c: gradUnprojected.pointer, ldc: h)
            }
            for s in 0..<b {
                let row = s * t + step
                let gate = gates + row * w, dGate = gradGates.pointer + row * w
                let c = cells + row * h
                let cp = cPrev + s * cStride
                let dcs = dc.pointer + s * h
                // d(σ(o)·tanh c) = the output's gradient + the one carried from the next step.
                let (dOut, dhs) = projection == nil ? (gradOutput + row * h, UnsafePointer(dh.pointer + s * h))
                                                    : (UnsafePointer(gradUnprojected.pointer + s * h), UnsafePointer(none.pointer))
                (previousHidden.pointer + row * p).update(from: hPrev + s * hStride, count: p)
                if g.isPadding(s, step, lengths) {
                    // h and c pass through unchanged: their gradients go to the previous step as they are.
                    let carry = carried.pointer + s * p, dOutput = gradOutput + row * p, dhRow = dh.pointer + s * p
                    for j in 0..<p { carry[j] = dOutput[j] + dhRow[j] }
                    dGate.update(repeating: 0, count: w)
                    if projection != nil { (gradHidden.pointer + row * p).update(repeating: 0, count: p) }
                    continue
                }
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
            BLAS.sgemm(m: b, n: p, k: w, a: gradGates.pointer + step * w, lda: t * w, b: weightHH, ldb: p,
                       c: dh.pointer, ldc: p)
            for s in 0..<b where g.isPadding(s, step, lengths) {
                (dh.pointer + s * p).update(from: carried.pointer + s * p, count: p)
            }
        }
        gradInitialHidden?.update(from: dh.pointer, count: b * p)
        gradInitialCell?.update(from: dc.pointer, count: b * h)
        if let projection {
            BLAS.sgemm(transA: true, m: p, n: h, k: b * t, a: gradHidden.pointer, lda: p, b: projection.cellOutputs, ldb: h,
                       c: projection.gradWeight, ldc: h)
        }
        RecurrentGradients.finish(g, input: input, weightIH: weightIH, gradInputGates: gradGates.pointer,
                                  gradHiddenGates: gradGates.pointer, previousHidden: previousHidden.pointer,
                                  gradInput: gradInput, gradWeightIH: gradWeightIH, gradWeightHH: gradWeightHH,
                                  gradBiasIH: gradBias, gradBiasHH: nil)
    }

    @inline(__always)
    package static func sigmoid(_ x: Float) -> Float { 1 / (1 + FastMath.exp(-x)) }
}
