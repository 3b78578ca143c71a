/// Unfolds image patches into GEMM columns and folds them back (the im2col / col2im pair).
enum Im2Col {
    /// Writes the `patchSize × outPositions` patch matrix of one `(C, H, W)` sample into `columns`.
    static func unfold(_ g: ConvGeometry, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        var row = columns
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let (first, last) = validRange(offset: kj - g.paddingWidth, stride: g.strideWidth,
                                                   outCount: ow, inCount: g.width)
                    for oy in 0..<oh {
                        let out = row + oy * ow
                        let iy = oy * g.strideHeight - g.paddingHeight + ki
                        guard iy >= 0 && iy < g.height, first < last else {
                            out.update(repeating: 0, count: ow)
                            continue
                        }
                        if first > 0 { out.update(repeating: 0, count: first) }
                        if last < ow { (out + last).update(repeating: 0, count: ow - last) }
                        let source = plane + iy * g.width + (kj - g.paddingWidth)
                        if g.strideWidth == 1 {
                            (out + first).update(from: source + first, count: last - first)
                        } else {
                            for ox in first..<last { out[ox] = source[ox * g.strideWidth] }
                        }
                    }
                    row += oh * ow
                }
            }
        }
    }

    /// Adds the patch matrix `columns` back onto the zeroed `(C, H, W)` sample `image` (adjoint of `unfold`).
    static func fold(_ g: ConvGeometry, columns: UnsafePointer<Float>, image: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        image.update(repeating: 0, count: g.inputSampleCount)
        var row = columns
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let (first, last) = validRange(offset: kj - g.paddingWidth, stride: g.strideWidth,
                                                   outCount: ow, inCount: g.width)
                    for oy in 0..<oh {
                        let iy = oy * g.strideHeight - g.paddingHeight + ki
                        guard iy >= 0 && iy < g.height else { continue }
                        let source = row + oy * ow
                        let target = plane + iy * g.width + (kj - g.paddingWidth)
                        for ox in first..<last { target[ox * g.strideWidth] += source[ox] }
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
