/// Adaptive average pooling (PyTorch's `nn.AdaptiveAvgPool2d` / `nn.AdaptiveAvgPool1d`): a fixed output
/// size whatever the input size, output `o` of `n` averaging inputs `⌊o·size/n⌋ ..< ⌈(o+1)·size/n⌉` per
/// axis — the usual way to make a CNN's head independent of the clip length.
public class AdaptiveAvgPoolLayer: Module {
    public let outputSize: (height: Int, width: Int)
    private let spatialRank: Int

    init(spatialRank: Int, outputSize: (Int, Int)) throws {
        try requirePositive("AdaptiveAvgPool\(spatialRank)d", ["output height": outputSize.0, "output width": outputSize.1])
        self.spatialRank = spatialRank
        self.outputSize = outputSize
        super.init()
    }

    public override var typeDescription: String {
        "AdaptiveAvgPool\(spatialRank)d(output: \(spatialRank == 1 ? "\(outputSize.width)" : "[\(outputSize.height), \(outputSize.width)]"))"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try requireRank(input, spatialRank == 1 ? [2, 3] : [3, 4],
                        expected: spatialRank == 1 ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)")
        let (height, width) = spatialRank == 1 ? (1, input.shape[input.rank - 1]) : (input.shape[input.rank - 2], input.shape[input.rank - 1])
        guard input.count > 0 else { throw LayerError(layer: self, reason: "input \(input.shape) is empty") }
        let windows = PoolWindows(planes: input.count / (height * width), height: height, width: width,
                                  rows: PoolAxisWindows(adaptiveSize: height, count: spatialRank == 1 ? 1 : outputSize.height),
                                  columns: PoolAxisWindows(adaptiveSize: width, count: outputSize.width))
        let spatial = spatialRank == 1 ? [windows.outWidth] : [windows.outHeight, windows.outWidth]
        let output = try Tensor.uninitialized(Array(input.shape.dropLast(spatialRank)) + spatial)
        PoolWindowKernels.averageForward(windows, input: input.storage.pointer, output: output.storage.pointer)
        return Tensor.record(output, op: "adaptive_avg_pool\(spatialRank)d", parents: [input]) { gradOutput in
            let gradInput = try Tensor.uninitialized(input.shape)
            PoolWindowKernels.averageBackward(windows, gradOutput: gradOutput.storage.pointer, gradInput: gradInput.storage.pointer)
            return [gradInput]
        }
    }
}

/// Adaptive average pooling of `(N, C, H, W)` or `(C, H, W)` to `outputSize` rows and columns.
public final class AdaptiveAvgPool2d: AdaptiveAvgPoolLayer {
    public init(outputSize: (Int, Int)) throws { try super.init(spatialRank: 2, outputSize: outputSize) }

    /// A square output.
    public convenience init(outputSize: Int) throws { try self.init(outputSize: (outputSize, outputSize)) }
}

/// Adaptive average pooling of `(N, C, L)` or `(C, L)` to `outputSize` steps.
public final class AdaptiveAvgPool1d: AdaptiveAvgPoolLayer {
    public init(outputSize: Int) throws { try super.init(spatialRank: 1, outputSize: (1, outputSize)) }
}
