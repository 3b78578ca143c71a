/// 2-D pooling over `(N, C, H, W)` or `(C, H, W)` with a rectangular window (e.g. `[2, 4]`),
/// stride defaulting to the window, no padding, floor rounding — PyTorch's defaults.
public class Pool2dLayer: Module {
    public let kernel: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    private let isMax: Bool

    init(isMax: Bool, kernel: (Int, Int), stride: (Int, Int)?) throws {
        let stride = stride ?? kernel
        try requirePositive(isMax ? "MaxPool2d" : "AvgPool2d", ["kernel height": kernel.0, "kernel width": kernel.1,
                                                                "stride height": stride.0, "stride width": stride.1])
        self.isMax = isMax
        self.kernel = kernel
        self.stride = stride
        super.init()
    }

    public override var typeDescription: String {
        "\(isMax ? "MaxPool2d" : "AvgPool2d")(kernel: [\(kernel.height), \(kernel.width)], stride: [\(stride.height), \(stride.width)])"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try requireRank(input, [3, 4], expected: "(N, C, H, W) or (C, H, W)")
        let (height, width) = (input.shape[input.rank - 2], input.shape[input.rank - 1])
        let g = PoolGeometry(planes: input.count / max(1, height * width), height: height, width: width,
                             kernel: (kernel.height, kernel.width), stride: (stride.height, stride.width))
        guard g.isValid else {
            throw LayerError(layer: self, reason: "input \(input.shape) is empty or smaller than the window")
        }
        let output = try Tensor.uninitialized(Array(input.shape.dropLast(2)) + [g.outHeight, g.outWidth])
        guard isMax else {
            PoolKernels.averageForward(g, input: input.storage.pointer, output: output.storage.pointer)
            return Tensor.record(output, op: "avg_pool2d", parents: [input]) { gradOutput in
                let gradInput = try Tensor.uninitialized(input.shape)
                PoolKernels.averageBackward(g, gradOutput: gradOutput.storage.pointer, gradInput: gradInput.storage.pointer)
                return [gradInput]
            }
        }
        guard GradMode.isEnabled && input.requiresGrad else {   // inference: no winners to remember
            PoolKernels.maxForward(g, input: input.storage.pointer, output: output.storage.pointer, argmax: nil)
            return output
        }
        let winners = IndexBuffer(count: output.count)
        PoolKernels.maxForward(g, input: input.storage.pointer, output: output.storage.pointer, argmax: winners.pointer)
        return Tensor.record(output, op: "max_pool2d", parents: [input]) { gradOutput in
            let gradInput = try Tensor.uninitialized(input.shape)
            PoolKernels.maxBackward(g, gradOutput: gradOutput.storage.pointer, argmax: winners.pointer,
                                    gradInput: gradInput.storage.pointer)
            return [gradInput]
        }
    }
}

/// Max pooling; keeps the winning positions for the backward pass.
public final class MaxPool2d: Pool2dLayer {
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil) throws {
        try super.init(isMax: true, kernel: kernel, stride: stride)
    }

    /// A square window (and stride, defaulting to the window).
    public convenience init(kernelSize: Int, stride: Int? = nil) throws {
        try self.init(kernel: (kernelSize, kernelSize), stride: stride.map { ($0, $0) })
    }
}

/// Average pooling.
public final class AvgPool2d: Pool2dLayer {
    public init(kernel: (Int, Int), stride: (Int, Int)? = nil) throws {
        try super.init(isMax: false, kernel: kernel, stride: stride)
    }

    /// A square window (and stride, defaulting to the window).
    public convenience init(kernelSize: Int, stride: Int? = nil) throws {
        try self.init(kernel: (kernelSize, kernelSize), stride: stride.map { ($0, $0) })
    }
}

/// Heap storage for the arg-max indices a max-pool backward needs, freed with the graph; from the
/// tensor buffer pool (an index has the size of a float), so training steps recycle it.
final class IndexBuffer {
    let pointer: UnsafeMutablePointer<Int32>
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
