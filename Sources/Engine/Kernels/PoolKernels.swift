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
    /// on ties, NaN wins, as PyTorch: a window is scanned in order, kernel row then column, and a
    /// value replaces the running maximum when it is greater or NaN).
    public static func maxForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                  output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?) {
        let (oh, ow, plane) = (g.outHeight, g.outWidth, g.height * g.width)
        let window = MaxWindow(rows: g.kernelHeight, columns: g.kernelWidth, width: g.width)
        let (sh, sw) = (g.strideHeight, g.strideWidth)
        KernelParallel.forEachSlice(g.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let x = input + pl * plane
                for oy in 0..<oh {
                    let y = output + (pl * oh + oy) * ow
                    let top = oy * sh * g.width
                    if let at = argmax.map({ $0 + (pl * oh + oy) * ow }) {
                        for ox in 0..<ow {
                            let (value, index) = window.maximumAndIndex(x, corner: top + ox * sw)
                            y[ox] = value
                            at[ox] = Int32(truncatingIfNeeded: index)
                        }
                    } else {
                        for ox in 0..<ow { y[ox] = window.maximum(x, corner: top + ox * sw) }
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

/// The maximum of one pooling window, branch-free in the common case: the value by a chain of
/// `v > best ? v : best` (one `maxss` each), NaNs counted on the side, then the first position
/// holding that value. Only a window containing a NaN takes the sequential scan.
private struct MaxWindow {
    let rows: Int
    let columns: Int
    let width: Int

    @inline(__always)
    func maximum(_ x: UnsafePointer<Float>, corner: Int) -> Float {
        var best = x[corner], nans = 0
        for ky in 0..<rows {
            let row = x + corner + ky * width
            for kx in 0..<columns {
                let v = row[kx]
                best = v > best ? v : best
                nans &+= v != v ? 1 : 0
            }
        }
        return nans == 0 ? best : sequentialScan(x, corner: corner).value
    }

    @inline(__always)
    func maximumAndIndex(_ x: UnsafePointer<Float>, corner: Int) -> (value: Float, index: Int) {
        let best = maximum(x, corner: corner)
        guard best == best else { return sequentialScan(x, corner: corner) }
        var winner = corner
        for ky in stride(from: rows - 1, through: 0, by: -1) {   // backwards, so the first match stays
            for kx in stride(from: columns - 1, through: 0, by: -1) {
                let index = corner + ky * width + kx
                winner = x[index] == best ? index : winner
            }
        }
        return (best, winner)
    }

    /// The defining rule, one candidate at a time: greater or NaN replaces.
    private func sequentialScan(_ x: UnsafePointer<Float>, corner: Int) -> (value: Float, index: Int) {
        var best = x[corner], winner = corner
        for ky in 0..<rows {
            for kx in 0..<columns {
                let index = corner + ky * width + kx
                let v = x[index]
                if v > best || v.isNaN { best = v; winner = index }
            }
        }
        return (best, winner)
    }
}
