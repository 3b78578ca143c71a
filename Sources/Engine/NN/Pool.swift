import EngineTensor

/// Max or average pooling over `(N, C, H, W)` / `(C, H, W)` (2-D) or `(N, C, L)` / `(C, L)` (1-D) with
/// PyTorch's options: stride (defaulting to the window), padding (at most half the window), dilation
/// (max only), ceil mode and, for averages, whether padding counts in the divisor.
public class PoolingLayer: Module {
    public let kernel: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public let dilation: (height: Int, width: Int)
    public let ceilMode: Bool
    /// Average pooling only: divide by the window size including padded positions (PyTorch's default).
    public let countIncludePad: Bool
    private let isMax: Bool
    private let spatialRank: Int

    init(isMax: Bool, spatialRank: Int, kernel: (Int, Int), stride: (Int, Int)?, padding: (Int, Int),
         dilation: (Int, Int), ceilMode: Bool, countIncludePad: Bool) throws {
        let stride = stride ?? kernel
        let name = "\(isMax ? "Max" : "Avg")Pool\(spatialRank)d"
        try requirePositive(name, ["kernel height": kernel.0, "kernel width": kernel.1, "stride height": stride.0,
                                   "stride width": stride.1, "dilation height": dilation.0, "dilation width": dilation.1])
        guard padding.0 >= 0, padding.1 >= 0, padding.0 <= kernel.0 / 2, padding.1 <= kernel.1 / 2 else {
            let (shownPadding, shownKernel) = spatialRank == 1 ? ("\(padding.1)", "\(kernel.1)")
                : ("[\(padding.0), \(padding.1)]", "[\(kernel.0), \(kernel.1)]")
            throw LayerConfigurationError(layer: name, reason: "padding \(shownPadding) must be between 0 and half the kernel \(shownKernel) (as in PyTorch)")
        }
        self.isMax = isMax
        self.spatialRank = spatialRank
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        super.init()
    }

    /// `[h, w]` for 2-D pooling, `w` for 1-D.
    private func shown(_ pair: (Int, Int)) -> String { spatialRank == 1 ? "\(pair.1)" : "[\(pair.0), \(pair.1)]" }

    public override var typeDescription: String {
        var text = "\(isMax ? "Max" : "Avg")Pool\(spatialRank)d(kernel: \(shown(kernel)), stride: \(shown(stride))"
        if padding != (0, 0) { text += ", padding: \(shown(padding))" }
        if dilation != (1, 1) { text += ", dilation: \(shown(dilation))" }
        if ceilMode { text += ", ceil mode" }
        if !countIncludePad { text += ", padding not counted" }
        return text + ")"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try requireRank(input, spatialRank == 1 ? [2, 3] : [3, 4],
                        expected: spatialRank == 1 ? "(N, C, L) or (C, L)" : "(N, C, H, W) or (C, H, W)")
        let (height, width) = spatialRank == 1 ? (1, input.shape[input.rank - 1]) : (input.shape[input.rank - 2], input.shape[input.rank - 1])
        let g = PoolGeometry(planes: input.count / max(1, height * width), height: height, width: width,
                             kernel: (kernel.height, kernel.width), stride: (stride.height, stride.width),
                             padding: (padding.height, padding.width), dilation: (dilation.height, dilation.width),
                             ceilMode: ceilMode)
        guard g.isValid else {
            throw LayerError(layer: self, reason: "input \(input.shape) is empty or smaller than the window")
        }
        if !g.isPlain && g.windows().hasEmptyWindow {
            throw LayerError(layer: self, reason: "on input \(input.shape) a window reads only padding (the dilation skips the whole input)")
        }
        let spatial = spatialRank == 1 ? [g.outWidth] : [g.outHeight, g.outWidth]
        let output = try Tensor.uninitialized(Array(input.shape.dropLast(spatialRank)) + spatial)
        let countIncludePad = self.countIncludePad
        guard isMax else {
            PoolKernels.averageForward(g, input: input.storage.pointer, output: output.storage.pointer, countIncludePad: countIncludePad)
            return Tensor.record(output, op: "avg_pool\(spatialRank)d", parents: [input]) { gradOutput in
                let gradInput = try Tensor.uninitialized(input.shape)
                PoolKernels.averageBackward(g, gradOutput: gradOutput.storage.pointer, gradInput: gradInput.storage.pointer,
                                            countIncludePad: countIncludePad)
                return [gradInput]
            }
        }
        return recordMaxPool(input, output, op: "max_pool\(spatialRank)d", planes: g.planes, plane: g.height * g.width) { argmax in
            PoolKernels.maxForward(g, input: input.storage.pointer, output: output.storage.pointer, argmax: argmax)
        }
    }
}

/// Fills a max pool's `output` with `forward` and records the backward, which routes each output
/// gradient to its window's winner (summed where windows overlap). `forward` gets an arg-max buffer
/// only when a gradient is wanted: inference keeps no winners.
func recordMaxPool(_ input: Tensor, _ output: Tensor, op: String, planes: Int, plane: Int,
                   forward: (UnsafeMutablePointer<Int32>?) -> Void) -> Tensor {
    guard GradMode.isEnabled && input.requiresGrad else {
        forward(nil)
        return output
    }
    let winners = IndexBuffer(count: output.count)
    forward(winners.pointer)
    return Tensor.record(output, op: op, parents: [input]) { gradOutput in
        let gradInput = try Tensor.uninitialized(input.shape)
        PoolKernels.maxBackward(planes: planes, plane: plane, outCount: output.count / max(1, planes),
                                gradOutput: gradOutput.storage.pointer, argmax: winners.pointer,
                                gradInput: gradInput.storage.pointer)
        return [gradInput]
    }
}

/// 2-D max pooling; keeps the winning positions for the backward pass. Padding is −∞.
public final class MaxPool2d: PoolingLayer {
    /// PyTorch's `nn.MaxPool2d(kernel_size, stride, padding, dilation, ceil_mode)`.
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) throws {
        try super.init(isMax: true, spatialRank: 2, kernel: kernel, stride: stride, padding: padding,
                       dilation: dilation, ceilMode: ceilMode, countIncludePad: true)
    }

    /// A square window (and stride, defaulting to the window).
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1,
                            ceilMode: Bool = false) throws {
        try self.init(kernel: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding),
                      dilation: (dilation, dilation), ceilMode: ceilMode)
    }
}

/// 2-D average pooling. Padding is zeros.
public final class AvgPool2d: PoolingLayer {
    /// PyTorch's `nn.AvgPool2d(kernel_size, stride, padding, ceil_mode, count_include_pad)`.
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                ceilMode: Bool = false, countIncludePad: Bool = true) throws {
        try super.init(isMax: false, spatialRank: 2, kernel: kernel, stride: stride, padding: padding,
                       dilation: (1, 1), ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    /// A square window (and stride, defaulting to the window).
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true) throws {
        try self.init(kernel: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding),
                      ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
}

/// 1-D max pooling over `(N, C, L)` or `(C, L)`.
public final class MaxPool1d: PoolingLayer {
    /// PyTorch's `nn.MaxPool1d(kernel_size, stride, padding, dilation, ceil_mode)`.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, dilation: Int = 1, ceilMode: Bool = false) throws {
        try super.init(isMax: true, spatialRank: 1, kernel: (1, kernelSize), stride: stride.map { (1, $0) },
                       padding: (0, padding), dilation: (1, dilation), ceilMode: ceilMode, countIncludePad: true)
    }
}

/// 1-D average pooling over `(N, C, L)` or `(C, L)`.
public final class AvgPool1d: PoolingLayer {
    /// PyTorch's `nn.AvgPool1d(kernel_size, stride, padding, ceil_mode, count_include_pad)`.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true) throws {
        try super.init(isMax: false, spatialRank: 1, kernel: (1, kernelSize), stride: stride.map { (1, $0) },
                       padding: (0, padding), dilation: (1, 1), ceilMode: ceilMode, countIncludePad: countIncludePad)
    }
}

/// Heap storage for the arg-max indices a max-pool backward needs, freed with the graph; from the
/// tensor buffer pool (an index has the size of a float), so training steps recycle it.
final class IndexBuffer {
    package let pointer: UnsafeMutablePointer<Int32>
    private let count: Int

    init(count: Int) {
        self.count = max(1, count)
        pointer = UnsafeMutableRawPointer(BufferPool.shared.take(self.count)).bindMemory(to: Int32.self, capacity: self.count)
    }

    deinit {
        let floats = UnsafeMutableRawPointer(pointer).bindMemory(to: Float.self, capacity: count)
        BufferPool.shared.give(floats, count: count)
    }
}
