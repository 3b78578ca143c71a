/// Sizes of a 2-D pooling window over `planes` independent `(height, width)` planes
/// (planes = batch · channels); no padding, floor rounding, as PyTorch's defaults.
public struct PoolGeometry: Equatable, Sendable {
    public var planes: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int

    /// A pooling geometry; `stride` defaults to the kernel, as in PyTorch.
    public init(planes: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int)? = nil) {
        self.planes = planes
        self.height = height
        self.width = width
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride ?? kernel
    }

    /// Output rows: `(height − kh) / sh + 1`.
    public var outHeight: Int { (height - kernelHeight) / strideHeight + 1 }
    /// Output columns: `(width − kw) / sw + 1`.
    public var outWidth: Int { (width - kernelWidth) / strideWidth + 1 }
    /// Whether every size is positive and the window fits the plane.
    public var isValid: Bool {
        planes > 0 && kernelHeight > 0 && kernelWidth > 0 && strideHeight > 0 && strideWidth > 0
            && height >= kernelHeight && width >= kernelWidth
    }
}

/// Max and average pooling over planes, forward and backward. Planes are split across the cores.
public enum PoolKernels {
    /// Window maxima, with the flat in-plane index of each maximum in `argmax` (first one on ties).
    public static func maxForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                  output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let x = input + pl * plane
                let y = output + pl * oh * ow
                let at = argmax + pl * oh * ow
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let top = oy * g.strideHeight, left = ox * g.strideWidth
                        var best = top * g.width + left
                        var bestValue = x[best]
                        for ky in 0..<g.kernelHeight {
                            let rowStart = (top + ky) * g.width + left
                            for kx in 0..<g.kernelWidth where x[rowStart + kx] > bestValue || x[rowStart + kx].isNaN {
                                best = rowStart + kx
                                bestValue = x[best]
                            }
                        }
                        y[oy * ow + ox] = bestValue
                        at[oy * ow + ox] = Int32(best)
                    }
                }
            }
        }
    }

    /// Routes each output gradient to the input position that won its window.
    public static func maxBackward(_ g: PoolGeometry, gradOutput: UnsafePointer<Float>,
                                   argmax: UnsafePointer<Int32>, gradInput: UnsafeMutablePointer<Float>) {
        let (outCount, plane) = (g.outHeight * g.outWidth, g.height * g.width)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let dx = gradInput + pl * plane
                dx.update(repeating: 0, count: plane)
                let dy = gradOutput + pl * outCount
                let at = argmax + pl * outCount
                for i in 0..<outCount { dx[Int(at[i])] += dy[i] }
            }
        }
    }

    /// Window means.
    public static func averageForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                      output: UnsafeMutablePointer<Float>) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let x = input + pl * plane
                let y = output + pl * oh * ow
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum: Float = 0
                        for ky in 0..<g.kernelHeight {
                            let row = x + (oy * g.strideHeight + ky) * g.width + ox * g.strideWidth
                            for kx in 0..<g.kernelWidth { sum += row[kx] }
                        }
                        y[oy * ow + ox] = sum * scale
                    }
                }
            }
        }
    }

    /// Spreads each output gradient evenly over its window.
    public static func averageBackward(_ g: PoolGeometry, gradOutput: UnsafePointer<Float>,
                                       gradInput: UnsafeMutablePointer<Float>) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let dx = gradInput + pl * plane
                dx.update(repeating: 0, count: plane)
                let dy = gradOutput + pl * oh * ow
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let share = dy[oy * ow + ox] * scale
                        for ky in 0..<g.kernelHeight {
                            let row = dx + (oy * g.strideHeight + ky) * g.width + ox * g.strideWidth
                            for kx in 0..<g.kernelWidth { row[kx] += share }
                        }
                    }
                }
            }
        }
    }
}
