import EngineTensor

/// Adaptive max or average pooling (PyTorch's `nn.AdaptiveMaxPool2d` / `nn.AdaptiveAvgPool2d` and their
/// 1-D forms): a fixed output size whatever the input size, output `o` of `n` reading inputs
/// `⌊o·size/n⌋ ..< ⌈(o+1)·size/n⌉` per axis — the usual way to make a CNN's head independent of the
/// clip length. A `nil` output size keeps that axis's input size (PyTorch's `None`).
public class AdaptivePoolingLayer: Module {
    /// Output rows and columns (1-D pools: height 1); `nil` keeps the input's size on that axis.
    public let outputSize: (height: Int?, width: Int?)
    private let isMax: Bool
    private let spatialRank: Int

    init(isMax: Bool, spatialRank: Int, outputSize: (Int?, Int?)) throws {
        self.isMax = isMax
        self.spatialRank = spatialRank
        self.outputSize = outputSize
        super.init()
        try requirePositive(name, ["output height": outputSize.0 ?? 1, "output width": outputSize.1 ?? 1])
    }

    private var name: String { "Adaptive\(isMax ? "Max" : "Avg")Pool\(spatialRank)d" }

    public override var typeDescription: String {
        let shown = { (size: Int?) in size.map(String.init) ?? "nil" }
        return "\(name)(output: \(spatialRank == 1 ? shown(outputSize.width) : "[\(shown(outputSize.height)), \(shown(outputSize.width))]"))"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try requireRank(input, spatialRank == 1 ? [2, 3] : [3, 4],
                        expected: spatialRank == 1 ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)")
        let (height, width) = spatialRank == 1 ? (1, input.shape[input.rank - 1]) : (input.shape[input.rank - 2], input.shape[input.rank - 1])
        guard input.count > 0 else { throw LayerError(layer: self, reason: "input \(input.shape) is empty") }
        let windows = PoolWindows(planes: input.count / (height * width), height: height, width: width,
                                  rows: PoolAxisWindows(adaptiveSize: height, count: spatialRank == 1 ? 1 : outputSize.height ?? height),
                                  columns: PoolAxisWindows(adaptiveSize: width, count: outputSize.width ?? width))
        let spatial = spatialRank == 1 ? [windows.outWidth] : [windows.outHeight, windows.outWidth]
        let output = try Tensor.uninitialized(Array(input.shape.dropLast(spatialRank)) + spatial)
        let op = "adaptive_\(isMax ? "max" : "avg")_pool\(spatialRank)d"
        if isMax {   // adaptive windows are never empty: every output has a winner
            return recordMaxPool(input, output, op: op, planes: windows.planes, plane: height * width) { argmax in
                PoolWindowKernels.maxForward(windows, input: input.storage.pointer, output: output.storage.pointer, argmax: argmax)
            }
        }
        PoolWindowKernels.averageForward(windows, input: input.storage.pointer, output: output.storage.pointer)
        return Tensor.record(output, op: op, parents: [input]) { gradOutput in
            let gradInput = try Tensor.uninitialized(input.shape)
            PoolWindowKernels.averageBackward(windows, gradOutput: gradOutput.storage.pointer, gradInput: gradInput.storage.pointer)
            return [gradInput]
        }
    }
}

/// Adaptive average pooling of `(N, C, H, W)` or `(C, H, W)` to `outputSize` rows and columns.
public final class AdaptiveAvgPool2d: AdaptivePoolingLayer {
    /// `nil` for an axis keeps its input size.
    public init(outputSize: (Int?, Int?)) throws { try super.init(isMax: false, spatialRank: 2, outputSize: outputSize) }

    /// A square output.
    public convenience init(outputSize: Int) throws { try self.init(outputSize: (outputSize, outputSize)) }
}

/// Adaptive average pooling of `(N, C, L)` or `(C, L)` to `outputSize` steps.
public final class AdaptiveAvgPool1d: AdaptivePoolingLayer {
    public init(outputSize: Int) throws { try super.init(isMax: false, spatialRank: 1, outputSize: (1, outputSize)) }
}

/// Adaptive max pooling of `(N, C, H, W)` or `(C, H, W)` to `outputSize` rows and columns; the gradient
/// goes to each window's first maximum (NaN wins), summed where windows overlap, as in PyTorch.
public final class AdaptiveMaxPool2d: AdaptivePoolingLayer {
    /// `nil` for an axis keeps its input size.
    public init(outputSize: (Int?, Int?)) throws { try super.init(isMax: true, spatialRank: 2, outputSize: outputSize) }

    /// A square output.
    public convenience init(outputSize: Int) throws { try self.init(outputSize: (outputSize, outputSize)) }
}

/// Adaptive max pooling of `(N, C, L)` or `(C, L)` to `outputSize` steps.
public final class AdaptiveMaxPool1d: AdaptivePoolingLayer {
    public init(outputSize: Int) throws { try super.init(isMax: true, spatialRank: 1, outputSize: (1, outputSize)) }
}
