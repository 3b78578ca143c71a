
/// Batched convolution as im2col + one `sgemm` per sample, forward and backward.
///
/// Layouts are row-major: input `(N, C, H, W)`, weight `(O, C / groups, kh, kw)`, bias `(O)`,
/// output `(N, O, oh, ow)`. With groups, each group's rows of the patch matrix meet that group's weight
/// rows in their own GEMM. Samples are split across the cores; every kernel overwrites its outputs.
public enum ConvKernels {
    /// `output[n] = weight · im2col(input[n]) + bias`.
    public static func forward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let (k, p) = (g.patchSize, g.outPositions)
        let (gk, go) = (g.groupPatchSize, g.groupOutChannels)
        KernelParallel.forEachSlice(g.batch) { _, samples in
            let columns = ScratchBuffer(uninitializedCount: k * p)
            defer { columns.free() }
            for n in samples {
                let out = output + n * g.outputSampleCount
                Im2Col.unfold(g, image: input + n * g.inputSampleCount, columns: columns.pointer)
                if let bias {
                    for o in 0..<g.outChannels { (out + o * p).update(repeating: bias[o], count: p) }
                }
                for group in 0..<g.groups {   // one GEMM when groups == 1
                    BLAS.sgemm(m: go, n: p, k: gk, a: weight + group * go * gk, lda: gk,
                               b: columns.pointer + group * gk * p, ldb: p,
                               beta: bias == nil ? 0 : 1, c: out + group * go * p, ldc: p)
                }
            }
        }
    }

    /// Gradients of `sum(output · gradOutput)` with respect to input, weight and bias;
    /// pass `nil` for any gradient that is not wanted.
    public static func backward(_ g: ConvGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>,
                                gradInput: UnsafeMutablePointer<Float>?,
                                gradWeight: UnsafeMutablePointer<Float>?,
                                gradBias: UnsafeMutablePointer<Float>?) {
        let (k, p, o) = (g.patchSize, g.outPositions, g.outChannels)
        let (gk, go) = (g.groupPatchSize, g.groupOutChannels)
        let weightCount = g.weightCount
        // One weight-gradient partial per worker, summed afterwards: workers never share a buffer.
        let partials = ScratchBuffer(count: KernelParallel.workerCount * weightCount)
        defer { partials.free() }
        KernelParallel.forEachSlice(g.batch) { worker, samples in
            let columns = ScratchBuffer(uninitializedCount: k * p)
            defer { columns.free() }
            let partial = partials.pointer + worker * weightCount
            for n in samples {
                let dOut = gradOutput + n * g.outputSampleCount
                if gradWeight != nil {
                    Im2Col.unfold(g, image: input + n * g.inputSampleCount, columns: columns.pointer)
                    for group in 0..<g.groups {
                        BLAS.sgemm(transB: true, m: go, n: gk, k: p, a: dOut + group * go * p, lda: p,
                                   b: columns.pointer + group * gk * p, ldb: p,
                                   beta: 1, c: partial + group * go * gk, ldc: gk)
                    }
                }
                if let gradInput {
                    for group in 0..<g.groups {
                        BLAS.sgemm(transA: true, m: gk, n: p, k: go, a: weight + group * go * gk, lda: gk,
                                   b: dOut + group * go * p, ldb: p, c: columns.pointer + group * gk * p, ldc: p)
                    }
                    Im2Col.fold(g, columns: columns.pointer, image: gradInput + n * g.inputSampleCount)
                }
            }
        }
        if let gradWeight {
            gradWeight.update(from: partials.pointer, count: weightCount)
            for w in 1..<KernelParallel.workerCount {   // unused partials stay zero
                BLAS.saxpy(count: weightCount, alpha: 1, x: partials.pointer + w * weightCount, y: gradWeight)
            }
        }
        if let gradBias {
            KernelParallel.forEachSlice(o) { _, channels in
                for c in channels {
                    var sum: Double = 0
                    for n in 0..<g.batch { sum += Double(VectorSum.sum(gradOutput + n * g.outputSampleCount + c * p, p)) }
                    gradBias[c] = Float(sum)
                }
            }
        }
    }
}
