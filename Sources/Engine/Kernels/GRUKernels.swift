import Foundation

/// One GRU direction, forward and backward, PyTorch's formulation (gate order r, z, n):
/// `r = σ(W_ir·x + b_ir + W_hr·h + b_hr)`, `z = σ(W_iz·x + b_iz + W_hz·h + b_hz)`,
/// `n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
///
/// As in `LSTMKernels`, the input projection of every step is one GEMM; each step then computes
/// `h·W_hhᵀ + b_hh` into a scratch row block (the `n` part must stay apart from the input part,
/// since `r` multiplies it alone). `reverse` walks the steps backwards; outputs stay at their step.
/// `lengths` marks padded steps as in `LSTMKernels`: they pass the state on and get no gradient.
public enum GRUKernels {
    /// Runs the sequence. Writes `gates` `(B, T, 3H)` as activated (r, z, n), `hiddenTerms` `(B, T, H)`
    /// (each step's `W_hn·h + b_hn`, which `r` multiplied) and `output` `(B, T, H)` — all needed by `backward`.
    public static func forward(_ g: RecurrentGeometry, reverse: Bool, input: UnsafePointer<Float>,
                               weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                               biasIH: UnsafePointer<Float>?, biasHH: UnsafePointer<Float>?,
                               initialHidden: UnsafePointer<Float>, gates: UnsafeMutablePointer<Float>,
                               hiddenTerms: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                               lengths: [Int]? = nil) {
        let (b, t, h, w) = (g.batch, g.steps, g.hiddenSize, g.gateWidth)
        for r in 0..<(b * t) {
            let row = gates + r * w
            for j in 0..<w { row[j] = biasIH?[j] ?? 0 }
        }
        BLAS.sgemm(transB: true, m: b * t, n: w, k: g.inputSize, a: input, lda: g.inputSize,
                   b: weightIH, ldb: g.inputSize, beta: 1, c: gates, ldc: w)
        let recurrent = ScratchBuffer(uninitializedCount: b * w)   // h·W_hhᵀ + b_hh of one step
        defer { recurrent.free() }
        for (index, step) in g.stepOrder(reverse: reverse).enumerated() {
            let previous = g.previousStep(index, step, reverse: reverse)
            let (hPrev, hStride) = previous.map { (UnsafePointer(output + $0 * h), t * h) } ?? (initialHidden, h)
            for s in 0..<b {
                let row = recurrent.pointer + s * w
                for j in 0..<w { row[j] = biasHH?[j] ?? 0 }
            }
            BLAS.sgemm(transB: true, m: b, n: w, k: h, a: hPrev, lda: hStride, b: weightHH, ldb: h,
                       beta: 1, c: recurrent.pointer, ldc: w)
            for s in 0..<b {
                let gate = gates + (s * t + step) * w, hidden = recurrent.pointer + s * w
                let term = hiddenTerms + (s * t + step) * h, out = output + (s * t + step) * h
                let hp = hPrev + s * hStride
                if g.isPadding(s, step, lengths) {
                    out.update(from: hp, count: h)
                    continue
                }
                for j in 0..<h {
                    let r = LSTMKernels.sigmoid(gate[j] + hidden[j]), z = LSTMKernels.sigmoid(gate[h + j] + hidden[h + j])
                    let n = FastMath.tanh(gate[2 * h + j] + r * hidden[2 * h + j])
                    gate[j] = r; gate[h + j] = z; gate[2 * h + j] = n
                    term[j] = hidden[2 * h + j]
                    out[j] = (1 - z) * n + z * hp[j]
                }
            }
        }
    }

    /// Gradients of `sum(output · gradOutput) + sum(h_T · gradFinalHidden)`, `h_T` the state after the
    /// last processed step. The two biases get separate gradients (`b_hn` sits inside `r ⊙ (…)`, `b_in`
    /// outside); nil without biases. Every gradient output is overwritten.
    public static func backward(_ g: RecurrentGeometry, reverse: Bool, input: UnsafePointer<Float>,
                                weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
                                initialHidden: UnsafePointer<Float>, gates: UnsafePointer<Float>,
                                hiddenTerms: UnsafePointer<Float>, output: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradFinalHidden: UnsafePointer<Float>?,
                                gradInput: UnsafeMutablePointer<Float>?,
                                gradWeightIH: UnsafeMutablePointer<Float>, gradWeightHH: UnsafeMutablePointer<Float>,
                                gradBiasIH: UnsafeMutablePointer<Float>?, gradBiasHH: UnsafeMutablePointer<Float>?,
                                gradInitialHidden: UnsafeMutablePointer<Float>?, lengths: [Int]? = nil) {
        let (b, t, h, w) = (g.batch, g.steps, g.hiddenSize, g.gateWidth)
        let gradInputGates = ScratchBuffer(uninitializedCount: b * t * w)    // d(x·W_ihᵀ + b_ih)
        let gradHiddenGates = ScratchBuffer(uninitializedCount: b * t * w)   // d(h·W_hhᵀ + b_hh)
        let previousHidden = ScratchBuffer(uninitializedCount: b * t * h)    // h_{t-1} at each step, for one dW_hh GEMM
        let dh = ScratchBuffer(count: b * h)
        defer { gradInputGates.free(); gradHiddenGates.free(); previousHidden.free(); dh.free() }
        if let gradFinalHidden { dh.pointer.update(from: gradFinalHidden, count: b * h) }
        for (index, step) in g.stepOrder(reverse: reverse).enumerated().reversed() {
            let previous = g.previousStep(index, step, reverse: reverse)
            let (hPrev, hStride) = previous.map { (output + $0 * h, t * h) } ?? (initialHidden, h)
            for s in 0..<b {
                let row = s * t + step
                let gate = gates + row * w, term = hiddenTerms + row * h, dOut = gradOutput + row * h
                let dx = gradInputGates.pointer + row * w, dHidden = gradHiddenGates.pointer + row * w
                let hp = hPrev + s * hStride, dhs = dh.pointer + s * h
                (previousHidden.pointer + row * h).update(from: hp, count: h)
                if g.isPadding(s, step, lengths) {
                    // h passes through unchanged; the GEMM below adds nothing for this row.
                    for j in 0..<h { dhs[j] += dOut[j] }
                    dx.update(repeating: 0, count: w)
                    dHidden.update(repeating: 0, count: w)
                    continue
                }
                for j in 0..<h {
                    let r = gate[j], z = gate[h + j], n = gate[2 * h + j]
                    let dhj = dOut[j] + dhs[j]
                    let dn = dhj * (1 - z) * (1 - n * n)
                    let dz = dhj * (hp[j] - n) * z * (1 - z)
                    let dr = dn * term[j] * r * (1 - r)
                    dx[j] = dr; dx[h + j] = dz; dx[2 * h + j] = dn
                    dHidden[j] = dr; dHidden[h + j] = dz; dHidden[2 * h + j] = dn * r
                    dhs[j] = dhj * z
                }
            }
            // dh for the previous step: the direct path z ⊙ dh' plus dHidden_t · W_hh.
            BLAS.sgemm(m: b, n: h, k: w, a: gradHiddenGates.pointer + step * w, lda: t * w, b: weightHH, ldb: h,
                       beta: 1, c: dh.pointer, ldc: h)
        }
        gradInitialHidden?.update(from: dh.pointer, count: b * h)
        RecurrentGradients.finish(g, input: input, weightIH: weightIH, gradInputGates: gradInputGates.pointer,
                                  gradHiddenGates: gradHiddenGates.pointer, previousHidden: previousHidden.pointer,
                                  gradInput: gradInput, gradWeightIH: gradWeightIH, gradWeightHH: gradWeightHH,
                                  gradBiasIH: gradBiasIH, gradBiasHH: gradBiasHH)
    }
}
