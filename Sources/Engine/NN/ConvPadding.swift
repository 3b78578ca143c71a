import EngineTensor

/// PyTorch's `padding` argument of a convolution: explicit sizes, `"same"` or `"valid"`.
/// An integer literal means that many rows and columns (a Conv1d reads only `width`).
public enum ConvPadding: Equatable, Sendable, ExpressibleByIntegerLiteral {
    /// `height` rows above and below the input, `width` columns left and right of it.
    case explicit(height: Int, width: Int)
    /// An output as large as the input (stride 1 only): `dilation · (kernel − 1)` per axis, half before
    /// the input and the rest after it, so an odd total puts the extra one at the bottom/right (as PyTorch).
    case same
    /// No padding.
    case valid

    public init(integerLiteral value: Int) { self = .explicit(height: value, width: value) }

    /// `(before, after)` per axis for a `(height, width)` kernel, or the reason it cannot be built.
    func resolve(kernel: (Int, Int), stride: (Int, Int), dilation: (Int, Int), spatialRank: Int) throws
        -> (before: (Int, Int), after: (Int, Int)) {
        let layer = "Conv\(spatialRank)d"
        switch self {
        case .valid: return ((0, 0), (0, 0))
        case .explicit(let height, let width):
            let padding = spatialRank == 1 ? (0, width) : (height, width)
            guard padding.0 >= 0, padding.1 >= 0 else {
                throw LayerConfigurationError(layer: layer, reason: "padding must not be negative, got \(spatialRank == 1 ? "\(width)" : "[\(height), \(width)]")")
            }
            return (padding, padding)
        case .same:
            guard stride == (1, 1) else {
                let shown = spatialRank == 1 ? "\(stride.1)" : "[\(stride.0), \(stride.1)]"
                throw LayerConfigurationError(layer: layer, reason: "padding \"same\" needs stride 1 (as in PyTorch), got stride \(shown)")
            }
            let total = (dilation.0 * (kernel.0 - 1), dilation.1 * (kernel.1 - 1))
            let before = (total.0 / 2, total.1 / 2)
            return (before, (total.0 - before.0, total.1 - before.1))
        }
    }
}
