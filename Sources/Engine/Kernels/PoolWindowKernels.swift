import EngineFormats

/// The input span each output of one pooling axis reads: positions `first[o], first[o] + step, …`
/// below `end[o]` (already clipped to the input), and `share[o]`, that axis's factor of an average's divisor.
package struct PoolAxisWindows: Equatable {
    package var first: [Int] = []
    package var end: [Int] = []
    package var share: [Int] = []
    package var step = 1

    /// Outputs along the axis.
    package var count: Int { first.count }
    /// Whether some window reads no input element (only padding).
    package var hasEmptyWindow: Bool { zip(first, end).contains { $0 >= $1 } }

    /// Strided windows over `size` inputs with `padding` on both sides (PyTorch's pooling): a window
    /// starts at `o·stride − padding` and spans `dilation·(kernel − 1) + 1`. With `countIncludePad` the
    /// share counts the padded positions up to the end of the trailing padding (not beyond, where a
    /// ceil-mode window may hang), else only the input positions it reads.
    init(size: Int, count: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, countIncludePad: Bool) {
        step = dilation
        for o in 0..<count {
            let start = o * stride - padding
            let spanEnd = start + dilation * (kernel - 1) + 1
            let lo = start >= 0 ? start : start + (-start + dilation - 1) / dilation * dilation
            let hi = min(spanEnd, size)
            first.append(lo)
            end.append(hi)
            share.append(countIncludePad ? min(spanEnd, size + padding) - start : max(0, (hi - lo + dilation - 1) / dilation))
        }
    }

    /// PyTorch's adaptive windows: output `o` of `count` averages inputs `⌊o·size/count⌋ ..< ⌈(o+1)·size/count⌉`.
    package init(adaptiveSize size: Int, count: Int) {
        for o in 0..<count {
            let lo = o * size / count
            let hi = ((o + 1) * size + count - 1) / count
            first.append(lo)
            end.append(hi)
            share.append(hi - lo)
        }
    }
}

/// Separable pooling windows over `planes` planes of `height × width`: output `(oy, ox)` reads the rows
/// of `rows` window `oy` crossed with the columns of `columns` window `ox`.
package struct PoolWindows {
    package var planes: Int
    package var height: Int
    package var width: Int
    package var rows: PoolAxisWindows
    package var columns: PoolAxisWindows

    package var outHeight: Int { rows.count }
    package var outWidth: Int { columns.count }
    package var hasEmptyWindow: Bool { rows.hasEmptyWindow || columns.hasEmptyWindow }

    package init(planes: Int, height: Int, width: Int, rows: PoolAxisWindows, columns: PoolAxisWindows) {
        self.planes = planes
        self.height = height
        self.width = width
        self.rows = rows
        self.columns = columns
    }
}

/// Max and average pooling over arbitrary separable windows (padding, dilation, partial ceil-mode
/// windows, adaptive windows), forward and backward. Windows are clipped to the input, so padding is
/// never read: it is −∞ for the maximum and zero for the average (whose divisor says whether it counts).
package enum PoolWindowKernels {
    /// Window maxima and, when `argmax` is given, the flat in-plane index of each (PyTorch's scan: row
    /// by row, a value replaces the maximum when greater or NaN). Every window must hold an input element.
    package static func maxForward(_ w: PoolWindows, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                           argmax: UnsafeMutablePointer<Int32>?) {
        let (rows, columns, width) = (w.rows, w.columns, w.width)
        forEachWindow(w) { plane, o, oy, ox in
            let x = input + plane * w.height * width
            var best = -Float.infinity, winner = rows.first[oy] * width + columns.first[ox]
            for iy in stride(from: rows.first[oy], to: rows.end[oy], by: rows.step) {
                for ix in stride(from: columns.first[ox], to: columns.end[ox], by: columns.step) {
                    let v = x[iy * width + ix]
                    if v > best || v.isNaN { best = v; winner = iy * width + ix }
                }
            }
            output[o] = best
            argmax?[o] = Int32(truncatingIfNeeded: winner)
        }
    }

    /// Window sums divided by `rows.share · columns.share` (average windows are contiguous: step 1).
    package static func averageForward(_ w: PoolWindows, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let (rows, columns, width) = (w.rows, w.columns, w.width)
        forEachWindow(w) { plane, o, oy, ox in
            let x = input + plane * w.height * width
            var sum: Float = 0
            for iy in rows.first[oy]..<max(rows.first[oy], rows.end[oy]) {
                for ix in columns.first[ox]..<max(columns.first[ox], columns.end[ox]) { sum += x[iy * width + ix] }
            }
            output[o] = sum / Float(rows.share[oy] * columns.share[ox])
        }
    }

    /// Overwrites `gradInput` with each output gradient spread over its window by the forward's divisor.
    package static func averageBackward(_ w: PoolWindows, gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        let (rows, columns, width, plane) = (w.rows, w.columns, w.width, w.height * w.width)
        let outCount = w.outHeight * w.outWidth
        KernelParallel.forEachSlice(w.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                let dx = gradInput + pl * plane
                dx.update(repeating: 0, count: plane)
                for oy in 0..<w.outHeight {
                    for ox in 0..<w.outWidth {
                        let share = gradOutput[pl * outCount + oy * w.outWidth + ox] / Float(rows.share[oy] * columns.share[ox])
                        for iy in rows.first[oy]..<max(rows.first[oy], rows.end[oy]) {
                            for ix in columns.first[ox]..<max(columns.first[ox], columns.end[ox]) { dx[iy * width + ix] += share }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(plane, flat output index, oy, ox)` for every output, planes split across the cores.
    @inline(__always)
    private static func forEachWindow(_ w: PoolWindows, _ body: (Int, Int, Int, Int) -> Void) {
        let (oh, ow) = (w.outHeight, w.outWidth)
        KernelParallel.forEachSlice(w.planes, minimumPerWorker: 8) { _, planes in
            for pl in planes {
                for oy in 0..<oh {
                    for ox in 0..<ow { body(pl, (pl * oh + oy) * ow + ox, oy, ox) }
                }
            }
        }
    }
}
