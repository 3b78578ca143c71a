import EngineFormats

/// Unfolds image patches into GEMM columns and folds them back (the im2col / col2im pair).
enum Im2Col {
    /// Writes the `patchSize × outPositions` patch matrix of one `(C, H, W)` sample into `columns`.
    static func unfold(_ g: ConvGeometry, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let ow = g.outWidth
        forEachRow(g) { row, plane, iy, shift, first, last in
            let out = columns + row
            guard let iy, first < last else {
                out.update(repeating: 0, count: ow)
                return
            }
            if first > 0 { out.update(repeating: 0, count: first) }
            if last < ow { (out + last).update(repeating: 0, count: ow - last) }
            let source = image + plane + iy * g.width + shift
            if g.strideWidth == 1 {
                (out + first).update(from: source + first, count: last - first)
            } else {
                for ox in first..<last { out[ox] = source[ox * g.strideWidth] }
            }
        }
    }

    /// Adds the patch matrix `columns` back onto the zeroed `(C, H, W)` sample `image` (adjoint of `unfold`).
    package static func fold(_ g: ConvGeometry, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        image.update(repeating: 0, count: g.inputSampleCount)
        forEachRow(g) { row, plane, iy, shift, first, last in
            guard let iy else { return }
            let source = columns + row
            let target = image + plane + iy * g.width + shift
            if g.strideWidth == 1 {   // contiguous: vectorises
                for ox in first..<last { target[ox] += source[ox] }
            } else {
                for ox in first..<last { target[ox * g.strideWidth] += source[ox] }
            }
        }
    }

    /// Visits every output row of the patch matrix: `body(offset of the row in the matrix, offset of
    /// the input plane, input row or nil when it falls in the padding, column shift, first..<last
    /// output columns that read inside the image)`. One call per row, not per element.
    @inline(__always)
    private static func forEachRow(_ g: ConvGeometry,
                                   _ body: (Int, Int, Int?, Int, Int, Int) -> Void) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        var row = 0
        for c in 0..<g.inChannels {
            let plane = c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let shift = kj * g.dilationWidth - g.paddingWidth
                    let (first, last) = validRange(offset: shift, stride: g.strideWidth, outCount: ow, inCount: g.width)
                    for oy in 0..<oh {
                        let iy = oy * g.strideHeight - g.paddingHeight + ki * g.dilationHeight
                        body(row + oy * ow, plane, iy >= 0 && iy < g.height ? iy : nil, shift, first, last)
                    }
                    row += oh * ow
                }
            }
        }
    }

    /// Output columns `first..<last` whose input column `ox · stride + offset` lies inside `0..<inCount`.
    @inline(__always)
    private static func validRange(offset: Int, stride: Int, outCount: Int, inCount: Int) -> (Int, Int) {
        let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let limit = inCount - offset   // need ox · stride < limit
        let last = limit <= 0 ? 0 : min(outCount, (limit - 1) / stride + 1)
        return (min(first, last), last)
    }
}
