import EngineFormats

/// Sizes of a 2-D pooling window over `planes` independent `(height, width)` planes
/// (planes = batch · channels), with PyTorch's padding, dilation and ceil-mode output rule.
public struct PoolGeometry: Equatable, Sendable {
    public var planes: Int
    public var height: Int
    public var width: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    /// Implicit rows above and below each plane (−∞ for max pooling, zeros for average pooling).
    public var paddingHeight: Int
    /// Implicit columns left and right of each plane.
    public var paddingWidth: Int
    public var dilationHeight: Int
    public var dilationWidth: Int
    /// Round the output size up: a last, partial window is kept when it starts inside the input or
    /// the leading padding.
    public var ceilMode: Bool

    /// A pooling geometry; `stride` defaults to the kernel, as in PyTorch.
    public init(planes: Int, height: Int, width: Int, kernel: (Int, Int), stride: (Int, Int)? = nil,
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) {
        self.planes = planes
        self.height = height
        self.width = width
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride ?? kernel
        (paddingHeight, paddingWidth) = padding
        (dilationHeight, dilationWidth) = dilation
        self.ceilMode = ceilMode
    }

    /// Output rows: `⌊(height + 2·pad − dilation·(kh − 1) − 1) / sh⌋ + 1` (rounded up in ceil mode).
    public var outHeight: Int {
        Self.outputSize(height, kernel: kernelHeight, stride: strideHeight, padding: paddingHeight,
                        dilation: dilationHeight, ceilMode: ceilMode)
    }
    /// Output columns, by the same rule.
    public var outWidth: Int {
        Self.outputSize(width, kernel: kernelWidth, stride: strideWidth, padding: paddingWidth,
                        dilation: dilationWidth, ceilMode: ceilMode)
    }

    /// PyTorch's `pooling_output_shape`: floor (or ceil) division, then in ceil mode the last window is
    /// dropped when it would start in the trailing padding or beyond.
    package static func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool) -> Int {
        guard stride > 0 else { return 0 }
        let span = size + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
        var count = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1
        if ceilMode && (count - 1) * stride >= size + padding { count -= 1 }
        return count
    }

    /// Whether every size is positive, the padding is at most half the kernel (PyTorch's rule) and
    /// there is at least one output.
    public var isValid: Bool {
        planes > 0 && height > 0 && width > 0 && kernelHeight > 0 && kernelWidth > 0 && strideHeight > 0
            && strideWidth > 0 && dilationHeight > 0 && dilationWidth > 0
            && paddingHeight >= 0 && paddingWidth >= 0 && paddingHeight <= kernelHeight / 2 && paddingWidth <= kernelWidth / 2
            && outHeight > 0 && outWidth > 0
    }

    /// True when every window lies wholly inside the plane, undilated: the defaults' fast kernels apply.
    package var isPlain: Bool {
        paddingHeight == 0 && paddingWidth == 0 && dilationHeight == 1 && dilationWidth == 1
            && (outHeight - 1) * strideHeight + kernelHeight <= height && (outWidth - 1) * strideWidth + kernelWidth <= width
    }

    /// The input rows and columns each output reads; average pooling's divisors count the padding
    /// inside the padded plane when `countIncludePad`.
    package func windows(countIncludePad: Bool = true) -> PoolWindows {
        PoolWindows(planes: planes, height: height, width: width,
                    rows: PoolAxisWindows(size: height, count: outHeight, kernel: kernelHeight, stride: strideHeight,
                                          padding: paddingHeight, dilation: dilationHeight, countIncludePad: countIncludePad),
                    columns: PoolAxisWindows(size: width, count: outWidth, kernel: kernelWidth, stride: strideWidth,
                                             padding: paddingWidth, dilation: dilationWidth, countIncludePad: countIncludePad))
    }
}

/// Max and average pooling over planes, forward and backward. Planes are split across the cores.
/// Geometries whose windows all lie inside the plane undilated (the defaults) take the loops below;
/// padding, dilation and partial ceil-mode windows go to `PoolWindowKernels`.
public enum PoolKernels {
    /// Window maxima, with the flat in-plane index of each maximum in `argmax` when given (first one
    /// on ties, NaN wins, as PyTorch: a window is scanned in order, kernel row then column, and a
    /// value replaces the running maximum when it is greater or NaN).
    public static func maxForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                  output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?) {
        guard g.isPlain else {
            return PoolWindowKernels.maxForward(g.windows(), input: input, output: output, argmax: argmax)
        }
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
        maxBackward(planes: g.planes, plane: g.height * g.width, outCount: g.outHeight * g.outWidth,
                    gradOutput: gradOutput, argmax: argmax, gradInput: gradInput)
    }

    /// `maxBackward` over `planes` planes of `plane` inputs and `outCount` outputs each.
    package static func maxBackward(planes: Int, plane: Int, outCount: Int, gradOutput: UnsafePointer<Float>,
                            argmax: UnsafePointer<Int32>, gradInput: UnsafeMutablePointer<Float>) {
        KernelParallel.forEachSlice(planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let dx = gradInput + pl * plane
                dx.update(repeating: 0, count: plane)
                let dy = gradOutput + pl * outCount
                let at = argmax + pl * outCount
                for i in 0..<outCount { dx[Int(at[i])] += dy[i] }
            }
        }
    }

    /// Window means, accumulated one output row at a time. With padding the divisor counts the padded
    /// positions inside the padded plane when `countIncludePad` (PyTorch's default), else only the input's.
    public static func averageForward(_ g: PoolGeometry, input: UnsafePointer<Float>,
                                      output: UnsafeMutablePointer<Float>, countIncludePad: Bool = true) {
        guard g.isPlain else {
            return PoolWindowKernels.averageForward(g.windows(countIncludePad: countIncludePad), input: input, output: output)
        }
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

    /// Spreads each output gradient evenly over its window (by the forward's divisor).
    public static func averageBackward(_ g: PoolGeometry, gradOutput: UnsafePointer<Float>,
                                       gradInput: UnsafeMutablePointer<Float>, countIncludePad: Bool = true) {
        guard g.isPlain else {
            return PoolWindowKernels.averageBackward(g.windows(countIncludePad: countIncludePad), gradOutput: gradOutput,
                                                     gradInput: gradInput)
        }
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
    package let rows: Int
    package let columns: Int
    package let width: Int

    @inline(__always)
    package func maximum(_ x: UnsafePointer<Float>, corner: Int) -> Float {
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
