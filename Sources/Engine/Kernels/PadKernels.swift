
/// How a border is filled when padding a plane (PyTorch's `padding_mode` / `F.pad` modes other than
/// constant zeros, which the convolution kernels handle without a padded copy).
public enum PaddingMode: String, CaseIterable, Sendable {
    /// Zeros (the default; the convolution reads them implicitly).
    case zeros
    /// Mirror without repeating the edge: `… x2 x1 | x0 x1 x2 … | … x1`.
    case reflect
    /// Repeat the edge value.
    case replicate
    /// Wrap around: the left border is the right end of the input.
    case circular

    /// The input index padded position `index` (counted from the first input element, so negative in
    /// the leading border) reads along an axis of `size` elements.
    package func sourceIndex(_ index: Int, size: Int) -> Int {
        switch self {
        case .zeros, .replicate: return min(max(index, 0), size - 1)
        case .reflect:
            if index < 0 { return -index }
            return index >= size ? 2 * (size - 1) - index : index
        case .circular: return ((index % size) + size) % size
        }
    }

    /// Why `before` / `after` border elements cannot be built from `size` elements in this mode, or nil:
    /// reflection needs borders shorter than the axis, wrapping may go around only once (PyTorch's rules).
    package func problem(before: Int, after: Int, size: Int) -> String? {
        switch self {
        case .zeros: return nil
        case .replicate: return size > 0 ? nil : "replicate padding needs a non-empty input"
        case .reflect:
            return max(before, after) < size ? nil
                : "reflect padding (\(before), \(after)) must be smaller than the input size \(size)"
        case .circular:
            return max(before, after) <= size && size > 0 ? nil
                : "circular padding (\(before), \(after)) may not exceed the input size \(size) (it would wrap more than once)"
        }
    }
}

/// Copies planes into larger planes whose borders repeat input values (reflect, replicate, circular),
/// and the adjoint: every padded element's gradient added back onto the input element it copies.
public enum PadKernels {
    /// For each padded row (or column) the input row it copies: `mode.sourceIndex(i − before, size)`.
    public static func sourceIndices(_ mode: PaddingMode, size: Int, before: Int, after: Int) -> [Int] {
        (0..<(size + before + after)).map { mode.sourceIndex($0 - before, size: size) }
    }

    /// `output[p][y][x] = input[p][rows[y]][columns[x]]` over `planes` planes of `height × width`.
    public static func forward(planes: Int, height: Int, width: Int, rows: [Int], columns: [Int],
                               input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        forEachCopy(planes: planes, height: height, width: width, rows: rows, columns: columns) { padded, source in
            output[padded] = input[source]
        }
    }

    /// The adjoint of `forward`: overwrites `gradInput` with the sums of the padded gradients.
    public static func backward(planes: Int, height: Int, width: Int, rows: [Int], columns: [Int],
                                gradOutput: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        gradInput.update(repeating: 0, count: planes * height * width)
        forEachCopy(planes: planes, height: height, width: width, rows: rows, columns: columns) { padded, source in
            gradInput[source] += gradOutput[padded]
        }
    }

    /// Calls `body(flat padded index, flat input index it copies)` for every padded element; planes are
    /// split across the cores, so two workers never touch one plane.
    @inline(__always)
    private static func forEachCopy(planes: Int, height: Int, width: Int, rows: [Int], columns: [Int],
                                    _ body: (Int, Int) -> Void) {
        let paddedPlane = rows.count * columns.count
        KernelParallel.forEachSlice(planes, minimumPerWorker: 8) { _, range in
            for plane in range {
                for (oy, iy) in rows.enumerated() {
                    let target = plane * paddedPlane + oy * columns.count, source = (plane * height + iy) * width
                    for (ox, ix) in columns.enumerated() { body(target + ox, source + ix) }
                }
            }
        }
    }
}
