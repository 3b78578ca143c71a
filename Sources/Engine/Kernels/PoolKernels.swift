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
    /// Window maxima, with the flat in-plane index of each maximum in `argmax` when given (first one
    /// on ties, NaN wins, as PyTorch). Candidates are visited in window order (kernel row, then
    /// column), one whole output row at a time so the inner loop runs along memory.
    public static func maxForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                  output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        let (kh, kw, sh, sw, width) = (g.kernelHeight, g.kernelWidth, g.strideHeight, g.strideWidth, g.width)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let x = input + pl * plane
                for oy in 0..<oh {
                    let y = output + (pl * oh + oy) * ow
                    let at = argmax.map { $0 + (pl * oh + oy) * ow }
                    for ky in 0..<kh {
                        for kx in 0..<kw {
                            let offset = (oy * sh + ky) * width + kx
                            let source = x + offset
                            if ky == 0 && kx == 0 {
                                for ox in 0..<ow { y[ox] = source[ox * sw] }
                                if let at { for ox in 0..<ow { at[ox] = Int32(offset + ox * sw) } }
                            } else if let at {
                                for ox in 0..<ow {
                                    let v = source[ox * sw]
                                    if v > y[ox] || v.isNaN { y[ox] = v; at[ox] = Int32(offset + ox * sw) }
                                }
                            } else {
                                for ox in 0..<ow {   // a select, not a branch, so it vectorises
                                    let v = source[ox * sw], current = y[ox]
                                    y[ox] = v > current || v != v ? v : current
                                }
                            }
                        }
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

    /// Window means, accumulated one output row at a time.
    public static func averageForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                      output: UnsafeMutablePointer<Float>) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        let (sh, sw, width) = (g.strideHeight, g.strideWidth, g.width)
        let scale = 1 / Float(g.kernelHeight * g.kernelWidth)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let x = input + pl * plane
                for oy in 0..<oh {
                    let y = output + (pl * oh + oy) * ow
                    y.update(repeating: 0, count: ow)
                    for ky in 0..<g.kernelHeight {
                        for kx in 0..<g.kernelWidth {
                            let source = x + (oy * sh + ky) * width + kx
                            for ox in 0..<ow { y[ox] += source[ox * sw] }
                        }
                    }
                    for ox in 0..<ow { y[ox] *= scale }
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
