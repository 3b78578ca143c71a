import Foundation

/// Batch normalisation over `(N, C, L)` (L = 1 for `(N, C)`, H·W for images), PyTorch semantics:
/// training normalises with the biased batch variance and moves the running variance towards the
/// unbiased one; evaluation normalises with the running statistics. Channels are split across cores.
///
/// Statistics are gathered one contiguous row (one sample's plane) at a time — its mean and squared
/// deviations in vectorised float sums while the row is in cache — and the rows merged in double
/// (Chan's pairwise formula), so a channel is read from memory once for its statistics.
public enum BatchNormKernels {
    /// Normalises `input` into `output` and records the per-channel mean and `1/sqrt(var + eps)`
    /// used (for `backward`). In training mode, updates `runningMean` / `runningVar` in place with
    /// `momentum` when they are given; in eval mode reads them (they must be given).
    public static func forward(batch: Int, channels: Int, length: Int, training: Bool,
                               momentum: Float, epsilon: Float,
                               input: UnsafePointer<Float>, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                               runningMean: UnsafeMutablePointer<Float>?, runningVar: UnsafeMutablePointer<Float>?,
                               output: UnsafeMutablePointer<Float>,
                               savedMean: UnsafeMutablePointer<Float>, savedInvStd: UnsafeMutablePointer<Float>) {
        let count = batch * length
        KernelParallel.forEachSlice(channels, minimumPerWorker: 4) { _, slice in
            for c in slice {
                var mean: Double = 0, variance: Double = 0
                if training || runningMean == nil || runningVar == nil {
                    let (channelMean, squaredDeviations) = statistics(batch: batch, channels: channels, length: length,
                                                                      channel: c, input: input)
                    mean = channelMean
                    let biased = squaredDeviations / Double(count)
                    if let runningMean, let runningVar {
                        let unbiased = count > 1 ? squaredDeviations / Double(count - 1) : biased
                        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * Float(mean)
                        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * Float(unbiased)
                    }
                    variance = biased
                } else if let runningMean, let runningVar {
                    mean = Double(runningMean[c])
                    variance = Double(runningVar[c])
                }
                let invStd = Float(1 / (variance + Double(epsilon)).squareRoot())
                savedMean[c] = Float(mean)
                savedInvStd[c] = invStd
                let scale = (weight?[c] ?? 1) * invStd
                let shift = (bias?[c] ?? 0) - Float(mean) * scale
                for n in 0..<batch {
                    let offset = (n * channels + c) * length
                    let x = input + offset, y = output + offset
                    for i in 0..<length { y[i] = x[i] * scale + shift }
                }
            }
        }
    }

    /// Mean and sum of squared deviations of channel `c` over all samples and positions.
    private static func statistics(batch: Int, channels: Int, length: Int, channel c: Int,
                                   input: UnsafePointer<Float>) -> (mean: Double, squaredDeviations: Double) {
        var mean: Double = 0, squares: Double = 0, seen: Double = 0
        let rowCount = Double(length)
        for n in 0..<batch {
            let x = input + (n * channels + c) * length
            let rowMean = Float(Double(VectorSum.sum(x, length)) / rowCount)
            let rowSquares = Double(VectorSum.squaredDeviations(x, length, from: rowMean))
            let delta = Double(rowMean) - mean
            let total = seen + rowCount
            mean += delta * rowCount / total
            squares += rowSquares + delta * delta * seen * rowCount / total
            seen = total
        }
        return (mean, squares)
    }

    /// Gradients of `sum(output · gradOutput)`. `batchStatistics` says whether the forward pass
    /// normalised with batch statistics (training: the mean and variance depend on the input) or
    /// with fixed running statistics (eval).
    public static func backward(batch: Int, channels: Int, length: Int, batchStatistics: Bool,
                                input: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                                savedMean: UnsafePointer<Float>, savedInvStd: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                                gradWeight: UnsafeMutablePointer<Float>?, gradBias: UnsafeMutablePointer<Float>?) {
        let count = Float(batch * length)
        KernelParallel.forEachSlice(channels, minimumPerWorker: 4) { _, slice in
            for c in slice {
                let (mean, invStd) = (savedMean[c], savedInvStd[c])
                var sumDyDouble: Double = 0, sumDyCenteredDouble: Double = 0
                for n in 0..<batch {
                    let offset = (n * channels + c) * length
                    sumDyDouble += Double(VectorSum.sum(gradOutput + offset, length))
                    sumDyCenteredDouble += Double(VectorSum.centeredDot(gradOutput + offset, input + offset, length, mean: mean))
                }
                let sumDy = Float(sumDyDouble), sumDyXhat = Float(sumDyCenteredDouble) * invStd
                gradWeight?[c] = sumDyXhat
                gradBias?[c] = sumDy
                guard let gradInput else { continue }
                let scale = (weight?[c] ?? 1) * invStd
                // dx = scale·(dy − Σdy/count − x̂·Σdy·x̂/count), with x̂ = (x − mean)·invStd.
                let (meanDy, xhatWeight) = (sumDy / count, sumDyXhat / count)
                for n in 0..<batch {
                    let offset = (n * channels + c) * length
                    let x = input + offset, dy = gradOutput + offset, dx = gradInput + offset
                    if batchStatistics {
                        for i in 0..<length {
                            let xhat = (x[i] - mean) * invStd
                            dx[i] = scale * (dy[i] - meanDy - xhat * xhatWeight)
                        }
                    } else {
                        for i in 0..<length { dx[i] = scale * dy[i] }
                    }
                }
            }
        }
    }
}

/// Layer normalisation over the last `width` values of each of `rows` rows, with optional
/// elementwise affine `weight` / `bias` of length `width`. Rows are split across cores.
public enum LayerNormKernels {
    /// Normalises each row (biased variance) and records its mean and `1/sqrt(var + eps)`.
    public static func forward(rows: Int, width: Int, epsilon: Float, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                               output: UnsafeMutablePointer<Float>,
                               savedMean: UnsafeMutablePointer<Float>, savedInvStd: UnsafeMutablePointer<Float>) {
        KernelParallel.forEachSlice(rows, minimumPerWorker: 64) { _, slice in
            for r in slice {
                let x = input + r * width, y = output + r * width
                var mean: Float = 0
                for i in 0..<width { mean += x[i] }
                mean /= Float(width)
                var variance: Float = 0
                for i in 0..<width { let d = x[i] - mean; variance += d * d }
                let invStd = 1 / (variance / Float(width) + epsilon).squareRoot()
                savedMean[r] = mean
                savedInvStd[r] = invStd
                for i in 0..<width {
                    y[i] = (x[i] - mean) * invStd * (weight?[i] ?? 1) + (bias?[i] ?? 0)
                }
            }
        }
    }

    /// Gradients of `sum(output · gradOutput)`; weight and bias gradients are summed over rows.
    public static func backward(rows: Int, width: Int, input: UnsafePointer<Float>, weight: UnsafePointer<Float>?,
                                savedMean: UnsafePointer<Float>, savedInvStd: UnsafePointer<Float>,
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                                gradWeight: UnsafeMutablePointer<Float>?, gradBias: UnsafeMutablePointer<Float>?) {
        gradWeight?.update(repeating: 0, count: width)
        gradBias?.update(repeating: 0, count: width)
        for r in 0..<rows {
            let x = input + r * width, dy = gradOutput + r * width
            let (mean, invStd) = (savedMean[r], savedInvStd[r])
            if let gradWeight { for i in 0..<width { gradWeight[i] += dy[i] * (x[i] - mean) * invStd } }
            if let gradBias { for i in 0..<width { gradBias[i] += dy[i] } }
        }
        guard let gradInput else { return }
        let n = Float(width)
        KernelParallel.forEachSlice(rows, minimumPerWorker: 64) { _, slice in
            for r in slice {
                let x = input + r * width, dy = gradOutput + r * width, dx = gradInput + r * width
                let (mean, invStd) = (savedMean[r], savedInvStd[r])
                var sumG: Float = 0, sumGXhat: Float = 0
                for i in 0..<width {
                    let g = dy[i] * (weight?[i] ?? 1)
                    sumG += g
                    sumGXhat += g * (x[i] - mean) * invStd
                }
                for i in 0..<width {
                    let g = dy[i] * (weight?[i] ?? 1)
                    let xhat = (x[i] - mean) * invStd
                    dx[i] = invStd * (g - sumG / n - xhat * sumGXhat / n)
                }
            }
        }
    }
}
